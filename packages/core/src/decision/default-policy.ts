import type { DecisionPolicy, PolicyRule } from './decision-policy.js';

/**
 * ADR 039's decision logic as rules, in its order: all critical checks failed,
 * the database writer unreachable for 3 checks in a row, an error rate above
 * 10 % for 5 minutes (automatic failover); 2 to 4 critical checks failed (manual
 * review); any other failed check, i.e. degradation (monitor).
 */
export const defaultPolicyRules: readonly PolicyRule[] = [
  {
    name: 'all-critical-failed',
    when: { type: 'all-failed', class: 'critical' },
    decision: 'AUTOMATIC_FAILOVER',
    confidence: 'HIGH',
    reason: 'Complete regional failure detected: every critical check failed',
  },
  {
    name: 'database-writer-unreachable',
    when: { type: 'check-failed', role: 'database-writer', minConsecutive: 3 },
    decision: 'AUTOMATIC_FAILOVER',
    confidence: 'HIGH',
    reason: 'Database master failure: the writer was unreachable in 3 consecutive checks',
  },
  {
    name: 'error-rate-spike',
    when: { type: 'check-failed', role: 'error-rate', forMs: 5 * 60_000, valueAbove: 0.1 },
    decision: 'AUTOMATIC_FAILOVER',
    confidence: 'MEDIUM',
    reason: 'High error rate: above 10 % for 5 minutes',
  },
  {
    name: 'multiple-critical-failed',
    when: { type: 'failed-count', class: 'critical', min: 2, max: 4 },
    decision: 'MANUAL_REVIEW_REQUIRED',
    confidence: 'MEDIUM',
    reason: 'Multiple service failures detected: investigate and decide',
  },
  {
    name: 'degradation',
    when: { type: 'any-failed' },
    decision: 'MONITOR',
    confidence: 'LOW',
    reason: 'Degradation detected: continue monitoring',
  },
];

/** The ADR's defaults: its rules, 2 minutes minimum in a decision, no automatic promotion. */
export const defaultDecisionPolicy: DecisionPolicy = {
  rules: [...defaultPolicyRules],
  minTimeInStateMs: 2 * 60_000,
  allowAutomaticPromotion: false,
};

/**
 * The defaults with some fields replaced: `rules` replaces the whole list
 * (write `[...defaultPolicyRules, mine]` to add one).
 */
export function resolveDecisionPolicy(overrides: Partial<DecisionPolicy> = {}): DecisionPolicy {
  return {
    rules: overrides.rules ?? defaultDecisionPolicy.rules,
    minTimeInStateMs: overrides.minTimeInStateMs ?? defaultDecisionPolicy.minTimeInStateMs!,
    allowAutomaticPromotion: overrides.allowAutomaticPromotion ?? false,
  };
}
