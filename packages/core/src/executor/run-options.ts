import type { SignalSourceV1 } from '../health/signal-source-v1.js';
import type { Journal } from '../journal/journal.js';
import type { AnyNotifier } from '../notify/any-notifier.js';
import type { NotificationTemplates } from '../notify/notification-templates.js';
import type { RetryPolicy } from '../plan/step.js';
import type { IncidentDetection } from '../report/incident-review.js';
import type { Time } from '../time/time.js';
import type { Approver } from './approver.js';
import type { CapacityRecords } from './capacity-records.js';
import type { DurableCalls } from './durable-calls.js';
import type { ExecutorEvent } from './executor-event.js';
import type { HttpProbe } from './http-probe.js';
import type { ProviderRegistry } from './provider-registry.js';

/** Options of `runPlan`: the providers to bind, and the runtime around them. */
export interface RunOptions {
  /** The provider objects the plan's provider names are bound to. */
  providers: ProviderRegistry;
  /**
   * Clock and sleeper. Default: real time. Tests of in-memory providers pass
   * `createVirtualTime()`; providers that do real I/O (adapters over HTTP) need a
   * clock that moves with the wall clock, such as the emulator's scaled clock,
   * because a virtual clock jumps ahead while a request is in flight.
   */
  time?: Time;
  /**
   * Steps running at once, at most. Default: the plan's `concurrency`, else 1,000.
   * `Infinity` lets the dependencies alone decide.
   */
  concurrency?: number;
  /**
   * Observe only: every step reports what it would do (`RunResult.diffs`); no
   * mutating method, approval, notification or wait is performed, and the
   * journal is neither locked nor written.
   */
  dryRun?: boolean;
  /** Answers approval steps. Default `denyAll`: an unanswered approval is a denial. */
  approver?: Approver;
  /**
   * Delivers notify steps (`routeNotifications`, a channel, or a `Notifier` function).
   * A plan with a notify step that nothing delivers to is invalid. A failed
   * delivery is retried with backoff, then becomes a warning: it never fails the run.
   */
  notifier?: AnyNotifier;
  /** Wording of notify steps that name a `stage`, replacing the defaults stage by stage. */
  notificationTemplates?: NotificationTemplates;
  /**
   * Records each pool's capacity when a run or dry-run reads it (readiness checks,
   * percent-of sizing), and sizes a percent-of pool from the last record when the
   * pool it is a share of cannot be read (its region is dark); the report says so.
   * `createFileCapacityRecords(path)` keeps them between runs. Default: none.
   */
  capacity?: CapacityRecords;
  /** The signal sources `metric` checks read, by id (error rate, latency percentiles). Default: none. */
  signals?: Readonly<Record<string, SignalSourceV1>>;
  /** Performs `http` checks. Default `fetchProbe` (global fetch). */
  httpProbe?: HttpProbe;
  /**
   * Where the run is recorded, and where an unfinished run is resumed from
   * (`createFileJournal(path)` to survive a crash, `createMemoryJournal()` to
   * resume within the process). Default: none, which behaves like a fresh
   * in-memory journal nobody can read back: no lock, no resume.
   */
  journal?: Journal;
  /**
   * Continue an unfinished (crashed or cancelled) run of the same plan found in
   * the journal. Default true. When false, a new run starts from the first step.
   */
  resume?: boolean;
  /** Cancels the run: waiting stops, running steps end `cancelled`, nothing is rolled back. */
  abortSignal?: AbortSignal;
  /** Receives every event, synchronously. A subscriber that throws is ignored. */
  onEvent?: (event: ExecutorEvent) => void;
  /** Source of the retry jitter, in [0, 1). Default `Math.random`. */
  random?: () => number;
  /** Retry policy of steps that have none. Defaults: 3 attempts, 1 s base, 30 s cap. */
  defaultRetry?: RetryPolicy;
  /**
   * Deadline of a step without `timeoutMs` (all attempts and waits included), and
   * of each undo during rollback. Default 30 minutes. Wait steps without a
   * timeout have none: their duration bounds them.
   */
  defaultTimeoutMs?: number;
  /**
   * Before a fresh run's first mutating call, observe every action whose provider has a
   * pre-check (`precheckRecordSet`, `precheckWriter`, `precheckSize`) and ask it, as a
   * dry-run does; when any refuses, the run fails at once with every refusal and changes
   * nothing. Default true. A resumed run skips it (its world is already half changed).
   */
  precheck?: boolean;
  /** Undo the completed reversible steps when a step fails. Default true. */
  rollbackOnFailure?: boolean;
  /**
   * Makes every provider call a durable side effect of a workflow engine, so a run
   * replayed on another machine makes no completed call again (`@failover/restate`
   * binds it to Restate). Default: none, calls are made directly.
   */
  durableCalls?: DurableCalls;
  /**
   * When the incident was first observed and decided on (the decision engine's
   * evaluation; `failover watch` passes it): journaled with the run's start, so a
   * resumed run keeps it, and the report's incident review gives the time to detect.
   * A resumed run keeps the detection its chain recorded first. Default: none.
   */
  detection?: IncidentDetection;
  /** Id of this run in events, journal and report. Default: a random UUID. */
  runId?: string;
}
