import type { ApprovalDecision, Approver } from '@failover/core';
import type * as restate from '@restatedev/restate-sdk';
import type { RestateDurableCalls } from './restate-durable-calls.js';
import type { RunCancellation } from './run-cancellation.js';

/** The durable promise an approval step waits on: `approval:<stepId>`. */
export const approvalPromiseName = (stepId: string) => `approval:${stepId}`;

/** How long the run waits between two looks at an approval: 1 s, doubling up to 15 s (clock time). */
const firstLookMs = 1_000;
const lookEveryMs = 15_000;

/**
 * Approval steps wait on a durable promise of the workflow, resolved by its `approve`
 * handler (`failover approve`, or an HTTP call to the ingress). The wait survives the
 * worker: a replacement finds the decision in the journal. Steps named in
 * `preApproved` are approved at once.
 *
 * The run looks at the promise (`peek`) between journaled waits instead of awaiting it:
 * the step's deadline and a cancel must end the wait, and they are not Restate promises,
 * so awaiting the promise would leave it awaited while the run goes on (rolling back, say)
 * and the SDK lets a handler await one durable operation at a time. Each look and each
 * wait is journaled, so a replay takes the branch the first execution took, even when an
 * answer came after the step had timed out.
 */
export function durableApprover(
  ctx: restate.WorkflowContext,
  calls: Pick<RestateDurableCalls, 'exclusive' | 'wait'>,
  preApproved: readonly string[] = [],
  cancellation?: RunCancellation,
): Approver {
  const allowed = new Set(preApproved);
  const unanswered: ApprovalDecision = {
    approved: false,
    reason: 'The approval timed out or the run was cancelled.',
  };
  return async (request) => {
    if (allowed.has('*') || allowed.has(request.stepId)) return { approved: true, by: 'pre-approved' };
    const promise = ctx.promise<ApprovalDecision>(approvalPromiseName(request.stepId));
    for (let look = 0; ; look++) {
      let answer: ApprovalDecision | undefined;
      try {
        answer = await calls.exclusive(() => promise.peek());
      } catch (thrown) {
        if (cancellation?.caught(thrown)) return unanswered;
        throw thrown;
      }
      if (answer !== undefined) return answer;
      const next = Math.min(lookEveryMs, firstLookMs * 2 ** Math.min(look, 4));
      if (!(await calls.wait(next, request.abortSignal))) return unanswered;
    }
  };
}
