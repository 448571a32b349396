/** What an approval step asks. */
export interface ApprovalRequest {
  planId: string;
  stepId: string;
  message: string;
  timeoutMs: number;
  /** Aborts when the approval times out or the run is cancelled. */
  abortSignal: AbortSignal;
}

/** An approver's answer: approved (by whom), or denied (why). */
export type ApprovalDecision = { approved: true; by?: string } | { approved: false; reason?: string };

/** Answers approval steps: a TTY prompt, a chat bot, a list of pre-approved step ids. */
export type Approver = (request: ApprovalRequest) => Promise<ApprovalDecision>;

/** The default: nobody answers, so every approval is denied. */
export const denyAll: Approver = async () => ({ approved: false, reason: 'No approver was configured.' });

/** Approves the listed step ids (or every step with `'*'`), denies the rest. */
export function approveSteps(stepIds: Iterable<string>, by = 'pre-approved'): Approver {
  const allowed = new Set(stepIds);
  return async (request) =>
    allowed.has('*') || allowed.has(request.stepId)
      ? { approved: true, by }
      : { approved: false, reason: `Step ${request.stepId} was not pre-approved.` };
}
