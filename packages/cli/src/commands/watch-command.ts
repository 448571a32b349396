import { appendFileSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  type AnyNotifier,
  type ApprovalDecision,
  type Approver,
  automaticFailoverNotification,
  buildWatchSignals,
  createFileJournal,
  createFileWatchJournal,
  deliverNotification,
  type Evaluation,
  type FailoverTrigger,
  goldenRuleApprover,
  manualReviewNotification,
  type Notification,
  type NotifierV1,
  promotionWaitingNotification,
  type RunResult,
  realTime,
  runPlan,
  type SignalSourceV1,
  type Time,
  toNotifierV1,
  unguardedPromotions,
  type WatchNotificationContext,
  type WatchRunStatus,
  watchHealth,
} from '@failover/core';
import { numberOption, parseCommandArgs, wholeNumberOption } from '../cli-args.js';
import { CliError, describeThrown } from '../cli-error.js';
import { type ExitCode, exitCodes } from '../cli-exit-codes.js';
import { connectEmulator, type EmulatorSession, startEmbeddedEmulator } from '../emulator-session.js';
import { loadPlan, planLoadTimeoutMs, validateLoadedPlan } from '../load-plan.js';
import {
  emulatorServicesOf,
  type ProvidersContext,
  providersSourceFrom,
  resolveProviders,
  seedOf,
} from '../load-providers.js';
import {
  loadNotifications,
  type NotificationOptions,
  notificationOptionsOf,
  runEventAnnouncer,
} from '../notifications/load-notifications.js';
import { printable, printableCopy } from '../printable.js';
import { lineRenderer } from '../progress/line-renderer.js';
import type { Command, CommandContext } from './command.js';
import { extractEmulatorFlag } from './run-command.js';

const watchOptions = {
  providers: { type: 'string' },
  journal: { type: 'string' },
  grant: { type: 'string' },
  approve: { type: 'string', multiple: true },
  channel: { type: 'string' },
  notify: { type: 'string', multiple: true },
  notifications: { type: 'string' },
  'notify-events': { type: 'string' },
  'exit-after-run': { type: 'boolean' },
  'max-evaluations': { type: 'string' },
  json: { type: 'boolean' },
  'time-scale': { type: 'string' },
} as const;

/** The pseudo-step a human grants to approve a MANUAL_REVIEW_REQUIRED failover. */
const failoverGrant = 'failover';

export const watchCommand: Command = {
  name: 'watch',
  summary: "watch the plan's health checks and run it on an automatic decision (ADR 039)",
  help: `Usage: failover watch <plan> --journal <file> [options]
       failover watch <plan> --journal <file> --grant <step|failover>

Evaluates the plan's \`watch\` checks on their intervals and decides, by its policy
(default: ADR 039), AUTOMATIC_FAILOVER, MANUAL_REVIEW_REQUIRED, MONITOR or NO_ACTION.
AUTOMATIC_FAILOVER runs the plan once: its traffic steps go ahead on their own; an
approval guarding a database promotion waits for a human (golden rule) unless the
policy and the plan both set allowAutomaticPromotion. MANUAL_REVIEW_REQUIRED sends
the evidence and the command that approves the failover. A watched run never rolls
back by itself, and nothing ever fails back on its own.

The watch survives a restart: every evaluation is journaled in --journal, the run in
<journal>.run, human approvals in <journal>.approvals. The run's report
(\`failover report <journal>.run --plan <plan>\`) gives the time to detect: from the
first failing round of the checks behind the decision to the decision.

Options:
  --journal <file>        the watch journal (required): evaluations, the trigger, the run's end
  --grant <step>          record a human's approval for the watcher on --journal and exit:
                          an approval step of the plan, or "failover" to approve a manual review
  --approve <step>        approve this promotion approval from the start (repeatable)
  --providers <module>    the providers module; besides its default export it may export
                          \`signals\` (sources by id, or (context) => sources) and \`notifier\`
  --notify <kind>[@<route>]=<value>, --notifications <module>, --notify-events <channel>
                          bind notifiers as \`failover run\` does (see its help); the
                          providers module's \`notifier\` export is used when none is given
  --channel <name>        the channel watch notifications go to (default: the
                          --notify-events channel, else "watch")
  --exit-after-run        stop watching once the automatic run ended
  --max-evaluations <n>   stop after n evaluations
  --json                  print every evaluation as a JSON line on stdout
  --emulator [url]        run against the emulator at <url>, or start one in this process
  --time-scale <n>        emulator time per real time (default 600 embedded, 1 with a url)
  -h, --help              show this help

Exit codes: 0 no run, or the run succeeded; 1 the run failed; 3 it was rolled back;
2 invalid plan or usage; 5 cancelled.`,
  async run(args, context) {
    const { emulator, rest } = extractEmulatorFlag(args);
    const { values, positionals } = parseCommandArgs('watch', rest, watchOptions, {
      min: 1,
      max: 1,
      names: 'a plan file',
    });
    const planPath = positionals[0]!;
    if (values.journal === undefined) {
      throw new CliError('failover watch needs --journal <file>: the watch resumes from it after a restart.');
    }
    const journalPath = resolve(context.cwd, values.journal);
    if (values.grant !== undefined) return grant(journalPath, values.grant, context);
    const timeScale = numberOption('time-scale', values['time-scale'], emulator?.kind === 'url' ? 1 : 600);
    const notifications = notificationOptionsOf(values);
    return watch(
      {
        planPath,
        journalArg: values.journal,
        journalPath,
        ...(values.providers !== undefined && { providersPath: values.providers }),
        approve: values.approve ?? [],
        ...(values.channel !== undefined && { channel: values.channel }),
        ...(notifications && { notifications }),
        exitAfterRun: values['exit-after-run'] ?? false,
        ...(values['max-evaluations'] !== undefined && {
          maxEvaluations: wholeNumberOption('max-evaluations', values['max-evaluations']),
        }),
        json: values.json ?? false,
        ...(emulator && { emulator }),
        timeScale,
      },
      context,
    );
  },
};

interface WatchSessionOptions {
  planPath: string;
  journalArg: string;
  journalPath: string;
  providersPath?: string;
  approve: readonly string[];
  channel?: string;
  notifications?: NotificationOptions;
  exitAfterRun: boolean;
  maxEvaluations?: number;
  json: boolean;
  emulator?: { kind: 'embedded' } | { kind: 'url'; url: string };
  timeScale: number;
}

/** A human approval, one JSON line in `<journal>.approvals`. */
interface Grant {
  step: string;
  by: string;
  at: string;
}

const approvalsPath = (journalPath: string) => `${journalPath}.approvals`;

function grant(journalPath: string, step: string, { io }: CommandContext): ExitCode {
  const by = io.env.USER ?? io.env.USERNAME ?? 'operator';
  const entry: Grant = { step, by, at: new Date().toISOString() };
  appendFileSync(approvalsPath(journalPath), `${JSON.stringify(entry)}\n`, { mode: 0o600 });
  io.stdout.write(`Approved ${step} for the watcher on ${journalPath} (by ${by}).\n`);
  return exitCodes.success;
}

function readGrants(journalPath: string): Grant[] {
  let text: string;
  try {
    text = readFileSync(approvalsPath(journalPath), 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').flatMap((line) => {
    try {
      const parsed = JSON.parse(line) as Grant;
      return typeof parsed.step === 'string' ? [parsed] : [];
    } catch {
      return [];
    }
  });
}

/** How often a waiting promotion approval looks for a grant, on the watch's clock. */
const grantPollMs = 5_000;

/** Approvals from `--approve`, or granted later with `--grant`, polled until the step's deadline. */
function grantApprover(journalPath: string, approved: readonly string[], time: Time): Approver {
  return async (request): Promise<ApprovalDecision> => {
    if (approved.includes(request.stepId)) return { approved: true, by: 'operator (--approve)' };
    while (!request.abortSignal.aborted) {
      const found = readGrants(journalPath).find((entry) => entry.step === request.stepId);
      if (found) return { approved: true, by: found.by };
      await time.sleep(grantPollMs, request.abortSignal);
    }
    return { approved: false, reason: 'nobody granted it in time' };
  };
}

async function watch(options: WatchSessionOptions, context: CommandContext): Promise<ExitCode> {
  const { io, cwd, colors } = context;
  const timeoutMs = planLoadTimeoutMs(io.env);
  const loaded = await loadPlan(options.planPath, cwd, timeoutMs ? { timeoutMs } : {});
  const spec = loaded.plan.watch;
  if (!spec) {
    throw new CliError(
      `The plan ${loaded.displayPath} has no \`watch\` section: add its health checks (see docs/decisions.md).`,
      { exitCode: exitCodes.invalid },
    );
  }
  const source = await providersSourceFrom(options.providersPath, cwd, loaded.module, loaded.displayPath);
  let emulator: EmulatorSession | undefined;
  if (options.emulator?.kind === 'embedded') {
    const services = emulatorServicesOf(source);
    const seed = seedOf(source);
    emulator = await startEmbeddedEmulator({
      timeScale: options.timeScale,
      ...(seed && { seed }),
      ...(services && { services }),
    });
  } else if (options.emulator?.kind === 'url') {
    emulator = await connectEmulator(options.emulator.url, options.timeScale);
  }
  try {
    const providersContext: ProvidersContext = emulator ? { emulator: emulator.context } : {};
    const providers = await resolveProviders(source, loaded.plan, loaded.displayPath, providersContext);
    const compiled = validateLoadedPlan(loaded, providers);
    const bound = await exportedSignals(source?.exports, providersContext, source?.displayPath);
    const signals = buildWatchSignals(spec.signals ?? [], { providers, bound });
    if (signals.isErr()) throw new CliError(signals.error.message, { exitCode: exitCodes.invalid });
    const promotionAllowed = Boolean(spec.policy?.allowAutomaticPromotion && spec.allowAutomaticPromotion);
    const unguarded = promotionAllowed ? [] : unguardedPromotions(compiled);
    if (unguarded.length > 0) {
      throw new CliError(
        `The plan ${loaded.displayPath} promotes a database with no approval step of its own (${unguarded.join(', ')}): an automatic failover may not promote by itself. Add an approval before it, or set allowAutomaticPromotion in both watch.policy and watch.`,
        { exitCode: exitCodes.invalid },
      );
    }
    const notifications = await loadNotifications(options.notifications, {
      cwd,
      env: io.env,
      ...(emulator && { emulator: { url: emulator.url } }),
    });
    const notifier = notifications.notifier ?? exportedNotifier(source?.exports, source?.displayPath);
    const channel = options.channel ?? notifications.events?.channel ?? 'watch';
    const time = emulator?.context.clock ?? realTime;
    const planId = loaded.plan.id;
    const command = (step: string) =>
      `failover watch ${options.planPath} --journal ${options.journalArg} --grant ${step}`;
    const notify = async (notification: Notification) => {
      io.stderr.write(`${colors.bold(printable(notification.title))}\n${printable(notification.message)}\n`);
      if (!notifier) return;
      const delivered = await deliverNotification(notifier, notification, {
        time,
        deadline: time.now() + 60_000,
      });
      if (delivered.isErr()) {
        io.stderr.write(
          colors.yellow(`warning: the notification was not delivered: ${delivered.error.message}\n`),
        );
      }
    };
    const about = (runId: string): WatchNotificationContext => ({
      planId,
      runId,
      channel,
      at: time.now(),
    });

    const human = grantApprover(options.journalPath, options.approve, time);
    const renderer = lineRenderer((text) => io.stdout.write(text), colors);
    let lastRun: RunResult | undefined;
    const failover: FailoverTrigger = async ({ runId, decision, detection, resume, abortSignal }) => {
      await notify(automaticFailoverNotification(decision, about(runId)));
      const announcer = runEventAnnouncer(notifications, loaded.plan, time, (message) =>
        io.stderr.write(colors.yellow(`warning: ${message}\n`)),
      );
      const outcome = await runPlan(loaded.plan, {
        ...(notifications.templates && { notificationTemplates: notifications.templates }),
        providers,
        time,
        runId,
        resume,
        // The decision engine's evaluation: the report's time to detect.
        ...(detection && { detection }),
        // A watched run never undoes its traffic switch by itself: the region it left is the sick one.
        rollbackOnFailure: false,
        journal: createFileJournal(`${options.journalPath}.run`),
        ...(notifier && { notifier }),
        approver: goldenRuleApprover({
          compiled,
          decidedBy: `watch: ${decision.rule ?? decision.kind}`,
          promotionAllowed,
          human,
          onPromotionWaiting: (stepId, question) =>
            notify(promotionWaitingNotification(stepId, question, command(stepId), about(runId))),
        }),
        abortSignal,
        onEvent: (event) => {
          announcer?.onEvent(event);
          if (!options.json) renderer.onEvent(printableCopy(event));
        },
      });
      await announcer?.settled();
      if (outcome.isErr()) return { status: 'error', detail: outcome.error.message };
      lastRun = outcome.value;
      return { status: outcome.value.status as WatchRunStatus };
    };

    let lastKind: string | undefined;
    const onEvaluation = (evaluation: Evaluation) => {
      if (options.json) {
        io.stdout.write(`${JSON.stringify(printableCopy(evaluation))}\n`);
        return;
      }
      const decision = evaluation.decision;
      if (decision.kind === lastKind) return;
      lastKind = decision.kind;
      const when = new Date(evaluation.at).toISOString();
      io.stdout.write(
        `${when} ${colors.bold(decision.kind)} (${decision.confidence}) ${printable(decision.reason)}${evaluation.held ? ' [held]' : ''}\n`,
      );
    };

    const watched = await watchHealth({
      checks: spec.checks,
      signals: signals.value,
      ...(spec.policy && { policy: spec.policy }),
      time,
      journal: createFileWatchJournal(options.journalPath),
      failover,
      onManualReview: ({ decision }) =>
        notify(manualReviewNotification(decision, command(failoverGrant), about(`watch-${planId}`))),
      humanApproval: async () =>
        readGrants(options.journalPath).find((entry) => entry.step === failoverGrant)?.by,
      onEvaluation,
      ...(io.signal && { abortSignal: io.signal }),
      until: (status) =>
        (options.exitAfterRun && status.run !== undefined && status.run.status !== 'running') ||
        (options.maxEvaluations !== undefined && status.evaluations >= options.maxEvaluations),
    });
    renderer.close();
    if (watched.isErr()) {
      throw new CliError(`The watch of ${loaded.displayPath} stopped: ${watched.error.message}`, {
        exitCode: watched.error.kind === 'invalid-input' ? exitCodes.invalid : exitCodes.failed,
        cause: watched.error,
      });
    }
    const run = watched.value.run;
    if (run)
      io.stderr.write(`Automatic run ${run.runId}: ${run.status}${lastRun ? '' : ' (recorded earlier)'}.\n`);
    if (io.signal?.aborted) return exitCodes.cancelled;
    if (!run || run.status === 'succeeded' || run.status === 'running') return exitCodes.success;
    if (run.status === 'rolled-back') return exitCodes.rolledBack;
    if (run.status === 'cancelled') return exitCodes.cancelled;
    return exitCodes.failed;
  } finally {
    await emulator?.stop();
  }
}

/** The providers module's `signals` export: sources by id, or a function of the providers context. */
async function exportedSignals(
  exports: Record<string, unknown> | undefined,
  context: ProvidersContext,
  where: string | undefined,
): Promise<Record<string, SignalSourceV1>> {
  const exported = exports?.signals;
  if (exported === undefined) return {};
  let value: unknown;
  try {
    value =
      typeof exported === 'function'
        ? await (exported as (c: ProvidersContext) => unknown)(context)
        : exported;
  } catch (thrown) {
    throw new CliError(`Creating the signals of ${where} failed: ${describeThrown(thrown)}`, {
      cause: thrown,
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CliError(
      `The signals export of ${where} must be an object of signal sources by id, or a function returning one.`,
    );
  }
  for (const [id, candidate] of Object.entries(value)) {
    const source = candidate as Partial<SignalSourceV1> | undefined;
    if (source?.specificationVersion !== 'v1' || typeof source.read !== 'function') {
      throw new CliError(
        `The signal "${id}" of ${where} is not a SignalSourceV1 (specificationVersion 'v1' and read()).`,
      );
    }
  }
  return value as Record<string, SignalSourceV1>;
}

/** The providers module's `notifier` export, upgraded to `NotifierV1`. */
function exportedNotifier(
  exports: Record<string, unknown> | undefined,
  where: string | undefined,
): NotifierV1 | undefined {
  const exported = exports?.notifier;
  if (exported === undefined) return undefined;
  if (typeof exported !== 'function' && (typeof exported !== 'object' || exported === null)) {
    throw new CliError(`The notifier export of ${where} must be a NotifierV1 or a function.`);
  }
  return toNotifierV1(exported as AnyNotifier);
}
