export type { ActionSpec, ActionType, PoolSize } from './action-spec.js';
export type { CheckSpec, CheckType } from './check-spec.js';
export { type CompiledPlan, type CompiledStep, compilePlan, type LeafStep } from './compile-plan.js';
export type { FailoverPlan, RecoveryObjectives } from './failover-plan.js';
export { parsePlan, parsePlanJson, serializePlan } from './parse-plan.js';
export { definePlan, PlanBuilder, type PlanHeader } from './plan-builder.js';
export { check } from './plan-check-factories.js';
export { approval, notify, parallel, sequential, verify, wait } from './plan-control-factories.js';
export { database } from './plan-database-factories.js';
export { type DnsStepTarget, dns } from './plan-dns-factories.js';
export { formatPlanPath } from './plan-path.js';
export type { PlanProblem } from './plan-problem.js';
export {
  type CheckResourceFields,
  type EnsureResourceFields,
  resource,
} from './plan-resource-factories.js';
export { type ScalePoolFields, scale } from './plan-scale-factories.js';
export { failoverPlanJsonSchema } from './plan-schema.js';
export type { ActionOptions, StepOptions } from './plan-step-options.js';
export { PlanValidationError } from './plan-validation-error.js';
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
export { type ValidatedPlan, type ValidatePlanOptions, validatePlan } from './validate-plan.js';
