export { approvalPromiseName, durableApprover } from './durable-approver.js';
export { type ClockSource, createDurableClock, type DurableClock } from './durable-clock.js';
export { type FailoverRunClient, failoverRunClient } from './failover-client.js';
export {
  type ApprovalInput,
  type CancelAnswer,
  type CancelInput,
  type FailoverWorkflow,
  type FailoverWorkflowOptions,
  failoverWorkflow,
  failoverWorkflowName,
  type RunOutcome,
  type RunProgress,
  type RunRequest,
  type RunStatusAnswer,
} from './failover-workflow.js';
export type { PendingApproval } from './pending-approval.js';
export { type RestateDurableCalls, restateDurableCalls } from './restate-durable-calls.js';
export {
  type CancelRequest,
  cancelPromiseName,
  type RunCancellation,
  runCancellation,
} from './run-cancellation.js';
export { type FailoverWorker, registerDeployment, type ServeWorkerOptions, serveWorker } from './worker.js';
