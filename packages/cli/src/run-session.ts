import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type CompiledPlan,
  createFileCapacityRecords,
  createFileJournal,
  createMemoryCapacityRecords,
  type IncidentDetection,
  type RunResult,
  realTime,
  renderReportHtml,
  renderReportJson,
  renderReportMarkdown,
  runPlan,
} from '@failover/core';
import { cliApprover, ttyApprover } from './cli-approver.js';
import { CliError, describeThrown } from './cli-error.js';
import { type ExitCode, exitCodes } from './cli-exit-codes.js';
import type { CommandContext } from './commands/command.js';
import { applyScenario, describeScenarioOutcome, scenarioOf } from './drill-scenario.js';
import {
  connectEmulator,
  type EmbeddedClockMode,
  type EmulatorSession,
  startEmbeddedEmulator,
} from './emulator-session.js';
import {
  checkJournal,
  describeFinishedRun,
  journalWithEnvironment,
  runEnvironment,
} from './journal-preflight.js';
import { isJournalUrl, openJournalUrl } from './journal-url.js';
import { invalidPlanError, loadPlan, planLoadTimeoutMs, validateLoadedPlan } from './load-plan.js';
import { emulatorServicesOf, providersSourceFrom, resolveProviders, seedOf } from './load-providers.js';
import {
  loadNotifications,
  type NotificationOptions,
  runEventAnnouncer,
} from './notifications/load-notifications.js';
import { printableCopy } from './printable.js';
import { lineRenderer } from './progress/line-renderer.js';
import { liveRenderer } from './progress/live-renderer.js';
import { jsonLinesRenderer, type ProgressRenderer } from './progress/progress-renderer.js';
import { exitCodeOfRecordedRun, exitCodeOfRun } from './run-exit-code.js';
import { renderDryRun, renderRunSummary, reportCommandLine } from './run-output.js';
import { startStatusPage } from './status/start-status-page.js';

export interface RunSessionOptions {
  planPath: string;
  providersPath?: string;
  dryRun: boolean;
  /** Step ids from `--approve`. */
  approve: readonly string[];
  yes: boolean;
  journalPath?: string;
  resume: boolean;
  forceUnlock: boolean;
  /** `--take-over <run id>`: the stale holder of an object-store journal's lock to replace. */
  takeOver?: string;
  json: boolean;
  /** `embedded`: start one in this process; `url`: talk to one already running. */
  emulator?: { kind: 'embedded' } | { kind: 'url'; url: string };
  timeScale: number;
  /** The embedded emulator's clock (`failover drill --clock`); default scaled by `timeScale`. */
  clock?: EmbeddedClockMode;
  /** `--capacity <file>`: pool capacities recorded by `failover snapshot` and by runs. */
  capacityPath?: string;
  /** `failover drill --scenario`: a scenario of the providers module, applied after the warm-up pass. */
  scenario?: string;
  /** Print the full Markdown report at the end (drills), not just the summary. */
  printReport: boolean;
  /** Write the report here when the run ends: JSON for `.json`, Markdown otherwise. */
  reportPath?: string;
  /** `--concurrency`: overrides the plan's setting. */
  concurrency?: number;
  /** `--status-port` / `--status-host`: serve the read-only live status page. */
  status?: { port: number; host: string };
  /** `--notify`, `--notifications`, `--notify-events`: where notify steps and run stages are sent. */
  notifications?: NotificationOptions;
  /** `--incident-started-at` / `--detected-at`: journaled with the run, the report's time to detect. */
  detection?: IncidentDetection;
}

/** `failover run` and `failover drill`: load, bind, check, run with live progress, and map the outcome to an exit code. */
export async function runSession(options: RunSessionOptions, context: CommandContext): Promise<ExitCode> {
  const { io, cwd, colors } = context;
  if (options.forceUnlock && options.journalPath !== undefined && isJournalUrl(options.journalPath)) {
    throw new CliError(
      "--force-unlock is for a journal file; an object-store journal's lock is taken over only with --take-over <run id of its holder>.",
    );
  }
  if (options.resume && options.journalPath === undefined) {
    throw new CliError(
      '--resume needs --journal <file>: the journal is where the interrupted run was recorded.',
    );
  }
  const timeoutMs = planLoadTimeoutMs(io.env);
  const loaded = await loadPlan(options.planPath, cwd, timeoutMs ? { timeoutMs } : {});
  const source = await providersSourceFrom(options.providersPath, cwd, loaded.module, loaded.displayPath);
  const scenario = options.scenario === undefined ? undefined : scenarioOf(source, options.scenario);

  let emulator: EmulatorSession | undefined;
  if (options.emulator?.kind === 'embedded') {
    const services = emulatorServicesOf(source);
    const seed = seedOf(source);
    emulator = await startEmbeddedEmulator({
      timeScale: options.timeScale,
      ...(options.clock && { clock: options.clock }),
      ...(seed && { seed }),
      ...(services && { services }),
    });
  } else if (options.emulator?.kind === 'url') {
    emulator = await connectEmulator(options.emulator.url, options.timeScale);
  }
  try {
    const providers = await resolveProviders(
      source,
      loaded.plan,
      loaded.displayPath,
      emulator ? { emulator: emulator.context } : {},
    );
    const compiled = validateLoadedPlan(loaded, providers);
    const notifications = await loadNotifications(options.notifications, {
      cwd,
      env: io.env,
      ...(emulator && { emulator: { url: emulator.url } }),
    });
    const openJournal = io.openJournal ?? createFileJournal;
    const journal =
      options.journalPath === undefined
        ? undefined
        : isJournalUrl(options.journalPath)
          ? await openJournalUrl(options.journalPath, {
              env: io.env,
              ...(options.takeOver !== undefined && { takeOver: options.takeOver }),
              ...(emulator && { emulatorUrl: emulator.url }),
            })
          : openJournal(resolve(cwd, options.journalPath), { forceUnlock: options.forceUnlock });
    const environment = runEnvironment(emulator?.identity);
    const preflight =
      journal && !options.dryRun
        ? await checkJournal(journal, compiled, {
            journalPath: options.journalPath!,
            resume: options.resume,
            environment,
            embeddedEmulator: options.emulator?.kind === 'embedded',
            forceUnlock: options.forceUnlock,
          })
        : undefined;
    if (preflight?.kind === 'finished') {
      const command = reportCommandLine(options.journalPath!, options.planPath);
      io.stderr.write(describeFinishedRun(preflight.chain, options.journalPath!, command));
      return exitCodeOfRecordedRun(preflight.chain.status);
    }
    const completed = preflight?.completed ?? new Set<string>();
    const stdinIsTTY = Boolean((io.stdin as { isTTY?: boolean }).isTTY);
    const canPrompt = io.isTTY && stdinIsTTY;
    checkApprovals(compiled, completed, options, canPrompt);

    const renderer: ProgressRenderer = options.json
      ? jsonLinesRenderer((text) => io.stdout.write(text))
      : io.isTTY
        ? liveRenderer(io.stdout, colors, emulator?.context.clock.now ?? realTime.now)
        : lineRenderer((text) => io.stdout.write(text), colors);
    let releasePrompt: (() => void) | undefined;
    const approver = cliApprover({
      approved: new Set(options.approve),
      yes: options.yes,
      ...(canPrompt && {
        prompt: ttyApprover({
          input: io.stdin,
          output: io.stderr,
          // A deterministic clock stands still while a human is asked: think time is not outage.
          pause: () => {
            renderer.pause();
            releasePrompt = emulator?.hold?.();
          },
          resume: () => {
            releasePrompt?.();
            renderer.resume();
          },
        }),
      }),
    });
    if (!options.json && emulator && options.emulator?.kind === 'embedded') {
      io.stderr.write(
        colors.dim(
          `Embedded emulator at ${emulator.url} (${emulator.hold ? 'deterministic clock' : `time scale ${options.timeScale}x`}).\n`,
        ),
      );
    }

    // Pool capacities read by the warm-up pass, for percent-of sizing once their region is dark.
    const capacity =
      options.capacityPath !== undefined
        ? createFileCapacityRecords(resolve(cwd, options.capacityPath))
        : createMemoryCapacityRecords();
    let warmUp: RunResult | undefined;
    if (emulator && options.emulator?.kind === 'embedded' && !options.dryRun) {
      // The SDK clients load and set up on their first call, which takes real
      // time the scaled clock would count as minutes of outage. An observe-only
      // pass first keeps that cost out of the drill's timeline and RTO.
      const warm = await runPlan(loaded.plan, {
        providers,
        time: emulator.context.clock,
        ...(emulator.context.random && { random: emulator.context.random }),
        dryRun: true,
        capacity,
        ...(notifications.notifier && { notifier: notifications.notifier }),
      });
      warmUp = warm.isOk() ? warm.value : undefined;
    }
    if (scenario && emulator) await applyScenario(emulator.url, scenario);

    const clock = emulator?.context.clock ?? realTime;
    const status =
      options.status && !options.json
        ? await startStatusPage(options.status, loaded.plan, clock, options.planPath, io.stderr)
        : undefined;
    const announcer = runEventAnnouncer(notifications, loaded.plan, clock, (message) =>
      io.stderr.write(`warning: ${message}\n`),
    );
    let result: RunResult;
    try {
      const outcome = await runPlan(loaded.plan, {
        ...(notifications.notifier && { notifier: notifications.notifier }),
        ...(notifications.templates && { notificationTemplates: notifications.templates }),
        providers,
        time: emulator?.context.clock ?? realTime,
        // A deterministic drill's seeded jitter: the executor's retries repeat too.
        ...(emulator?.context.random && { random: emulator.context.random }),
        dryRun: options.dryRun,
        capacity,
        approver,
        resume: options.resume,
        ...(options.detection && { detection: options.detection }),
        ...(options.concurrency !== undefined && { concurrency: options.concurrency }),
        onEvent: (event) => {
          renderer.onEvent(options.json ? event : printableCopy(event));
          status?.onEvent(printableCopy(event));
          announcer?.onEvent(event);
        },
        ...(journal && { journal: journalWithEnvironment(journal, environment) }),
        ...(io.signal && { abortSignal: io.signal }),
      });
      if (outcome.isErr()) {
        const problems = 'problems' in outcome.error ? (outcome.error.problems as never) : undefined;
        if (problems) throw invalidPlanError(loaded.displayPath, problems);
        throw new CliError(`The run of ${loaded.displayPath} could not start: ${outcome.error.message}`, {
          exitCode: exitCodes.failed,
          cause: outcome.error,
        });
      }
      result = outcome.value;
    } finally {
      renderer.close();
      await status?.stop();
      // The last stage message (completed, failed) is still being delivered: wait for it, bounded by its budget.
      await announcer?.settled();
    }

    if (options.reportPath !== undefined)
      writeReport(resolve(cwd, options.reportPath), options.reportPath, result);
    if (!options.json) {
      // Ids and messages come from the plan: shown with control characters escaped.
      const shown = printableCopy(result);
      if (result.dryRun) io.stdout.write(renderDryRun(shown, colors));
      // A drill ends with the whole report; a run with a summary and where the report is.
      if (options.printReport) io.stdout.write(`\n${renderReportMarkdown(shown.report)}`);
      if (scenario && !result.dryRun)
        io.stdout.write(
          `\n${describeScenarioOutcome(options.scenario!, scenario, compiled, warmUp, result)}`,
        );
      else
        io.stdout.write(
          renderRunSummary(
            shown,
            colors,
            options.journalPath !== undefined
              ? reportCommandLine(options.journalPath, options.planPath)
              : undefined,
          ),
        );
      if (options.reportPath !== undefined) {
        const absolute = resolve(cwd, options.reportPath);
        io.stdout.write(`\nReport written to ${options.reportPath} (${pathToFileURL(absolute).href})\n`);
      }
    }
    return exitCodeOfRun(result);
  } finally {
    await emulator?.stop();
  }
}

function writeReport(absolute: string, displayPath: string, result: RunResult): void {
  const extension = extname(absolute).toLowerCase();
  const text =
    extension === '.json'
      ? renderReportJson(result.report)
      : extension === '.html' || extension === '.htm'
        ? renderReportHtml(printableCopy(result).report)
        : renderReportMarkdown(result.report);
  try {
    mkdirSync(dirname(absolute), { recursive: true });
    writeFileSync(absolute, text);
  } catch (thrown) {
    throw new CliError(`Could not write the report to ${displayPath}: ${describeThrown(thrown)}`, {
      exitCode: exitCodeOfRun(result) === exitCodes.success ? exitCodes.failed : exitCodeOfRun(result),
    });
  }
}

/**
 * Fails before any change when an approval step will be reached that nobody
 * can answer (no terminal, not in `--approve`, no `--yes`), instead of running
 * half the plan and rolling it back.
 */
function checkApprovals(
  compiled: CompiledPlan,
  completed: ReadonlySet<string>,
  options: RunSessionOptions,
  canPrompt: boolean,
): void {
  const approvals = compiled.order.filter((id) => compiled.steps.get(id)!.step.kind === 'approval');
  const unknown = options.approve.filter((id) => !approvals.includes(id));
  if (unknown.length > 0) {
    throw new CliError(
      `--approve ${unknown[0]}: the plan has no approval step "${unknown[0]}" (its approval steps: ${approvals.join(', ') || 'none'}).`,
    );
  }
  if (options.dryRun || options.yes || canPrompt) return;
  const unanswered = approvals.filter((id) => !completed.has(id) && !options.approve.includes(id));
  if (unanswered.length === 0) return;
  throw new CliError(
    `The plan needs approval of ${unanswered.map((id) => `"${id}"`).join(', ')} and nobody can be asked (stdin is not a terminal); pass ${unanswered.map((id) => `--approve ${id}`).join(' ')}, or --yes.`,
    { exitCode: exitCodes.needsApproval },
  );
}
