import { parseCommandArgs } from '../cli-args.js';
import { CliError } from '../cli-error.js';
import { exitCodes } from '../cli-exit-codes.js';
import { formatProblem, loadPlan, planLoadTimeoutMs, planProblemsOf } from '../load-plan.js';
import { printable } from '../printable.js';
import type { Command } from './command.js';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check a plan and list every problem at once',
  help: `Usage: failover validate <plan> [--json]

Loads a plan (.ts/.js module, or .json/.yaml/.yml document), checks it against
the plan schema, the step graph (ids, dependencies, cycles) and the safety rules,
and lists every problem with its path.

Options:
  --json        print { valid, planId, problems, notices } as JSON on stdout
  -h, --help    show this help

Exit codes: 0 valid, 2 invalid plan or usage error.`,
  async run(args, { io, cwd, colors }) {
    const { values, positionals } = parseValidateArgs(args);
    const path = positionals[0]!;
    try {
      const timeoutMs = planLoadTimeoutMs(io.env);
      const { plan, validated } = await loadPlan(path, cwd, timeoutMs ? { timeoutMs } : {});
      const steps = countSteps(plan.steps);
      if (values.json) {
        io.stdout.write(
          `${JSON.stringify({ valid: true, planId: plan.id, problems: [], notices: validated.notices })}\n`,
        );
      } else {
        io.stdout.write(
          `${colors.green('✓')} ${printable(path)}: plan ${colors.bold(printable(plan.id))} is valid (${plural(steps.leaves, 'step')}, ${plural(steps.groups, 'group')}).\n`,
        );
        // Opt-outs and other things worth a second look (a forced failover allowed without approval).
        for (const notice of validated.notices) {
          io.stdout.write(`${colors.yellow('notice')} ${printable(formatProblem(notice))}\n`);
        }
      }
      return exitCodes.success;
    } catch (thrown) {
      // With --json, an invalid plan is still a JSON answer on stdout; other errors stay errors.
      if (values.json && CliError.isInstance(thrown) && thrown.details.length > 0) {
        const problems = planProblemsOf(thrown.cause);
        if (problems) {
          io.stdout.write(`${JSON.stringify({ valid: false, problems })}\n`);
          return thrown.exitCode;
        }
      }
      throw thrown;
    }
  },
};

function parseValidateArgs(args: readonly string[]) {
  return parseCommandArgs(
    'validate',
    args,
    { json: { type: 'boolean' } },
    { min: 1, max: 1, names: 'a plan file' },
  );
}

function countSteps(steps: readonly { kind: string; steps?: unknown }[]): { leaves: number; groups: number } {
  let leaves = 0;
  let groups = 0;
  for (const step of steps) {
    if (step.kind === 'group') {
      groups++;
      const inner = countSteps(step.steps as { kind: string }[]);
      leaves += inner.leaves;
      groups += inner.groups;
    } else {
      leaves++;
    }
  }
  return { leaves, groups };
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;
