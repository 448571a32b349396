export { activeDnsTarget } from './active-dns-target.js';
export { approvalRequestText } from './approval-data-loss-text.js';
export {
  type ApprovalDataLoss,
  type ApprovalDecision,
  type ApprovalRequest,
  type Approver,
  approveSteps,
  denyAll,
} from './approver.js';
export {
  addCallCounts,
  type CallCategory,
  type CallCounts,
  type CallTally,
  emptyCallCounts,
} from './call-counts.js';
export {
  type CapacityRecord,
  type CapacityRecords,
  createFileCapacityRecords,
  createMemoryCapacityRecords,
} from './capacity-records.js';
export type { DurableCalls, RecordedCall } from './durable-calls.js';
export type { CheckObservation } from './evaluate-check.js';
export type {
  ApprovalDecisionEvent,
  ApprovalRequestEvent,
  ExecutorEvent,
  ExecutorEventType,
  PlanEndEvent,
  PlanStartEvent,
  RollbackEndEvent,
  RollbackStartEvent,
  RollbackStepEvent,
  StepEndEvent,
  StepRetryEvent,
  StepSkippedEvent,
  StepStartEvent,
  StepWaitEvent,
  WarningEvent,
} from './executor-event.js';
export { fetchProbe, type HttpProbe } from './http-probe.js';
export type { Notifier } from './notifier.js';
export type { StepRefusal } from './precheck-steps.js';
export type { AnyProviderV1, ProviderRegistry } from './provider-registry.js';
export { defaultRetryPolicy, retryDelayMs } from './retry-delay.js';
export type { PartialFailover } from './rollback-hold.js';
export type { RunOptions } from './run-options.js';
export { runPlan } from './run-plan-on-demand.js';
export type {
  RollbackResult,
  RollbackStepResult,
  RunResult,
  RunStatus,
  StepResult,
  StepStatus,
} from './run-result.js';
export {
  type CapacitySnapshot,
  type SnapshotCapacityOptions,
  snapshotCapacity,
} from './snapshot-capacity.js';
export type { StepDiff, ValueChange } from './step-diff.js';
export type {
  DataLossWindowEvidence,
  ProbeObservation,
  ProbeRound,
  RecordedCapacityEvidence,
  StepEvidence,
  UnreachableEvidence,
  WeightsAdvancedEvidence,
} from './step-evidence.js';
