import { FailoverError } from '../errors/failover-error.js';
import { cancelledError } from '../errors/to-failover-error.js';
import type { InFlightStepRecord } from '../journal/replay-journal.js';
import type { LeafStep } from '../plan/compile-plan.js';
import { err, type Result } from '../result.js';
import { stepDeadlinePassed } from './abort-reasons.js';
import { approvalTimedOut } from './approval-step.js';
import { emptyCallTally, madeNoCall } from './call-counts.js';
import type { DeadlineEntry, Expirable } from './deadline-watchdog.js';
import { stepTimedOut } from './executor-errors.js';
import { resolveRetryPolicy, retryDelayMs } from './retry-delay.js';
import type { Cancellable, RunContext } from './run-context.js';
import type { StepResult } from './run-result.js';
import { runStepBody } from './step-body.js';
import { stepTimeoutMs } from './step-deadline.js';
import { actionValue } from './step-journal.js';
import type { StepProgress, StepRun, StepValue } from './step-run.js';

/**
 * Runs one step to its end: journals and announces it, arms its deadline
 * (covering every attempt and wait), retries retryable errors with backoff and
 * jitter (a service's Retry-After wins), and turns a deadline into `timeout`
 * (a denial for an approval) and a cancel into `cancelled`. Never rejects.
 *
 * `resumed` seeds the step with what an interrupted run journaled, so it waits
 * on a journaled handle instead of calling `ensure*` again.
 */
export async function executeStep(
  ctx: RunContext,
  step: LeafStep,
  resumed?: InFlightStepRecord,
): Promise<StepResult> {
  const startedAt = ctx.time.now();
  const timeoutMs = stepTimeoutMs(step, ctx.defaultTimeoutMs);
  // A step without a deadline (a wait step) only stops on cancel: the run's signal is enough.
  const controller = timeoutMs === undefined ? undefined : new AbortController();
  const run: StepRun = {
    ctx,
    stepId: step.id,
    step,
    signal: controller?.signal ?? ctx.signal,
    deadline: timeoutMs === undefined ? Number.POSITIVE_INFINITY : startedAt + timeoutMs,
    calls: emptyCallTally(),
    progress: resumed ? seedProgress(resumed) : {},
    finished: false,
  };
  const tracker: AttemptTracker = { attempts: 0 };

  if (ctx.listening) {
    ctx.emit({
      type: 'step-start',
      runId: ctx.runId,
      at: startedAt,
      stepId: step.id,
      kind: step.kind,
      ...(resumed && { resumed: true }),
    });
  }
  const journaled =
    !ctx.journaling ||
    (await ctx.record({ type: 'step-start', runId: ctx.runId, at: startedAt, stepId: step.id }));

  let stopReason: 'timeout' | 'cancelled' | undefined;
  let outcome: Result<StepValue, FailoverError> | undefined;
  if (journaled && !ctx.signal.aborted) {
    const race = new StepRace(run, controller);
    outcome = await race.run(runAttempts(run, tracker));
    stopReason = race.stopReason;
  }
  run.finished = true;
  if (outcome === undefined || (outcome.isErr() && stopReason !== undefined)) {
    const reason = stopReason ?? 'cancelled';
    if (reason === 'timeout') {
      outcome = err(
        step.kind === 'approval'
          ? approvalTimedOut(run, step)
          : stepTimedOut(step.id, timeoutMs!, run.lastStatus, tracker.lastError),
      );
    } else {
      outcome = err(ctx.fatal ?? cancelledError('executor', `step ${step.id}`, ctx.signal.reason));
    }
  }

  const endedAt = ctx.time.now();
  const value = outcome.isOk() ? outcome.value : actionValue(run);
  const error = outcome.isErr() ? outcome.error : undefined;
  const status = outcome.isOk()
    ? 'succeeded'
    : stopReason === 'cancelled' || !journaled
      ? 'cancelled'
      : 'failed';
  const result: StepResult = {
    stepId: step.id,
    name: step.name ?? step.id,
    kind: step.kind,
    status,
    changed: value.changed,
    attempts: Math.max(1, tracker.attempts),
    startedAt,
    endedAt,
    durationMs: endedAt - startedAt,
    calls: run.calls,
  };
  if (error) result.error = error;
  if (value.diff) result.diff = value.diff;
  const evidence = value.evidence ?? run.evidence;
  if (evidence) result.evidence = evidence;
  if (value.undo) result.undo = value.undo;
  if (run.warnings) result.warnings = run.warnings;

  if (ctx.journaling && !ctx.fatal) {
    await ctx.record({
      type: 'step-end',
      runId: ctx.runId,
      at: endedAt,
      stepId: step.id,
      status,
      changed: result.changed,
      startedAt,
      attempts: result.attempts,
      ...(result.undo && { undo: result.undo }),
      ...(error && { error: error.toJSON() }),
      // A step without calls leaves its tally out (the journal's report reads it as none): ~130 bytes a wait step.
      ...(!madeNoCall(result.calls) && { calls: result.calls }),
      ...(result.evidence && { evidence: result.evidence }),
    });
  }
  if (ctx.listening) {
    ctx.emit({
      type: 'step-end',
      runId: ctx.runId,
      at: endedAt,
      stepId: step.id,
      status,
      changed: result.changed,
      durationMs: result.durationMs,
      attempts: result.attempts,
      ...(error && { error: error.toJSON() }),
      ...(result.diff && { diff: result.diff }),
      calls: result.calls,
    });
  }
  return result;
}

/**
 * Ends a step with its body, or as soon as it is cancelled or passes its
 * deadline, without waiting for a provider that ignores its abort signal.
 * A class, so that racing allocates no closure per step.
 */
class StepRace implements Cancellable, Expirable {
  stopReason: 'timeout' | 'cancelled' | undefined;
  private settle: ((outcome: Result<StepValue, FailoverError> | undefined) => void) | undefined;
  private deadline: DeadlineEntry | undefined;

  constructor(
    private readonly step: StepRun,
    private readonly controller: AbortController | undefined,
  ) {}

  run(
    work: Promise<Result<StepValue, FailoverError>>,
  ): Promise<Result<StepValue, FailoverError> | undefined> {
    const { ctx } = this.step;
    ctx.onCancel(this);
    if (this.controller) this.deadline = ctx.watchDeadline(this.step.deadline, this);
    return new Promise((settle) => {
      this.settle = settle;
      work.then(
        (outcome) => this.done(outcome),
        () => this.done(undefined),
      );
    });
  }

  cancel(): void {
    this.stop('cancelled');
  }

  expire(): void {
    this.stop('timeout');
  }

  private stop(reason: 'timeout' | 'cancelled'): void {
    if (this.step.finished || this.stopReason) return;
    this.stopReason = reason;
    this.controller?.abort(reason === 'timeout' ? stepDeadlinePassed : this.step.ctx.signal.reason);
    this.done(undefined);
  }

  private done(outcome: Result<StepValue, FailoverError> | undefined): void {
    this.step.ctx.offCancel(this);
    if (this.deadline) this.deadline.cancelled = true;
    this.settle?.(outcome);
  }
}

function seedProgress(resumed: InFlightStepRecord): StepProgress {
  const progress: StepProgress = {};
  if (resumed.intentBefore) progress.intentBefore = resumed.intentBefore;
  if (resumed.ensured) progress.ensured = resumed.ensured;
  return progress;
}

interface AttemptTracker {
  attempts: number;
  lastError?: FailoverError;
}

async function runAttempts(run: StepRun, tracker: AttemptTracker): Promise<Result<StepValue, FailoverError>> {
  const { ctx, step } = run;
  for (let attempt = 1; ; attempt++) {
    tracker.attempts = attempt;
    let result: Result<StepValue, FailoverError>;
    try {
      result = await runStepBody(run);
    } catch (thrown) {
      // A bug in the executor itself still must not crash the run.
      result = err(
        new FailoverError({
          kind: 'unexpected',
          message: `Step ${step.id} failed unexpectedly: ${thrown instanceof Error ? thrown.message : String(thrown)}`,
          provider: 'executor',
          operation: 'runStep',
          cause: thrown,
        }),
      );
    }
    if (result.isOk() || run.signal.aborted) return result;
    tracker.lastError = result.error;
    // Asking a human twice is not a retry: an approval gets one attempt.
    if (!result.error.retryable || step.kind === 'approval') return result;
    const policy = resolveRetryPolicy(step.retry, ctx.retry);
    if (attempt >= Math.max(1, policy.maxAttempts)) return result;

    const delayMs = retryDelayMs(policy, attempt, ctx.random, result.error.retryAfterMs);
    if (ctx.listening) {
      ctx.emit({
        type: 'step-retry',
        runId: ctx.runId,
        at: ctx.time.now(),
        stepId: step.id,
        attempt: attempt + 1,
        delayMs,
        error: result.error.toJSON(),
      });
    }
    await ctx.time.sleep(delayMs, run.signal);
    if (run.signal.aborted) return result;
  }
}
