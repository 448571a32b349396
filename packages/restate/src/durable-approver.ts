import type { ApprovalDecision, Approver } from '@failover/core';
import type * as restate from '@restatedev/restate-sdk';

/** The durable promise an approval step waits on: `approval:<stepId>`. */
export const approvalPromiseName = (stepId: string) => `approval:${stepId}`;

/**
 * Approval steps wait on a durable promise of the workflow, resolved by its `approve`
 * handler (`failover approve`, or an HTTP call to the ingress). The wait survives the
 * worker: a replacement finds the decision in the journal. Steps named in
 * `preApproved` are approved at once.
 */
export function durableApprover(ctx: restate.WorkflowContext, preApproved: readonly string[] = []): Approver {
  const allowed = new Set(preApproved);
  return async (request) => {
    if (allowed.has('*') || allowed.has(request.stepId)) return { approved: true, by: 'pre-approved' };
    const decision = ctx.promise<ApprovalDecision>(approvalPromiseName(request.stepId)).get();
    const timedOut = new Promise<ApprovalDecision>((resolve) =>
      request.abortSignal.addEventListener(
        'abort',
        () => resolve({ approved: false, reason: 'The approval timed out or the run was cancelled.' }),
        { once: true },
      ),
    );
    return Promise.race([decision, timedOut]);
  };
}
