import type { ApprovalDataLoss } from '@failover/core';

/**
 * An approval a Restate run waits on, as its `approval-request` event asked it: kept in
 * the run's state, so listing it reads Restate only, never a provider.
 */
export interface PendingApproval {
  stepId: string;
  /** The approval step's question. */
  message: string;
  /** When it was asked (the run's clock, epoch ms). */
  since: number;
  /** How long the step waits for an answer. */
  timeoutMs: number;
  /**
   * The data-loss window of each forced promotion it gates, as read before asking
   * (`ApprovalRequest.dataLoss`); `approvalRequestText` renders them under the message.
   */
  dataLoss?: ApprovalDataLoss[];
}
