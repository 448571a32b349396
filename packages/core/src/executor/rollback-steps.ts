import { FailoverError, type SerializedFailoverError } from '../errors/failover-error.js';
import type { JournalRollbackStatus, ObservedState } from '../journal/journal-entry.js';
import type { LeafStep } from '../plan/compile-plan.js';
import type { ActionStep } from '../plan/step.js';
import { emptyCallTally } from './call-counts.js';
import { resolveRetryPolicy, retryDelayMs } from './retry-delay.js';
import type { RunContext } from './run-context.js';
import type { RollbackResult, RollbackStepResult } from './run-result.js';
import { runScoped } from './scoped-work.js';
import { planUndo } from './undo-action.js';

/** A step that changed something, with the state to restore. */
export interface RollbackCandidate {
  step: LeafStep;
  before: ObservedState;
}

/**
 * Undoes `candidates` (given in completion order) in reverse completion order,
 * one at a time. An irreversible step is reported and passed over; the first
 * undo that fails stops the rollback (undoing what came before it, e.g. scaling
 * down the pool the traffic still goes to, could make things worse), and the
 * rest are reported `skipped`. Undos retry retryable errors with the step's
 * policy, within the step's timeout (or the run's default).
 *
 * `alreadyDone` holds what a crashed run's rollback had finished: those steps
 * are not undone again.
 */
export async function rollbackSteps(
  ctx: RunContext,
  candidates: readonly RollbackCandidate[],
  alreadyDone?: ReadonlyMap<string, { status: string; error?: SerializedFailoverError }>,
): Promise<RollbackResult> {
  const order = [...candidates].reverse();
  const stepIds = order.map((candidate) => candidate.step.id);
  if (!alreadyDone) {
    await ctx.record({ type: 'rollback-start', runId: ctx.runId, at: ctx.time.now(), stepIds });
  }
  if (ctx.listening) ctx.emit({ type: 'rollback-start', runId: ctx.runId, at: ctx.time.now(), stepIds });

  const steps: RollbackStepResult[] = [];
  let stoppedBy: 'failed' | 'cancelled' | undefined;
  for (const candidate of order) {
    const { step } = candidate;
    const previous = alreadyDone?.get(step.id);
    if (previous) {
      steps.push({
        stepId: step.id,
        status: previous.status as JournalRollbackStatus,
        ...(previous.error && { error: FailoverError.fromJSON(previous.error) }),
        calls: emptyCallTally(),
      });
      if (previous.status === 'failed') stoppedBy = 'failed';
      continue;
    }
    if (ctx.signal.aborted) {
      stoppedBy = 'cancelled';
      break;
    }
    const outcome: RollbackStepResult =
      stoppedBy === 'failed'
        ? { stepId: step.id, status: 'skipped', calls: emptyCallTally() }
        : await undoOne(ctx, step as ActionStep, candidate.before);
    steps.push(outcome);
    if (ctx.signal.aborted) {
      // Interrupted mid-undo: not journaled, so a resumed run undoes this step again (undos are idempotent).
      stoppedBy = 'cancelled';
      break;
    }
    if (outcome.status === 'failed') stoppedBy = 'failed';
    if (!ctx.fatal) {
      await ctx.record({
        type: 'rollback-step',
        runId: ctx.runId,
        at: ctx.time.now(),
        stepId: step.id,
        status: outcome.status,
        ...(outcome.error && { error: outcome.error.toJSON() }),
      });
    }
    if (ctx.listening) {
      ctx.emit({
        type: 'rollback-step',
        runId: ctx.runId,
        at: ctx.time.now(),
        stepId: step.id,
        status: outcome.status,
        ...(outcome.error && { error: outcome.error.toJSON() }),
      });
    }
  }

  const status: RollbackResult['status'] =
    stoppedBy === 'cancelled' || ctx.signal.aborted
      ? 'cancelled'
      : steps.some((step) => step.status === 'failed' || step.status === 'skipped')
        ? 'failed'
        : steps.some((step) => step.status === 'irreversible')
          ? 'partial'
          : 'rolled-back';
  if (ctx.listening) ctx.emit({ type: 'rollback-end', runId: ctx.runId, at: ctx.time.now(), status });
  return { status, steps };
}

async function undoOne(
  ctx: RunContext,
  step: ActionStep,
  before: ObservedState,
): Promise<RollbackStepResult> {
  const plan = planUndo(step, before);
  if ('irreversible' in plan) {
    return {
      stepId: step.id,
      status: 'irreversible',
      error: new FailoverError({
        kind: 'unsupported',
        message: plan.irreversible,
        provider: 'executor',
        operation: 'rollback',
      }),
      calls: emptyCallTally(),
    };
  }
  const policy = resolveRetryPolicy(step.retry, ctx.retry);
  const { result, scope } = await runScoped(
    ctx,
    step.id,
    step.timeoutMs ?? ctx.defaultTimeoutMs,
    async (scope) => {
      for (let attempt = 1; ; attempt++) {
        const undone = await plan.undo(scope);
        if (
          undone.isOk() ||
          !undone.error.retryable ||
          attempt >= policy.maxAttempts ||
          scope.signal.aborted
        ) {
          return undone;
        }
        await ctx.time.sleep(
          retryDelayMs(policy, attempt, ctx.random, undone.error.retryAfterMs),
          scope.signal,
        );
      }
    },
  );
  return result.isOk()
    ? { stepId: step.id, status: 'rolled-back', calls: scope.calls }
    : { stepId: step.id, status: 'failed', error: result.error, calls: scope.calls };
}
