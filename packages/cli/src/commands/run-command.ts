import { numberOption, parseCommandArgs, portOption, wholeNumberOption } from '../cli-args.js';
import { CliError } from '../cli-error.js';
import { exitCodeTable } from '../cli-exit-codes.js';
import { detectionOfFlags, detectionOptions } from '../detection-flags.js';
import { notificationOptionsOf } from '../notifications/load-notifications.js';
import { type RestateRunOptions, runOnRestate } from '../restate-run.js';
import { type RunSessionOptions, runSession } from '../run-session.js';
import type { Command } from './command.js';

export const runOptions = {
  'dry-run': { type: 'boolean' },
  approve: { type: 'string', multiple: true },
  yes: { type: 'boolean', short: 'y' },
  journal: { type: 'string' },
  resume: { type: 'boolean' },
  'force-unlock': { type: 'boolean' },
  'take-over': { type: 'string' },
  capacity: { type: 'string' },
  json: { type: 'boolean' },
  providers: { type: 'string' },
  'time-scale': { type: 'string' },
  report: { type: 'string' },
  concurrency: { type: 'string' },
  'status-port': { type: 'string' },
  'status-host': { type: 'string' },
  notify: { type: 'string', multiple: true },
  notifications: { type: 'string' },
  'notify-events': { type: 'string' },
} as const;

/** Where the run executes: this process (`local`), or the workers behind a Restate ingress. */
const engineOptions = {
  engine: { type: 'string' },
  'restate-url': { type: 'string' },
  'run-id': { type: 'string' },
} as const;

function restateRunOptions(
  planPath: string,
  values: { 'restate-url'?: string; 'run-id'?: string; approve?: string[]; report?: string },
): RestateRunOptions {
  if (values['restate-url'] === undefined) {
    throw new CliError('--engine restate needs --restate-url <ingress url>, e.g. http://127.0.0.1:8080.');
  }
  return {
    planPath,
    restateUrl: values['restate-url'],
    approve: values.approve ?? [],
    ...(values['run-id'] !== undefined && { runId: values['run-id'] }),
    ...(values.report !== undefined && { reportPath: values.report }),
  };
}

export const runCommand: Command = {
  name: 'run',
  summary: 'run a plan against real clouds or an emulator (--dry-run shows the diff)',
  help: `Usage: failover run <plan> [options]

Runs a failover plan. Plans are .ts/.js modules (default export) or .json/.yaml
documents. The plan names its providers; a providers module binds them: its
default export is a registry { name: provider } or a function (context) =>
registry, where context.emulator = { url, clock } under --emulator.

Options:
  --dry-run              observe only: print what every step would change; no mutating call
  --approve <step>       approve this approval step (repeatable)
  -y, --yes              approve every approval step
  --journal <file|url>   record the run in this file (JSON lines), for --resume and reports;
                         or s3://<bucket>/<prefix>, gs://<bucket>/<prefix> or
                         azblob://<account>/<container>/<prefix>, so any machine can resume it
  --resume               continue the unfinished run recorded in --journal, skipping completed steps
  --force-unlock         take the journal's lock even if another run holds it
  --take-over <run id>   take over the lock of an object-store journal (s3://, gs://, azblob://)
                         from this holder, gone for good; the takeover is recorded
  --capacity <file>      pool capacities (failover snapshot): read to size a percent-of pool
                         whose source is dark, and updated with every pool the run reads
  --report <file>        write the report when the run ends (.json: JSON, .html: a
                         self-contained page, otherwise Markdown)
  --concurrency <n>      steps running at once, at most (default: the plan's, else 1000)
  --status-port <n>      serve a read-only live status page on this port (0: any free one)
  --status-host <addr>   address of the status page (default 127.0.0.1; any other
                         address requires the token printed with its URL)
  --json                 stream the executor's events as JSON lines on stdout, nothing else
  --providers <module>   the providers module (default: the plan module's \`providers\` export)
  --notify <kind>[@<route>]=<value>
                         bind a notification channel (repeatable): slack=<webhook url>,
                         teams=<webhook url>, pagerduty=<routing key>, webhook=<url> (signed
                         with $FAILOVER_WEBHOOK_SECRET), sns=<topic arn>, or console (printed on
                         stderr; every channel unless console@<route>); the route is the
                         channel (or channel prefix) notify steps name, default the kind.
                         Give secrets as env:NAME. A notify step nothing is bound to makes
                         the plan invalid
  --notifications <module> a module whose default export is defineNotifications({ routes,
                         templates, events })
  --notify-events <channel> also announce the run's stages there (started, approval needed,
                         completed with its RTO, failed with the failing step)
  --emulator [url]       run against the emulator at <url>, or start one in this process
  --time-scale <n>       emulator time per real time (default 600 embedded, 1 with a url)
  --engine <local|restate> where the run executes (default local: this process); restate
                         submits it to the workers (failover worker) behind --restate-url,
                         which survive the loss of any machine, this one included
  --restate-url <url>    the Restate ingress (with --engine restate)
  --run-id <id>          the run's id with --engine restate: the same id attaches again
  --incident-started-at <iso> and --detected-at <iso>
                         when the incident was first observed and when it was decided on
                         (e.g. 2026-12-07T03:12:00Z): the report's time to detect
  -h, --help             show this help

Approvals are asked on a terminal; otherwise give --approve <step> or --yes, or the
run stops before any change with exit code 4.

Exit codes:
${exitCodeTable()}`,
  async run(args, context) {
    const { emulator, rest } = extractEmulatorFlag(args);
    const { values, positionals } = parseCommandArgs(
      'run',
      rest,
      { ...runOptions, ...engineOptions, ...detectionOptions },
      {
        min: 1,
        max: 1,
        names: 'a plan file',
      },
    );
    if (values.engine === 'restate')
      return runOnRestate(restateRunOptions(positionals[0]!, values), context.io, context.cwd);
    if (values.engine !== undefined && values.engine !== 'local') {
      throw new CliError(`--engine must be local or restate, got "${values.engine}".`);
    }
    const detection = detectionOfFlags(values);
    return runSession(
      {
        ...sessionOptions(positionals[0]!, values),
        ...(detection && { detection }),
        ...(emulator && { emulator }),
        timeScale: numberOption('time-scale', values['time-scale'], emulator?.kind === 'url' ? 1 : 600),
        printReport: false,
      },
      context,
    );
  },
};

/**
 * `--emulator` takes an optional value, which `parseArgs` cannot express:
 * `--emulator=<url>` or `--emulator <http(s) url>` connect, a bare `--emulator` embeds one.
 */
export function extractEmulatorFlag(args: readonly string[]): {
  emulator?: { kind: 'embedded' } | { kind: 'url'; url: string };
  rest: string[];
} {
  const rest: string[] = [];
  let emulator: { kind: 'embedded' } | { kind: 'url'; url: string } | undefined;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (arg === '--') {
      rest.push(...args.slice(index));
      break;
    }
    if (arg.startsWith('--emulator=')) {
      const url = arg.slice('--emulator='.length);
      if (url === '') throw new CliError('--emulator= needs a URL, e.g. --emulator=http://127.0.0.1:4510.');
      emulator = { kind: 'url', url };
    } else if (arg === '--emulator') {
      const next = args[index + 1];
      if (next !== undefined && /^https?:\/\//i.test(next)) {
        emulator = { kind: 'url', url: next };
        index++;
      } else {
        emulator = { kind: 'embedded' };
      }
    } else {
      rest.push(arg);
    }
  }
  return { ...(emulator && { emulator }), rest };
}

/** What `run` and `drill` pass on to a run session from the options they share. */
export function sessionOptions(
  planPath: string,
  values: ReturnType<typeof parseCommandArgs<typeof runOptions>>['values'],
): Omit<RunSessionOptions, 'timeScale' | 'printReport' | 'emulator'> {
  const notifications = notificationOptionsOf(values);
  return {
    planPath,
    ...(values.providers !== undefined && { providersPath: values.providers }),
    dryRun: values['dry-run'] ?? false,
    approve: values.approve ?? [],
    yes: values.yes ?? false,
    ...(values.journal !== undefined && { journalPath: values.journal }),
    resume: values.resume ?? false,
    forceUnlock: values['force-unlock'] ?? false,
    ...(values['take-over'] !== undefined && { takeOver: values['take-over'] }),
    ...(values.capacity !== undefined && { capacityPath: values.capacity }),
    json: values.json ?? false,
    ...(values.report !== undefined && { reportPath: values.report }),
    ...(values.concurrency !== undefined && {
      concurrency: wholeNumberOption('concurrency', values.concurrency),
    }),
    ...(notifications && { notifications }),
    ...(values['status-port'] !== undefined && {
      status: {
        port: portOption('status-port', values['status-port']),
        host: values['status-host'] ?? '127.0.0.1',
      },
    }),
  };
}
