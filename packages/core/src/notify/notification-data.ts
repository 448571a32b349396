import type { ApprovalDataLoss } from '../executor/approver.js';

/** The run's data a template is filled from. Absent values render as `unknown`. */
export interface NotificationData {
  planId: string;
  planName: string;
  runId: string;
  sourceRegion: string;
  targetRegion: string;
  /** The notify step or run event that sends it. */
  stepId: string;
  /** The notify step's own text, or the approval's question (with its data-loss lines). */
  message?: string;
  /** For `approval-needed`: the data-loss window of each forced promotion the approval gates. */
  dataLoss?: readonly ApprovalDataLoss[];
  /** Time since the run started. For `failover-completed`, the achieved RTO. */
  elapsedMs?: number;
  /** The plan's recovery time objective. */
  objectiveRtoMs?: number;
  /** For `failover-failed`: the step that failed, and its (redacted) error. */
  failedStep?: string;
  error?: string;
}
