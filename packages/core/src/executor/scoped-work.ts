import type { FailoverError } from '../errors/failover-error.js';
import { cancelledError } from '../errors/to-failover-error.js';
import { err, type Result } from '../result.js';
import { stepDeadlinePassed } from './abort-reasons.js';
import { emptyCallTally } from './call-counts.js';
import { stepTimedOut } from './executor-errors.js';
import type { CallScope, RunContext } from './run-context.js';
import { untilAborted } from './until-aborted.js';

/**
 * Runs `work` in a scope of its own: a deadline `timeoutMs` from now and the
 * run's cancellation, both turning into an error without waiting for `work`.
 * Used for the undos of a rollback.
 */
export async function runScoped<T>(
  ctx: RunContext,
  stepId: string,
  timeoutMs: number,
  work: (scope: CallScope) => Promise<Result<T, FailoverError>>,
): Promise<{ result: Result<T, FailoverError>; scope: CallScope }> {
  const controller = new AbortController();
  const scope: CallScope = {
    ctx,
    stepId,
    signal: controller.signal,
    deadline: ctx.time.now() + timeoutMs,
    calls: emptyCallTally(),
  };
  let timedOut = false;
  // Through the run's one cancel listener, not a listener of our own on its signal.
  const onRunAbort = { cancel: () => controller.abort() };
  ctx.onCancel(onRunAbort);
  const deadline = ctx.watchDeadline(scope.deadline, {
    expire: () => {
      timedOut = true;
      controller.abort(stepDeadlinePassed);
    },
  });
  let result = await untilAborted(
    work(scope).catch((thrown) => err(cancelledError('executor', `undo ${stepId}`, thrown))),
    controller.signal,
  );
  deadline.cancelled = true;
  ctx.offCancel(onRunAbort);
  if (result === undefined || (result.isErr() && controller.signal.aborted)) {
    result = err(
      timedOut
        ? stepTimedOut(stepId, timeoutMs)
        : (ctx.fatal ?? cancelledError('executor', `undo ${stepId}`, ctx.signal.reason)),
    );
  }
  return { result, scope };
}
