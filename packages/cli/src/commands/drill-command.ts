import { numberOption, parseCommandArgs } from '../cli-args.js';
import { CliError } from '../cli-error.js';
import type { EmbeddedClockMode } from '../emulator-session.js';
import { runSession } from '../run-session.js';
import type { Command } from './command.js';
import { runOptions, sessionOptions } from './run-command.js';

const drillOptions = { ...runOptions, scenario: { type: 'string' }, clock: { type: 'string' } } as const;

/** `--clock`: deterministic unless asked, or unless `--time-scale` asks for a scaled clock. */
function clockMode(clock: string | undefined, timeScale: string | undefined): EmbeddedClockMode {
  if (clock !== undefined && clock !== 'deterministic' && clock !== 'scaled') {
    throw new CliError(`--clock must be deterministic or scaled, got "${clock}".`);
  }
  if (clock === 'deterministic' && timeScale !== undefined) {
    throw new CliError(
      '--time-scale applies to --clock scaled only: a deterministic clock does not follow the wall clock.',
    );
  }
  return clock ?? (timeScale !== undefined ? 'scaled' : 'deterministic');
}

export const drillCommand: Command = {
  name: 'drill',
  summary: 'run a plan against an embedded, seeded emulator and print the report',
  help: `Usage: failover drill <plan> [options]

\`failover run --emulator\`, then the full report: starts @failover/emulator in this
process, seeds it with the \`seed\` export of the providers module (an EmulatorSeed),
mounts its \`emulatorServices\` if any, binds the providers with
context.emulator = { url, clock }, warms the SDK clients up with an observe-only
pass (on a scaled clock, so their set-up time stays out of the RTO), runs the plan
with live progress and prints the report (timeline, achieved RTO against the
objective, API calls per provider). A terminal approval prompt holds the
deterministic clock while it waits for an answer.

Options:
  --clock <mode>         deterministic (default): the run and the emulator share one
                         clock that moves only while no request is being sent or
                         answered, jumping to the next timer, so the same drill gives
                         the same timeline and RTO on any machine at any load;
                         scaled: emulator time follows the wall clock, --time-scale faster
  --time-scale <n>       with --clock scaled (implied): emulator time per real time
                         (default 600: 10 minutes take 1 s)
  --providers <module>   the providers module (default: the plan module's \`providers\` export)
  --scenario <name>      after the warm-up pass, apply the providers module's
                         scenarios[name] (e.g. region-outage: a region goes dark),
                         then run, and end with the RTO and the data-loss window
  --dry-run              observe only; no mutating call
  --approve <step>       approve this approval step (repeatable)
  -y, --yes              approve every approval step
  --journal <file>       record the run in this file; with --resume, continue it
  --resume               continue the unfinished run recorded in --journal
  --force-unlock         take the journal's lock even if another run holds it
  --capacity <file>      pool capacities (failover snapshot); default: those the warm-up pass reads
  --report <file>        write the report when the run ends (.json: JSON, .html: a
                         self-contained page, otherwise Markdown)
  --concurrency <n>      steps running at once, at most (default: the plan's, else 1000)
  --status-port <n>      serve a read-only live status page on this port (0: any free one)
  --status-host <addr>   address of the status page (default 127.0.0.1; any other
                         address requires the token printed with its URL)
  --json                 stream the executor's events as JSON lines on stdout, nothing else
  -h, --help             show this help

Exit codes: as \`failover run\`.`,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs('drill', args, drillOptions, {
      min: 1,
      max: 1,
      names: 'a plan file',
    });
    return runSession(
      {
        ...sessionOptions(positionals[0]!, values),
        emulator: { kind: 'embedded' },
        ...(values.scenario !== undefined && { scenario: values.scenario }),
        clock: clockMode(values.clock, values['time-scale']),
        timeScale: numberOption('time-scale', values['time-scale'], 600),
        printReport: true,
      },
      context,
    );
  },
};
