import type { ApprovalDecision, Approver } from '@failover/core';
import type * as restate from '@restatedev/restate-sdk';
import type { RunCancellation } from './run-cancellation.js';

/** The durable promise an approval step waits on: `approval:<stepId>`. */
export const approvalPromiseName = (stepId: string) => `approval:${stepId}`;

/**
 * Approval steps wait on a durable promise of the workflow, resolved by its `approve`
 * handler (`failover approve`, or an HTTP call to the ingress). The wait survives the
 * worker: a replacement finds the decision in the journal. Steps named in
 * `preApproved` are approved at once. A cancellation of the run while it waits aborts
 * the run (`cancellation`): the step ends cancelled, as under the local executor.
 */
export function durableApprover(
  ctx: restate.WorkflowContext,
  preApproved: readonly string[] = [],
  cancellation?: RunCancellation,
): Approver {
  const allowed = new Set(preApproved);
  return async (request) => {
    if (allowed.has('*') || allowed.has(request.stepId)) return { approved: true, by: 'pre-approved' };
    const decision = ctx
      .promise<ApprovalDecision>(approvalPromiseName(request.stepId))
      .get()
      .then(
        (given) => given,
        (thrown: unknown): ApprovalDecision => {
          if (!cancellation?.caught(thrown)) throw thrown;
          return { approved: false, reason: 'The run was cancelled.' };
        },
      );
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
