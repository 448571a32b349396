import { advanceCheckState, initialCheckState } from './advance-check-state.js';
import type { CheckReading } from './check-reading.js';
import type { CheckState, RoundSummary } from './check-state.js';
import { type Decision, decisionSeverity } from './decision.js';
import type { DecisionPolicy } from './decision-policy.js';
import { evaluateRound } from './evaluate-round.js';
import type { HealthCheckSpec } from './health-check-spec.js';
import { matchRule } from './match-rule.js';

/** Everything the engine carries from one evaluation to the next. Plain JSON, journaled. */
export interface EngineState {
  checks: Record<string, CheckState>;
  /** The decision in force. */
  decision: Decision;
  /** When it came into force. */
  decisionSince: number;
}

/** One evaluation: its inputs, the rounds they made, what the rules proposed and what is in force. */
export interface Evaluation {
  at: number;
  readings: CheckReading[];
  rounds: Record<string, RoundSummary>;
  /** What the rules say now. */
  proposed: Decision;
  /** What is in force: `proposed`, or the graver decision hysteresis still holds. */
  decision: Decision;
  /** True when `decision` is held although the rules propose a milder one. */
  held: boolean;
}

const noAction: Decision = {
  kind: 'NO_ACTION',
  reason: 'All systems healthy',
  confidence: 'HIGH',
  evidence: [],
};

/** The state before any evaluation: every check unknown, no action. */
export function initialEngineState(checks: readonly HealthCheckSpec[], at: number): EngineState {
  return {
    checks: Object.fromEntries(checks.map((spec) => [spec.name, initialCheckState(spec, at)])),
    decision: noAction,
    decisionSince: at,
  };
}

/**
 * One evaluation of the decision engine, a pure function of its inputs: the
 * readings of the checks due at `at` (the others keep their state), the previous
 * state, the checks and the policy. Same inputs, same decision: an evaluation
 * replayed from the journal decides as it did.
 */
export function evaluateDecision(
  checks: readonly HealthCheckSpec[],
  policy: DecisionPolicy,
  previous: EngineState,
  readings: readonly CheckReading[],
  at: number,
): { state: EngineState; evaluation: Evaluation } {
  const specs = new Map(checks.map((spec) => [spec.name, spec]));
  const states: Record<string, CheckState> = { ...previous.checks };
  const rounds: Record<string, RoundSummary> = {};
  for (const reading of readings) {
    const spec = specs.get(reading.check);
    if (!spec) continue;
    const round = evaluateRound(spec, reading);
    rounds[spec.name] = round;
    states[spec.name] = advanceCheckState(spec, states[spec.name] ?? initialCheckState(spec, at), round);
  }
  const current = checks.map((spec) => states[spec.name] ?? initialCheckState(spec, at));
  const proposed = propose(policy, current, at);

  const graverOrEqual = decisionSeverity[proposed.kind] >= decisionSeverity[previous.decision.kind];
  const heldLongEnough = at - previous.decisionSince >= (policy.minTimeInStateMs ?? 0);
  const held = !graverOrEqual && !heldLongEnough;
  const decision = held ? previous.decision : proposed;
  const changed = decision.kind !== previous.decision.kind;
  return {
    state: { checks: states, decision, decisionSince: changed ? at : previous.decisionSince },
    evaluation: { at, readings: [...readings], rounds, proposed, decision, held },
  };
}

function propose(policy: DecisionPolicy, states: CheckState[], at: number): Decision {
  for (const rule of policy.rules) {
    const matched = matchRule(rule.when, states, at);
    if (!matched) continue;
    return {
      kind: rule.decision,
      reason: rule.reason,
      confidence: rule.confidence,
      rule: rule.name,
      evidence: matched.map(describeFailedCheck),
    };
  }
  return noAction;
}

function describeFailedCheck(state: CheckState): string {
  const round = state.lastRound;
  const value = round?.value === undefined ? '' : `, last value ${round.value}`;
  return `${state.name} (${state.class}) ${state.status} after ${state.consecutiveFailures} failing round(s) in a row${value}${round ? `: ${round.detail}` : ''}`;
}
