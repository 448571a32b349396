import type { DecisionConfidence, DecisionKind } from './decision-policy.js';

/** What the engine decided at one evaluation, and why. Plain JSON. */
export interface Decision {
  kind: DecisionKind;
  reason: string;
  confidence: DecisionConfidence;
  /** The rule that matched; absent for `NO_ACTION`. */
  rule?: string;
  /** The failed checks behind it, one sentence each: what a human reviews. */
  evidence: string[];
}

/** Graver decisions rank higher. */
export const decisionSeverity: Readonly<Record<DecisionKind, number>> = {
  NO_ACTION: 0,
  MONITOR: 1,
  MANUAL_REVIEW_REQUIRED: 2,
  AUTOMATIC_FAILOVER: 3,
};
