import type { FailoverError } from '../errors/failover-error.js';
import type { SignalSourceV1 } from '../health/signal-source-v1.js';
import type { JournalEntry } from '../journal/journal-entry.js';
import type { NotificationTemplates } from '../notify/notification-templates.js';
import type { NotifierV1 } from '../notify/notifier-v1.js';
import type { RetryPolicy } from '../plan/step.js';
import type { Time } from '../time/time.js';
import type { Approver } from './approver.js';
import type { CallTally } from './call-counts.js';
import type { CapacityRecords } from './capacity-records.js';
import type { DeadlineEntry, Expirable } from './deadline-watchdog.js';
import type { DurableCalls } from './durable-calls.js';
import type { ExecutorEvent } from './executor-event.js';
import type { ForcedDatabaseStep } from './forced-steps-gated.js';
import type { HttpProbe } from './http-probe.js';
import type { ProviderRegistry } from './provider-registry.js';

/** What the run's cancellation stops. */
export interface Cancellable {
  cancel(): void;
}

/** Everything one run's steps share. Internal to the executor. */
export interface RunContext {
  readonly planId: string;
  readonly runId: string;
  readonly time: Time;
  readonly providers: ProviderRegistry;
  /** The plan's recovery point objective: a forced promotion whose last observed lag exceeds it is refused. */
  readonly rpoMs?: number | undefined;
  /** By approval step id, the forced database steps waiting on it: what the approver is shown the data-loss window of. */
  readonly forcedStepsByApproval?: ReadonlyMap<string, readonly ForcedDatabaseStep[]> | undefined;
  readonly dryRun: boolean;
  readonly approver: Approver;
  readonly notifier: NotifierV1 | undefined;
  /** What notifications are filled from: the plan's name and regions, when the run (or the run it resumes) began. */
  readonly notice: RunNotice;
  readonly httpProbe: HttpProbe;
  /** The signal sources `metric` checks read, by id. */
  readonly signals: Readonly<Record<string, SignalSourceV1>>;
  /** Where pool capacities are recorded and read back when a source pool is dark. */
  readonly capacity: CapacityRecords | undefined;
  readonly random: () => number;
  /** Set when a workflow engine records provider calls (`RunOptions.durableCalls`). */
  readonly durableCalls?: DurableCalls | undefined;
  readonly retry: Required<RetryPolicy>;
  readonly defaultTimeoutMs: number;
  /** Aborts when the caller cancels or the journal fails: every step stops waiting. */
  readonly signal: AbortSignal;
  /**
   * Calls `target.cancel()` once when `signal` aborts, until `offCancel`. One
   * listener on the signal serves every step, instead of one each.
   */
  onCancel(target: Cancellable): void;
  offCancel(target: Cancellable): void;
  /** Calls `target.expire()` at clock time `at` (one timer for the whole run). */
  watchDeadline(at: number, target: Expirable): DeadlineEntry;
  /** Whether anyone receives events: callers skip building them otherwise. */
  readonly listening: boolean;
  emit(event: ExecutorEvent): void;
  /** False when the run keeps no journal (a dry-run, or no journal given): callers skip building entries. */
  readonly journaling: boolean;
  /**
   * Appends to the journal and waits until it is durable. False when the
   * journal failed: the run is then stopping (`fatal` holds the error).
   */
  record(entry: JournalEntry): Promise<boolean>;
  /**
   * Makes everything journaled so far durable (`Journal.flush`), before a long wait.
   * False when the journal failed, as for `record`.
   */
  flushJournal(): Promise<boolean>;
  /** Set when the journal failed; the run returns it as its error. */
  readonly fatal: FailoverError | undefined;
}

/** Where provider calls are made from: a step, or one undo during rollback. */
export interface CallScope {
  readonly ctx: RunContext;
  readonly stepId: string;
  /** Aborts at the deadline or when the run stops. */
  readonly signal: AbortSignal;
  /** Clock time by which the work must end; `Infinity` for none. */
  readonly deadline: number;
  readonly calls: CallTally;
}

/** Milliseconds left before the scope's deadline: what a `wait*` call may use. */
export function remainingMs(scope: CallScope): number {
  if (scope.deadline === Number.POSITIVE_INFINITY) return scope.ctx.defaultTimeoutMs;
  return Math.max(0, scope.deadline - scope.ctx.time.now());
}

/** The plan and run data a notification template needs. */
export interface RunNotice {
  planName: string;
  sourceRegion: string;
  targetRegion: string;
  objectiveRtoMs?: number;
  /** Clock time the run began (the first run's, when this one resumes it). */
  startedAt: number;
  /** Stage templates that replace the defaults. */
  templates?: NotificationTemplates;
}
