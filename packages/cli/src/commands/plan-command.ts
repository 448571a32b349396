import { parseCommandArgs } from '../cli-args.js';
import { exitCodes } from '../cli-exit-codes.js';
import { loadPlan, planLoadTimeoutMs } from '../load-plan.js';
import { planWaves } from '../plan-waves.js';
import { printable, printableCopy } from '../printable.js';
import { renderDryRun } from '../run-output.js';
import { validateWithProviders } from '../validate-with-providers.js';
import type { Command } from './command.js';

export const planCommand: Command = {
  name: 'plan',
  summary: 'print what a run would do (order, diffs, pre-check refusals); read-only',
  help: `Usage: failover plan <plan> [--providers <module>] [--emulator <url>] [--json]

Shows what \`failover run\` would do now, without changing anything: the order the
steps run in (as waves: the steps of one wave run side by side), then every step
observed read-only with what it would change (its dry-run diff), and every step a
provider's pre-check refuses, with its id. It makes no mutating call.

The providers come from --providers (or the plan module's \`providers\` export);
--emulator points a providers module written for the emulator at one running.

Options:
  --providers <module>  the providers module (default: the plan module's \`providers\` export)
  --emulator <url>      the emulator the providers module points its clients at
  --notify <kind>[@<route>]=<value>, --notifications <module>
                        the notifiers a run would bind (see failover run --help): with
                        providers, a notify step nothing is bound to makes the plan invalid
  --json                print { planId, waves, steps, refusals } as JSON on stdout
  -h, --help            show this help

Exit codes: 0 the run would be accepted; 2 a pre-check refuses a step, or the plan is
invalid; 1 the steps could not be observed.`,
  async run(args, { io, cwd, colors }) {
    const { values, positionals } = parseCommandArgs(
      'plan',
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
    const timeoutMs = planLoadTimeoutMs(io.env);
    const loaded = await loadPlan(positionals[0]!, cwd, timeoutMs ? { timeoutMs } : {});
    // The same read-only pass as `validate --providers`: bind, validate, dry-run with pre-checks.
    const { dryRun, refusals } = await validateWithProviders(loaded, {
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
    });
    const waves = planWaves(loaded.validated);
    const code = refusals.length > 0 ? exitCodes.invalid : exitCodes.success;
    if (values.json) {
      io.stdout.write(
        `${JSON.stringify({
          planId: dryRun.planId,
          waves,
          steps: dryRun.steps.map((step) => ({
            stepId: step.stepId,
            status: step.status,
            diff: dryRun.diffs?.[step.stepId] ?? step.diff ?? null,
            ...(step.error && { error: { kind: step.error.kind, message: step.error.message } }),
          })),
          refusals: refusals.map((refusal) => ({
            stepId: refusal.stepId,
            kind: refusal.error.kind,
            message: refusal.error.message,
          })),
        })}\n`,
      );
      return code;
    }
    const lines = [
      colors.bold(
        `Order of ${printable(dryRun.planId)}: ${waves.length} wave${waves.length === 1 ? '' : 's'}`,
      ),
    ];
    waves.forEach((ids, index) => {
      lines.push(`  ${index + 1}. ${ids.map(printable).join(', ')}`);
    });
    io.stdout.write(`${lines.join('\n')}\n\n${renderDryRun(printableCopy(dryRun), colors)}`);
    if (code !== exitCodes.success) {
      io.stderr.write(
        `${colors.red('error')} a run would be refused at ${refusals.map((refusal) => printable(refusal.stepId)).join(', ')}; fix ${refusals.length === 1 ? 'it' : 'them'} first.\n`,
      );
    }
    return code;
  },
};
