import type { IncidentDetection } from '../report/incident-review.js';
import type { CheckState } from './check-state.js';
import type { EngineState } from './decision-engine.js';
import type { DecisionPolicy } from './decision-policy.js';
import { matchRule } from './match-rule.js';

/**
 * The incident's detection at the evaluation that starts a run, from the engine's
 * state: the first failing observation of the checks behind the decision in force
 * (those its rule matched), and when that decision came into force. `approvedAt` is
 * the evaluation at which a human approved a failover the engine left to review.
 * Pure.
 */
export function detectionOf(
  policy: DecisionPolicy,
  state: EngineState,
  at: number,
  approvedAt?: number,
): IncidentDetection {
  const states = Object.values(state.checks);
  const rule = policy.rules.find((candidate) => candidate.name === state.decision.rule);
  const behind =
    (rule && matchRule(rule.when, states, at)) ?? states.filter((check) => check.status === 'failed');
  const detectedAt = state.decisionSince;
  const firstFailing = Math.min(detectedAt, ...behind.map(firstFailingAt));
  return {
    startedAt: firstFailing,
    detectedAt,
    ...(approvedAt !== undefined && { approvedAt }),
  };
}

/** The first failing round of a check's current failure; once it passes again, when it entered `failed`. */
function firstFailingAt(check: CheckState): number {
  return check.failingSince ?? check.since;
}
