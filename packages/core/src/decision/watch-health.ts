import { FailoverError } from '../errors/failover-error.js';
import type { SignalSourceV1 } from '../health/signal-source-v1.js';
import type { IncidentDetection } from '../report/incident-review.js';
import { type FailoverResult, ResultAsync } from '../result.js';
import type { Time } from '../time/time.js';
import type { CheckReading } from './check-reading.js';
import type { Decision } from './decision.js';
import {
  type EngineState,
  type Evaluation,
  evaluateDecision,
  initialEngineState,
} from './decision-engine.js';
import type { DecisionPolicy } from './decision-policy.js';
import { resolveDecisionPolicy } from './default-policy.js';
import { detectionOf } from './detection-of.js';
import type { HealthCheckSpec } from './health-check-spec.js';
import type { WatchJournal, WatchRunStatus } from './watch-journal.js';

/** What the watcher asks of the bound plan's run. */
export interface FailoverTriggerRequest {
  /** The run's id, journaled before the run starts: pass it to `runPlan`. */
  runId: string;
  decision: Decision;
  /**
   * The first failing observation behind the decision and when it was decided (and
   * approved, after a manual review): pass it to `runPlan` as `detection`, for the
   * report's time to detect. Absent only for a trigger journaled before it was recorded.
   */
  detection?: IncidentDetection;
  /** True after a restart found this run triggered but not ended: resume it from its journal. */
  resume: boolean;
  abortSignal: AbortSignal;
}

/** Runs the bound plan (`runPlan` with a golden-rule approver) and says how it ended. Never throws. */
export type FailoverTrigger = (
  request: FailoverTriggerRequest,
) => Promise<{ status: WatchRunStatus; detail?: string }>;

/** A manual review to send: the decision, its evidence, and the evaluation behind it. */
export interface ManualReview {
  at: number;
  decision: Decision;
  evaluation: Evaluation;
}

/** Options of `watchHealth`. */
export interface WatchOptions {
  checks: readonly HealthCheckSpec[];
  /** The sources the checks read, by id. */
  signals: Readonly<Record<string, SignalSourceV1>>;
  /** Overrides of the ADR defaults (`resolveDecisionPolicy`). */
  policy?: Partial<DecisionPolicy>;
  /**
   * Clock and sleeper. Sources doing real I/O need a clock that moves with the
   * wall clock (the emulator's scaled clock): a virtual clock jumps ahead while a
   * request is in flight and times the read out.
   */
  time: Time;
  /** Where evaluations, the trigger and reviews are recorded; a restart continues from it. */
  journal: WatchJournal;
  /** Runs the bound plan: called at most once per journal. */
  failover: FailoverTrigger;
  /** Sends a manual review (a notifier); called when the decision becomes MANUAL_REVIEW_REQUIRED. */
  onManualReview?: (review: ManualReview) => Promise<void>;
  /**
   * Asked at each evaluation while MANUAL_REVIEW_REQUIRED is in force and no run
   * was triggered: who approved the failover, if a human did (`failover watch
   * --grant failover`). An approval triggers the one run as an automatic decision would.
   */
  humanApproval?: () => Promise<string | undefined>;
  /** Sees every evaluation, synchronously (progress output). */
  onEvaluation?: (evaluation: Evaluation) => void;
  /** Stops the watch (the automatic run, if one is in flight, is cancelled through its own signal). */
  abortSignal?: AbortSignal;
  /** Stops the watch once this holds, checked after each evaluation (tests, `--until`). */
  until?: (status: WatchStatus) => boolean;
  /** Run ids for the trigger. Default: random UUIDs. */
  newRunId?: () => string;
}

/** Where the watch stands. */
export interface WatchStatus {
  state: EngineState;
  evaluations: number;
  /** The automatic run, once triggered. */
  run?: { runId: string; status: WatchRunStatus | 'running'; detail?: string };
}

/**
 * Watches the checks on their intervals and acts on the decisions: on
 * AUTOMATIC_FAILOVER it runs the bound plan once (a later trigger, while the run
 * is in flight or after it ended, does nothing: failing back is a human's call);
 * on MANUAL_REVIEW_REQUIRED it sends the review once per time the decision is
 * entered. Every evaluation is journaled with its inputs before it is acted on,
 * and a watcher restarted on the same journal continues where it stopped:
 * same engine state, the same run resumed if it had not ended, never a second run.
 */
export function watchHealth(options: WatchOptions): FailoverResult<WatchStatus> {
  return ResultAsync.fromPromise(runWatch(options), (thrown) =>
    FailoverError.isInstance(thrown)
      ? thrown
      : new FailoverError({
          kind: 'unexpected',
          message: String(thrown),
          provider: 'watch',
          operation: 'watch',
          cause: thrown,
        }),
  );
}

async function runWatch(options: WatchOptions): Promise<WatchStatus> {
  const { checks, signals, time, journal } = options;
  const names = new Set<string>();
  for (const spec of checks) {
    if (names.has(spec.name)) {
      throw new FailoverError({
        kind: 'invalid-input',
        message: `Two checks are named ${spec.name}: each check's state is kept by its name.`,
        provider: 'watch',
        operation: 'watch',
        path: `watch.checks.${spec.name}`,
      });
    }
    names.add(spec.name);
    if (!signals[spec.signal]) {
      throw new FailoverError({
        kind: 'invalid-input',
        message: `Check ${spec.name} reads signal "${spec.signal}", which no source provides (bound: ${Object.keys(signals).join(', ') || 'none'}).`,
        provider: 'watch',
        operation: 'watch',
        path: `watch.checks.${spec.name}.signal`,
      });
    }
  }
  const policy = resolveDecisionPolicy(options.policy);
  const entries = await journal.read();
  if (entries.isErr()) throw entries.error;

  // Rebuild from the journal: the last state, the run if one was triggered, the reviews sent.
  let state = initialEngineState(checks, time.now());
  let evaluations = 0;
  let run: WatchStatus['run'];
  let triggerDecision: Decision | undefined;
  let triggerDetection: IncidentDetection | undefined;
  for (const entry of entries.value) {
    if (entry.type === 'watch-evaluation') {
      state = entry.state;
      evaluations++;
    } else if (entry.type === 'watch-trigger') {
      run = { runId: entry.runId, status: 'running' };
      triggerDecision = entry.decision;
      triggerDetection = entry.detection;
    } else if (entry.type === 'watch-run-end' && run?.runId === entry.runId) {
      run = {
        runId: entry.runId,
        status: entry.status,
        ...(entry.detail !== undefined && { detail: entry.detail }),
      };
    }
  }
  const status = (): WatchStatus => ({ state, evaluations, ...(run && { run: { ...run } }) });

  const stop = new AbortController();
  const onAbort = () => stop.abort(options.abortSignal?.reason);
  options.abortSignal?.addEventListener('abort', onAbort, { once: true });
  if (options.abortSignal?.aborted) stop.abort();

  let inFlight: Promise<void> | undefined;
  let runFailure: unknown;
  const startRun = (
    runId: string,
    decision: Decision,
    detection: IncidentDetection | undefined,
    resume: boolean,
  ) =>
    endRun(runId, decision, detection, resume).catch((thrown: unknown) => {
      runFailure = thrown;
    });
  const endRun = async (
    runId: string,
    decision: Decision,
    detection: IncidentDetection | undefined,
    resume: boolean,
  ) => {
    const outcome = await options
      .failover({ runId, decision, ...(detection && { detection }), resume, abortSignal: stop.signal })
      .catch((thrown: unknown) => ({ status: 'error' as const, detail: String(thrown) }));
    run = { runId, status: outcome.status, ...(outcome.detail !== undefined && { detail: outcome.detail }) };
    const ended = await journal.append({
      type: 'watch-run-end',
      at: time.now(),
      runId,
      status: outcome.status,
      ...(outcome.detail !== undefined && { detail: outcome.detail }),
    });
    if (ended.isErr()) throw ended.error;
  };
  const trigger = async (at: number, decision: Decision, approvedByHuman: boolean) => {
    const runId = (options.newRunId ?? (() => crypto.randomUUID()))();
    const detection = detectionOf(policy, state, at, approvedByHuman ? at : undefined);
    // The trigger is on disk before the run starts: a crash in between resumes, never re-runs.
    const triggered = await journal.append({ type: 'watch-trigger', at, runId, decision, detection });
    if (triggered.isErr()) throw triggered.error;
    run = { runId, status: 'running' };
    inFlight = startRun(runId, decision, detection, false);
  };
  // A run triggered before a restart and never ended: resume it, never start another.
  if (run?.status === 'running' && triggerDecision)
    inFlight = startRun(run.runId, triggerDecision, triggerDetection, true);

  const nextDue = new Map(checks.map((spec) => [spec.name, time.now()]));
  try {
    while (!stop.signal.aborted) {
      const at = time.now();
      const due = checks.filter((spec) => nextDue.get(spec.name)! <= at);
      const readings = await Promise.all(
        due.map((spec) => readCheck(spec, signals[spec.signal]!, at, time, stop.signal)),
      );
      if (stop.signal.aborted) break;
      for (const spec of due) nextDue.set(spec.name, at + spec.intervalMs);

      const previous = state.decision;
      const next = evaluateDecision(checks, policy, state, readings, at);
      state = next.state;
      evaluations++;
      const written = await journal.append({
        type: 'watch-evaluation',
        at,
        evaluation: next.evaluation,
        state,
      });
      if (written.isErr()) throw written.error;
      options.onEvaluation?.(next.evaluation);

      let decision = next.evaluation.decision;
      if (decision.kind === 'MANUAL_REVIEW_REQUIRED' && !run && options.humanApproval) {
        const by = await options.humanApproval().catch(() => undefined);
        if (by !== undefined) {
          decision = { ...decision, reason: `${decision.reason}; failover approved by ${by}` };
          await trigger(at, decision, true);
        }
      }
      if (decision.kind === 'AUTOMATIC_FAILOVER' && !run) {
        await trigger(at, decision, false);
      } else if (
        decision.kind === 'MANUAL_REVIEW_REQUIRED' &&
        previous.kind !== 'MANUAL_REVIEW_REQUIRED' &&
        !run
      ) {
        const reviewed = await journal.append({ type: 'watch-review', at, decision });
        if (reviewed.isErr()) throw reviewed.error;
        await options.onManualReview?.({ at, decision, evaluation: next.evaluation }).catch(() => undefined);
      }
      if (options.until?.(status())) break;
      const wake = Math.min(...nextDue.values());
      await time.sleep(Math.max(0, wake - time.now()), stop.signal);
    }
  } finally {
    options.abortSignal?.removeEventListener('abort', onAbort);
  }
  // Leaving the watch never abandons a run: it ends on its own (or through the caller's abort).
  if (inFlight) await inFlight;
  if (runFailure !== undefined) throw runFailure;
  return status();
}

async function readCheck(
  spec: HealthCheckSpec,
  source: SignalSourceV1,
  at: number,
  time: Time,
  signal: AbortSignal,
): Promise<CheckReading> {
  const vantagePoints = [...source.vantagePoints];
  const deadline = new AbortController();
  const abort = () => deadline.abort();
  signal.addEventListener('abort', abort, { once: true });
  const timedOut = time.sleep(spec.timeoutMs, deadline.signal).then(() => 'timeout' as const);
  try {
    const read = source
      .read({
        at,
        windowMs: spec.windowMs ?? spec.intervalMs,
        timeoutMs: spec.timeoutMs,
        abortSignal: deadline.signal,
        deadlineAt: at + spec.timeoutMs,
      })
      .match(
        (samples) => ({ samples }),
        (error) => ({ error }),
      );
    const outcome = await Promise.race([read, timedOut]);
    if (outcome === 'timeout') {
      return {
        check: spec.name,
        at,
        vantagePoints,
        error: {
          kind: 'timeout',
          message: `no answer within ${spec.timeoutMs} ms`,
          provider: source.provider,
          operation: 'read',
          retryable: false,
        },
      };
    }
    if ('error' in outcome) return { check: spec.name, at, vantagePoints, error: outcome.error.toJSON() };
    return { check: spec.name, at, vantagePoints, samples: outcome.samples };
  } catch (thrown) {
    // A source that throws broke its contract; its round is unknown, the watch goes on.
    return {
      check: spec.name,
      at,
      vantagePoints,
      error: {
        kind: 'unexpected',
        message: String(thrown),
        provider: source.provider,
        operation: 'read',
        retryable: false,
      },
    };
  } finally {
    deadline.abort();
    signal.removeEventListener('abort', abort);
  }
}
