import type { FailoverError } from '../errors/failover-error.js';
import { toFailoverError } from '../errors/to-failover-error.js';
import type { Journal } from '../journal/journal.js';
import type { JournalEntry } from '../journal/journal-entry.js';
import type { ExecutorEvent } from './executor-event.js';
import type { Notifier } from './notifier.js';
import type { ProviderRegistry } from './provider-registry.js';
import type { RunSettings } from './resolve-run-settings.js';
import type { RunContext } from './run-context.js';

export interface RunContextInput {
  planId: string;
  runId: string;
  settings: RunSettings;
  providers: ProviderRegistry;
  notifier: Notifier | undefined;
  /** Absent in a dry-run: nothing is journaled. */
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

  const fail = (error: FailoverError) => {
    fatal ??= error;
    controller.abort(error);
  };

  return {
    planId: input.planId,
    runId: input.runId,
    time: settings.time,
    providers: input.providers,
    dryRun: settings.dryRun,
    approver: settings.approver,
    notifier: input.notifier,
    httpProbe: settings.httpProbe,
    random: settings.random,
    retry: settings.retry,
    defaultTimeoutMs: settings.defaultTimeoutMs,
    signal: controller.signal,
    listening: onEvent !== undefined,
    emit(event: ExecutorEvent) {
      try {
        onEvent?.(event);
      } catch {
        // A subscriber's bug must not stop a failover.
      }
    },
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
    get fatal() {
      return fatal;
    },
  };
}
