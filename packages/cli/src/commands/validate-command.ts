import { parseCommandArgs } from '../cli-args.js';
import { CliError } from '../cli-error.js';
import { exitCodes } from '../cli-exit-codes.js';
import { formatProblem, loadPlan, planLoadTimeoutMs, planProblemsOf } from '../load-plan.js';
import { printable } from '../printable.js';
import { validateWithProviders } from '../validate-with-providers.js';
import type { Command } from './command.js';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check a plan and list every problem at once',
  help: `Usage: failover validate <plan> [--providers <module>] [--emulator <url>] [--json]

Loads a plan (.ts/.js module, or .json/.yaml/.yml document), checks it against
the plan schema, the step graph (ids, dependencies, cycles) and the safety rules,
and lists every problem with its path.

With --providers (or --emulator, for a plan module that exports its providers),
it also binds the providers, checks their capabilities, and observes every action
read-only to ask its provider's pre-check: every step the run would refuse is
listed with its id (exit 2), before any run.

Options:
  --providers <module>  bind these providers and pre-check every action (read-only)
  --emulator <url>      the emulator the providers module points its clients at
  --notify <kind>[@<route>]=<value>, --notifications <module>
                        the notifiers a run would bind (see failover run --help): with
                        providers, a notify step nothing is bound to makes the plan invalid
  --json        print { valid, planId, problems, notices, refusals } as JSON on stdout
  -h, --help    show this help

Exit codes: 0 valid, 2 invalid plan or usage error.`,
  async run(args, { io, cwd, colors }) {
    const { values, positionals } = parseValidateArgs(args);
    const path = positionals[0]!;
    try {
      const timeoutMs = planLoadTimeoutMs(io.env);
      const loaded = await loadPlan(path, cwd, timeoutMs ? { timeoutMs } : {});
      const { plan, validated } = loaded;
      const steps = countSteps(plan.steps);
      const withProviders =
        values.providers !== undefined || values.emulator !== undefined
          ? await validateWithProviders(loaded, {
              providersPath: values.providers,
              emulatorUrl: values.emulator,
              cwd,
              env: io.env,
              ...((values.notify !== undefined || values.notifications !== undefined) && {
                notifications: {
                  flags: values.notify ?? [],
                  ...(values.notifications !== undefined && { modulePath: values.notifications }),
                },
              }),
            })
          : undefined;
      const refusals = withProviders?.refusals ?? [];
      if (refusals.length > 0) {
        if (values.json) {
          io.stdout.write(
            `${JSON.stringify({ valid: false, planId: plan.id, problems: [], notices: validated.notices, refusals: refusals.map((refusal) => ({ stepId: refusal.stepId, kind: refusal.error.kind, message: refusal.error.message })) })}\n`,
          );
          return exitCodes.invalid;
        }
        throw new CliError(
          `The plan ${path} would be refused by its providers: ${plural(refusals.length, 'step')}.`,
          {
            exitCode: exitCodes.invalid,
            details: refusals.map(
              (refusal) => `${refusal.stepId}: ${refusal.error.message} [${refusal.error.kind}]`,
            ),
          },
        );
      }
      if (values.json) {
        io.stdout.write(
          `${JSON.stringify({ valid: true, planId: plan.id, problems: [], notices: validated.notices, ...(withProviders && { refusals: [] }) })}\n`,
        );
      } else {
        io.stdout.write(
          `${colors.green('✓')} ${printable(path)}: plan ${colors.bold(printable(plan.id))} is valid (${plural(steps.leaves, 'step')}, ${plural(steps.groups, 'group')}).\n`,
        );
        if (withProviders) {
          io.stdout.write(
            `${colors.green('✓')} the providers' pre-checks accept every action (${plural(withProviders.checked, 'action')} observed).\n`,
          );
        }
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
    {
      json: { type: 'boolean' },
      providers: { type: 'string' },
      emulator: { type: 'string' },
      notify: { type: 'string', multiple: true },
      notifications: { type: 'string' },
    },
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
