import { compilePlan } from '@failover/core';
import { choiceOption, parseCommandArgs } from '../cli-args.js';
import { exitCodes } from '../cli-exit-codes.js';
import { planGraph } from '../graph/graph-model.js';
import { renderDot } from '../graph/render-dot.js';
import { renderMermaid } from '../graph/render-mermaid.js';
import { invalidPlanError, loadPlan } from '../load-plan.js';
import type { Command } from './command.js';

const formats = ['mermaid', 'dot'] as const;

export const graphCommand: Command = {
  name: 'graph',
  summary: 'print the step graph as Mermaid or Graphviz DOT',
  help: `Usage: failover graph <plan> [--format mermaid|dot]

Prints the plan's steps and their dependencies; groups are drawn as subgraphs
(Mermaid) or clusters (DOT). Where many steps wait for the same many steps, one
edge goes from (or to) the group they make up, or through a small junction, so
the output grows with the number of steps: two stages of 5,000 are one edge.

Options:
  --format <f>  mermaid (default) or dot
  -h, --help    show this help

Examples:
  failover graph plan.ts > plan.mmd
  failover graph plan.yaml --format dot | dot -Tsvg > plan.svg`,
  async run(args, { io, cwd }) {
    const { values, positionals } = parseCommandArgs(
      'graph',
      args,
      { format: { type: 'string' } },
      { min: 1, max: 1, names: 'a plan file' },
    );
    const format = choiceOption('format', values.format, formats, 'mermaid');
    const loaded = await loadPlan(positionals[0]!, cwd);
    const compiled = compilePlan(loaded.plan);
    if (compiled.isErr()) throw invalidPlanError(loaded.displayPath, compiled.error.problems);
    const graph = planGraph(compiled.value);
    io.stdout.write(format === 'dot' ? renderDot(graph) : renderMermaid(graph));
    return exitCodes.success;
  },
};
