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
import type { PlanSchemas } from './plan-schema.js';
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

/** The type a plan schema accepts, by its name in `PlanSchemas`. */
type Infer<Name extends keyof PlanSchemas> = PlanSchemas[Name] extends z.ZodType
  ? z.infer<PlanSchemas[Name]>
  : never;

export type PlanSchemaAgreesWithTypes = [
  Assert<Agree<Infer<'failoverPlanSchema'>, FailoverPlan>>,
  Assert<Agree<Infer<'recoveryObjectivesSchema'>, RecoveryObjectives>>,
  Assert<Agree<Infer<'planStepSchema'>, PlanStep>>,
  Assert<Agree<Infer<'checkStepSchema'>, CheckStep>>,
  Assert<Agree<Infer<'actionStepSchema'>, ActionStep>>,
  Assert<Agree<Infer<'approvalStepSchema'>, ApprovalStep>>,
  Assert<Agree<Infer<'verifyStepSchema'>, VerifyStep>>,
  Assert<Agree<Infer<'waitStepSchema'>, WaitStep>>,
  Assert<Agree<Infer<'notifyStepSchema'>, NotifyStep>>,
  Assert<Agree<Infer<'groupStepSchema'>, GroupStep>>,
  Assert<Agree<Infer<'retryPolicySchema'>, RetryPolicy>>,
  Assert<Agree<Infer<'checkSpecSchema'>, CheckSpec>>,
  Assert<Agree<Infer<'actionSpecSchema'>, ActionSpec>>,
  Assert<Agree<Infer<'poolSizeSchema'>, PoolSize>>,
  Assert<Agree<Infer<'databaseDesiredStateSchema'>, DatabaseDesiredState>>,
  Assert<Agree<Infer<'databaseRefSchema'>, DatabaseRef>>,
  Assert<Agree<Infer<'nodePoolRefSchema'>, NodePoolRef>>,
  Assert<Agree<Infer<'dnsRecordRefSchema'>, DnsRecordRef>>,
  Assert<Agree<Infer<'dnsTargetSchema'>, DnsTarget>>,
  Assert<Agree<Infer<'dnsTargetPatchSchema'>, DnsTargetPatch>>,
  Assert<Agree<Infer<'dnsDesiredStateSchema'>, DnsDesiredState>>,
  Assert<Agree<Infer<'watchSpecSchema'>, WatchSpec>>,
  Assert<Agree<Infer<'healthCheckSpecSchema'>, HealthCheckSpec>>,
  Assert<Agree<Infer<'signalSpecSchema'>, SignalSpec>>,
  Assert<Agree<Infer<'policyRuleSchema'>, PolicyRule>>,
];
