export { advanceCheckState, initialCheckState } from './advance-check-state.js';
export { buildWatchSignals } from './build-watch-signals.js';
export type { CheckReading } from './check-reading.js';
export type { CheckState, CheckStatus, RoundSummary, RoundVerdict } from './check-state.js';
export { type Decision, decisionSeverity } from './decision.js';
export {
  type EngineState,
  type Evaluation,
  evaluateDecision,
  initialEngineState,
} from './decision-engine.js';
export type {
  DecisionConfidence,
  DecisionKind,
  DecisionPolicy,
  PolicyRule,
  RuleCondition,
} from './decision-policy.js';
export { defaultDecisionPolicy, defaultPolicyRules, resolveDecisionPolicy } from './default-policy.js';
export { detectionOf } from './detection-of.js';
export { aggregateValues, evaluateRound, percentile, quorumOf } from './evaluate-round.js';
export {
  type GoldenRuleApproverOptions,
  goldenRuleApprover,
  promotionApprovals,
  promotionGuards,
  unguardedPromotions,
} from './golden-rule-approver.js';
export type {
  CheckClass,
  CheckRole,
  HealthCheckSpec,
  SampleAggregate,
  SignalCondition,
} from './health-check-spec.js';
export { matchRule } from './match-rule.js';
export {
  type FailoverTrigger,
  type FailoverTriggerRequest,
  type ManualReview,
  type WatchOptions,
  type WatchStatus,
  watchHealth,
} from './watch-health.js';
export {
  createFileWatchJournal,
  createMemoryWatchJournal,
  type WatchJournal,
  type WatchJournalEntry,
  type WatchRunStatus,
} from './watch-journal.js';
export {
  automaticFailoverNotification,
  manualReviewNotification,
  promotionWaitingNotification,
  type WatchNotificationContext,
} from './watch-notifications.js';
export type { SignalSpec, WatchPolicySpec, WatchSpec } from './watch-spec.js';
