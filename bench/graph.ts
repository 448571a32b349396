// `failover graph` on two wide stages in sequence (every step of the second waits for
// every step of the first): time, output size and edge count, for Mermaid and DOT.
// The command runs as a subprocess on the big plan and on a one-step plan (start-up and
// loading the CLI from source through tsx); the difference is the graph's cost. The
// graph model plus rendering is also timed in process.
//
//   node --conditions=@failover/source --import tsx bench/graph.ts [--width 5000] [--rounds 3]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { planGraph } from '../packages/cli/src/graph/graph-model.js';
import { renderDot } from '../packages/cli/src/graph/render-dot.js';
import { renderMermaid } from '../packages/cli/src/graph/render-mermaid.js';
import { compilePlan, type FailoverPlan } from '../packages/core/src/index.js';

const { values: args } = parseArgs({
  options: { width: { type: 'string', default: '5000' }, rounds: { type: 'string', default: '3' } },
});
const width = Number(args.width);
const rounds = Number(args.rounds);
const targetMs = 2_000;

const plan: FailoverPlan = {
  version: 1,
  id: 'bench-graph',
  name: `Two stages of ${width}`,
  sourceRegion: 'us-east-1',
  targetRegion: 'eu-west-1',
  steps: [
    {
      id: 'stages',
      kind: 'group',
      mode: 'sequential',
      steps: [0, 1].map((stage) => ({
        id: `stage-${stage}`,
        kind: 'group' as const,
        mode: 'parallel' as const,
        steps: Array.from({ length: width }, (_, index) => ({
          id: `s${stage}-${index}`,
          kind: 'wait' as const,
          durationMs: 1_000,
        })),
      })),
    },
  ],
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const dir = mkdtempSync(join(tmpdir(), 'failover-graph-bench-'));
const planPath = join(dir, 'plan.json');
writeFileSync(planPath, JSON.stringify(plan));
// The same command on a one-step plan: process start-up and loading the CLI, to tell apart.
const tinyPath = join(dir, 'tiny.json');
writeFileSync(tinyPath, JSON.stringify({ ...plan, steps: [{ id: 'w', kind: 'wait', durationMs: 1_000 }] }));

/** Wall time of `failover graph <plan>` in a fresh process, and its output size. */
function command(path: string, format: string): { ms: number; bytes: number } {
  const started = performance.now();
  const child = spawnSync(
    process.execPath,
    [
      '--conditions=@failover/source',
      '--import',
      'tsx',
      'packages/cli/src/main.ts',
      'graph',
      path,
      '--format',
      format,
    ],
    { encoding: 'utf8', maxBuffer: 1 << 30 },
  );
  const ms = performance.now() - started;
  if (child.status !== 0) throw new Error(`failover graph failed: ${child.stderr}`);
  return { ms, bytes: Buffer.byteLength(child.stdout) };
}
let failed = false;
console.log(`graph bench: 2 x ${width} wait steps (${2 * width} steps, ${width * width} leaf dependencies)`);
try {
  for (const format of ['mermaid', 'dot'] as const) {
    const inProcess: number[] = [];
    let output = '';
    let edges = 0;
    for (let round = 0; round < rounds; round++) {
      const started = performance.now();
      const graph = planGraph(compilePlan(plan)._unsafeUnwrap());
      output = format === 'dot' ? renderDot(graph) : renderMermaid(graph);
      inProcess.push(performance.now() - started);
      edges = graph.edges.length;
    }
    const whole: number[] = [];
    const startup: number[] = [];
    let bytes = 0;
    for (let round = 0; round < rounds; round++) {
      const big = command(planPath, format);
      whole.push(big.ms);
      bytes = big.bytes;
      startup.push(command(tinyPath, format).ms);
    }
    const graphMs = median(whole) - median(startup);
    const ok = graphMs < targetMs;
    failed ||= !ok;
    console.log(
      `  ${format.padEnd(8)} edges ${edges}, ${output.split('\n').length} lines, ${(bytes / 1024).toFixed(0)} KiB; ` +
        `model + render ${median(inProcess).toFixed(0)} ms; command ${median(whole).toFixed(0)} ms, ` +
        `of which start-up (a one-step plan) ${median(startup).toFixed(0)} ms: ${graphMs.toFixed(0)} ms for the graph ` +
        `(medians of ${rounds}; target < ${targetMs} ms) ${ok ? 'ok' : 'MISSED'}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (failed) process.exitCode = 1;
