export type { ActionSpec, ActionType, PoolSize } from './action-spec.js';
export type { CheckSpec, CheckType } from './check-spec.js';
export type { FailoverPlan, RecoveryObjectives } from './failover-plan.js';
export type { ProviderName } from './refs.js';
export type {
  ActionStep,
  ApprovalStep,
  CheckStep,
  GroupStep,
  NotifyStep,
  PlanStep,
  RetryPolicy,
  StepKind,
  VerifyStep,
  WaitStep,
} from './step.js';
