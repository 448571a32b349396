// Compile-time proof that the zod schemas and the hand-written public types
// describe the same documents. Nothing here exists at run time: if a field is
// added, removed, renamed or retyped on one side only, `tsc` fails on this file.
import type { z } from 'zod';
import type { PolicyRule } from '../decision/decision-policy.js';
import type { HealthCheckSpec } from '../decision/health-check-spec.js';
import type { SignalSpec, WatchSpec } from '../decision/watch-spec.js';
import type { NodePoolRef } from '../providers/cluster/node-pool.js';
import type { DatabaseDesiredState } from '../providers/database/database-desired-state.js';
import type { DatabaseRef } from '../providers/database/database-topology.js';
import type { DnsDesiredState, DnsTargetPatch } from '../providers/dns/dns-desired-state.js';
import type { DnsRecordRef, DnsTarget } from '../providers/dns/dns-record-set.js';
import type { ActionSpec, PoolSize } from './action-spec.js';
import type { CheckSpec } from './check-spec.js';
import type { FailoverPlan, RecoveryObjectives } from './failover-plan.js';
import type {
  actionSpecSchema,
  actionStepSchema,
  approvalStepSchema,
  checkSpecSchema,
  checkStepSchema,
  databaseDesiredStateSchema,
  databaseRefSchema,
  dnsDesiredStateSchema,
  dnsRecordRefSchema,
  dnsTargetPatchSchema,
  dnsTargetSchema,
  failoverPlanSchema,
  groupStepSchema,
  healthCheckSpecSchema,
  nodePoolRefSchema,
  notifyStepSchema,
  planStepSchema,
  policyRuleSchema,
  poolSizeSchema,
  recoveryObjectivesSchema,
  retryPolicySchema,
  signalSpecSchema,
  verifyStepSchema,
  waitStepSchema,
  watchSpecSchema,
} from './plan-schema.js';
import type {
  ActionStep,
  ApprovalStep,
  CheckStep,
  GroupStep,
  NotifyStep,
  PlanStep,
  RetryPolicy,
  VerifyStep,
  WaitStep,
} from './step.js';

/** Each assignable to the other. */
type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Every key of every member of a union (optional keys included, which `Mutual` alone would miss). */
type Keys<T> = T extends unknown ? keyof T : never;
/** Mutually assignable and with the same keys: optional fields cannot go missing on one side. */
type Agree<A, B> = Mutual<A, B> extends true ? (Mutual<Keys<A>, Keys<B>> extends true ? true : false) : false;
type Assert<T extends true> = T;

type Infer<S extends z.ZodType> = z.infer<S>;

export type PlanSchemaAgreesWithTypes = [
  Assert<Agree<Infer<typeof failoverPlanSchema>, FailoverPlan>>,
  Assert<Agree<Infer<typeof recoveryObjectivesSchema>, RecoveryObjectives>>,
  Assert<Agree<Infer<typeof planStepSchema>, PlanStep>>,
  Assert<Agree<Infer<typeof checkStepSchema>, CheckStep>>,
  Assert<Agree<Infer<typeof actionStepSchema>, ActionStep>>,
  Assert<Agree<Infer<typeof approvalStepSchema>, ApprovalStep>>,
  Assert<Agree<Infer<typeof verifyStepSchema>, VerifyStep>>,
  Assert<Agree<Infer<typeof waitStepSchema>, WaitStep>>,
  Assert<Agree<Infer<typeof notifyStepSchema>, NotifyStep>>,
  Assert<Agree<Infer<typeof groupStepSchema>, GroupStep>>,
  Assert<Agree<Infer<typeof retryPolicySchema>, RetryPolicy>>,
  Assert<Agree<Infer<typeof checkSpecSchema>, CheckSpec>>,
  Assert<Agree<Infer<typeof actionSpecSchema>, ActionSpec>>,
  Assert<Agree<Infer<typeof poolSizeSchema>, PoolSize>>,
  Assert<Agree<Infer<typeof databaseDesiredStateSchema>, DatabaseDesiredState>>,
  Assert<Agree<Infer<typeof databaseRefSchema>, DatabaseRef>>,
  Assert<Agree<Infer<typeof nodePoolRefSchema>, NodePoolRef>>,
  Assert<Agree<Infer<typeof dnsRecordRefSchema>, DnsRecordRef>>,
  Assert<Agree<Infer<typeof dnsTargetSchema>, DnsTarget>>,
  Assert<Agree<Infer<typeof dnsTargetPatchSchema>, DnsTargetPatch>>,
  Assert<Agree<Infer<typeof dnsDesiredStateSchema>, DnsDesiredState>>,
  Assert<Agree<Infer<typeof watchSpecSchema>, WatchSpec>>,
  Assert<Agree<Infer<typeof healthCheckSpecSchema>, HealthCheckSpec>>,
  Assert<Agree<Infer<typeof signalSpecSchema>, SignalSpec>>,
  Assert<Agree<Infer<typeof policyRuleSchema>, PolicyRule>>,
];
