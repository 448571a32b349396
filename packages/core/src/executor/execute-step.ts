import { FailoverError } from '../errors/failover-error.js';
import { cancelledError } from '../errors/to-failover-error.js';
import type { InFlightStepRecord } from '../journal/replay-journal.js';
import type { LeafStep } from '../plan/compile-plan.js';
import { err, type Result } from '../result.js';
import { approvalTimedOut } from './approval-step.js';
import { emptyCallTally } from './call-counts.js';
import { stepTimedOut } from './executor-errors.js';
import { resolveRetryPolicy, retryDelayMs } from './retry-delay.js';
import type { RunContext } from './run-context.js';
import type { StepResult } from './run-result.js';
import { runStepBody } from './step-body.js';
import { stepTimeoutMs } from './step-deadline.js';
import { actionValue } from './step-journal.js';
import type { StepRun, StepValue } from './step-run.js';
import { untilAborted } from './until-aborted.js';

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
  const controller = new AbortController();
  const run: StepRun = {
    ctx,
    stepId: step.id,
    step,
    signal: controller.signal,
    deadline: timeoutMs === undefined ? Number.POSITIVE_INFINITY : startedAt + timeoutMs,
    calls: emptyCallTally(),
    progress: {
      ...(resumed?.intentBefore && { intentBefore: resumed.intentBefore }),
      ...(resumed?.ensured && { ensured: resumed.ensured }),
    },
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
  const journaled = await ctx.record({
    type: 'step-start',
    runId: ctx.runId,
    at: startedAt,
    stepId: step.id,
  });

  let stopReason: 'timeout' | 'cancelled' | undefined;
  let outcome: Result<StepValue, FailoverError> | undefined;
  if (journaled && !ctx.signal.aborted) {
    const onRunAbort = () => {
      stopReason ??= 'cancelled';
      controller.abort();
    };
    ctx.signal.addEventListener('abort', onRunAbort, { once: true });
    const timer = timeoutMs === undefined ? undefined : new AbortController();
    if (timer) {
      ctx.time.sleep(timeoutMs!, timer.signal).then(() => {
        if (timer.signal.aborted) return;
        stopReason ??= 'timeout';
        controller.abort();
      });
    }
    outcome = await untilAborted(runAttempts(run, tracker), controller.signal);
    timer?.abort();
    ctx.signal.removeEventListener('abort', onRunAbort);
  }
  run.finished = true;
  if (outcome === undefined || (outcome.isErr() && controller.signal.aborted)) {
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
    ...(error && { error }),
    ...(value.diff && { diff: value.diff }),
    ...(value.undo && { undo: value.undo }),
    calls: run.calls,
    ...(run.warnings && { warnings: run.warnings }),
  };

  if (!ctx.fatal) {
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
    });
  }
  return result;
}

interface AttemptTracker {
  attempts: number;
  lastError?: FailoverError;
}

async function runAttempts(run: StepRun, tracker: AttemptTracker): Promise<Result<StepValue, FailoverError>> {
  const { ctx, step } = run;
  const policy = resolveRetryPolicy(step.retry, ctx.retry);
  // Asking a human twice is not a retry: an approval gets one attempt.
  const maxAttempts = step.kind === 'approval' ? 1 : Math.max(1, policy.maxAttempts);
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
    if (!result.error.retryable || attempt >= maxAttempts) return result;

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
