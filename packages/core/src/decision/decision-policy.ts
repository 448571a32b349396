import type { CheckClass, CheckRole } from './health-check-spec.js';

/** What the engine says to do (ADR 039). */
export type DecisionKind = 'AUTOMATIC_FAILOVER' | 'MANUAL_REVIEW_REQUIRED' | 'MONITOR' | 'NO_ACTION';

/** How sure the rule that decided is. */
export type DecisionConfidence = 'HIGH' | 'MEDIUM' | 'LOW';

/**
 * When a rule matches, read from the checks' states:
 * - `all-failed`: every check of the class is failed (and there is at least one);
 * - `failed-count`: between `min` and `max` checks of the class are failed;
 * - `check-failed`: the check named `check` (or every check with `role`) is failed,
 *   with at least `minConsecutive` failing rounds in a row, failing for at least
 *   `forMs`, and (for a value) its last reading above `valueAbove`;
 * - `any-failed`: at least one check of these classes (default all) is failed.
 */
export type RuleCondition =
  | { type: 'all-failed'; class: CheckClass }
  | { type: 'failed-count'; class: CheckClass; min: number; max?: number }
  | {
      type: 'check-failed';
      check?: string;
      role?: CheckRole;
      minConsecutive?: number;
      forMs?: number;
      valueAbove?: number;
    }
  | { type: 'any-failed'; classes?: CheckClass[] };

/** One rule of a policy: the first that matches decides. */
export interface PolicyRule {
  /** Short id, journaled with the decision. */
  name: string;
  when: RuleCondition;
  decision: Exclude<DecisionKind, 'NO_ACTION'>;
  confidence: DecisionConfidence;
  /** The decision's reason, as said to a human. */
  reason: string;
}

/**
 * Maps the checks' states to a decision. Rules are tried in order; none matching
 * is `NO_ACTION`. A milder decision replaces a graver one only after the graver
 * one held for `minTimeInStateMs`, so a flapping region does not flip-flop.
 */
export interface DecisionPolicy {
  rules: PolicyRule[];
  /** Default 2 minutes. */
  minTimeInStateMs?: number;
  /**
   * The policy's half of the golden rule: an automatic failover may approve a
   * database promotion's approval step by itself only when this is true AND the
   * plan's `watch.allowAutomaticPromotion` is true. Default false.
   */
  allowAutomaticPromotion?: boolean;
}
