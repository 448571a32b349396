import { setMaxListeners } from 'node:events';
import type { FailoverError } from '../errors/failover-error.js';
import { toFailoverError } from '../errors/to-failover-error.js';
import type { Journal } from '../journal/journal.js';
import type { JournalEntry } from '../journal/journal-entry.js';
import type { NotifierV1 } from '../notify/notifier-v1.js';
import type { Time } from '../time/time.js';
import type { CapacityRecords } from './capacity-records.js';
import type { DeadlineWatchdog } from './deadline-watchdog.js';
import type { DurableCalls } from './durable-calls.js';
import type { ExecutorEvent } from './executor-event.js';
import type { ForcedDatabaseStep } from './forced-steps-gated.js';
import type { ProviderRegistry } from './provider-registry.js';
import type { RunSettings } from './resolve-run-settings.js';
import type { Cancellable, RunContext, RunNotice } from './run-context.js';

export interface RunContextInput {
  /** Step deadlines; closed by the caller when the run ends. */
  watchdog: DeadlineWatchdog;
  planId: string;
  runId: string;
  settings: RunSettings;
  providers: ProviderRegistry;
  /** The plan's `objectives.rpoMs`. */
  rpoMs?: number | undefined;
  /** By approval step id, the forced database steps waiting on it. */
  forcedStepsByApproval?: ReadonlyMap<string, readonly ForcedDatabaseStep[]> | undefined;
  notifier: NotifierV1 | undefined;
  notice: RunNotice;
  capacity?: CapacityRecords | undefined;
  /**
   * Absent in a dry-run, and when the caller gave none: a journal nobody else
   * holds could never be read back, so keeping one would only cost time.
   */
  journal: Journal | undefined;
  onEvent: ((event: ExecutorEvent) => void) | undefined;
  /** Aborted by the caller's signal; the context aborts it too when the journal fails. */
  controller: AbortController;
}

/**
 * The shared state of one run. A journal failure is fatal: it is kept as
 * `fatal` and aborts the run, since going on without a durable record could
 * repeat or lose a change after a crash.
 */
export function createRunContext(input: RunContextInput): RunContext {
  const { settings, journal, onEvent, controller } = input;
  let fatal: FailoverError | undefined;
  const cancelListeners = new Set<Cancellable>();
  // Many steps may sleep on the run's signal at once (wait steps): that is not a leak.
  setMaxListeners(0, controller.signal);
  controller.signal.addEventListener(
    'abort',
    () => {
      for (const target of [...cancelListeners]) target.cancel();
      cancelListeners.clear();
    },
    { once: true },
  );

  const fail = (error: FailoverError) => {
    fatal ??= error;
    controller.abort(error);
  };

  return {
    planId: input.planId,
    runId: input.runId,
    // The steps' waits are the engine's durable timers when it has some; the deadline watchdog keeps settings.time.
    time: durableWaits(settings.time, settings.durableCalls),
    providers: input.providers,
    rpoMs: input.rpoMs,
    forcedStepsByApproval: input.forcedStepsByApproval,
    dryRun: settings.dryRun,
    approver: settings.approver,
    notifier: input.notifier,
    notice: input.notice,
    httpProbe: settings.httpProbe,
    signals: settings.signals,
    capacity: input.capacity,
    random: settings.random,
    durableCalls: settings.durableCalls,
    retry: settings.retry,
    defaultTimeoutMs: settings.defaultTimeoutMs,
    signal: controller.signal,
    onCancel(target) {
      if (controller.signal.aborted) target.cancel();
      else cancelListeners.add(target);
    },
    offCancel(target) {
      cancelListeners.delete(target);
    },
    watchDeadline: (at, target) => input.watchdog.watch(at, target),
    listening: onEvent !== undefined,
    emit(event: ExecutorEvent) {
      try {
        onEvent?.(event);
      } catch {
        // A subscriber's bug must not stop a failover.
      }
    },
    journaling: journal !== undefined,
    async record(entry: JournalEntry) {
      if (!journal) return true;
      if (fatal) return false;
      try {
        const appended = await journal.append(entry);
        if (appended.isOk()) return true;
        fail(appended.error);
      } catch (thrown) {
        fail(toFailoverError(thrown, 'journal', 'append'));
      }
      return false;
    },
    async flushJournal() {
      if (!journal?.flush) return true;
      if (fatal) return false;
      try {
        const flushed = await journal.flush();
        if (flushed.isOk()) return true;
        fail(flushed.error);
      } catch (thrown) {
        fail(toFailoverError(thrown, 'journal', 'flush'));
      }
      return false;
    },
    get fatal() {
      return fatal;
    },
  };
}

/** `time`, with its sleeps made by `durable.sleep` when the engine offers durable timers. */
function durableWaits(time: Time, durable: DurableCalls | undefined): Time {
  const sleep = durable?.sleep?.bind(durable);
  if (!sleep) return time;
  return { now: () => time.now(), sleep };
}
