/**
 * The data-loss window of one forced database promotion an approval gates, read
 * just before asking (the forced step reads it again when it runs).
 */
export interface ApprovalDataLoss {
  /** The database's id in the plan. */
  database: string;
  /** The forced database step that waits on the approval. */
  stepId: string;
  /** Replication lag of the member taking over: the most writes the promotion loses. Absent when unknown. */
  lagMs?: number;
  /** Clock time of the lag sample, or of the attempt to read it; epoch ms. */
  observedAt: number;
  /** The plan's `objectives.rpoMs`, when it has one. */
  rpoMs?: number;
  /** Why the lag is unknown: a read that failed, or no lag reported. */
  unknownReason?: string;
  /** The writer already is where the step wants it: that step will promote nothing. */
  inPlace?: boolean;
  /** One plain line for the person approving. */
  summary: string;
}

/** What an approval step asks. */
export interface ApprovalRequest {
  planId: string;
  stepId: string;
  message: string;
  timeoutMs: number;
  /**
   * Present when the approval gates forced database promotions (directly or
   * through other steps): each one's data-loss window, so the approver sees
   * how much may be lost, or that nobody knows.
   */
  dataLoss?: ApprovalDataLoss[];
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
