import { describe, expect, it } from 'vitest';
import type { SignalSample } from '../health/signal-sample.js';
import type { CheckReading } from './check-reading.js';
import { type EngineState, evaluateDecision, initialEngineState } from './decision-engine.js';
import { defaultDecisionPolicy } from './default-policy.js';
import type { HealthCheckSpec } from './health-check-spec.js';

const vantages = ['probe-a', 'probe-b', 'probe-c'];
const check = (name: string, fields: Partial<HealthCheckSpec> = {}): HealthCheckSpec => ({
  name,
  class: 'critical',
  signal: name,
  intervalMs: 10_000,
  failureThreshold: 3,
  timeoutMs: 5_000,
  ...fields,
});

/** A status reading where the listed vantage points are down and the others up. */
function statusReading(name: string, at: number, down: readonly string[]): CheckReading {
  const samples: SignalSample[] = vantages.map((vantage) => ({
    at,
    vantage,
    status: down.includes(vantage) ? 'down' : 'up',
  }));
  return { check: name, at, vantagePoints: vantages, samples };
}

function valueReading(name: string, at: number, value: number): CheckReading {
  return { check: name, at, vantagePoints: ['prometheus'], samples: [{ at, vantage: 'prometheus', value }] };
}

function runRounds(
  checks: HealthCheckSpec[],
  rounds: number,
  intervalMs: number,
  readingsAt: (at: number, round: number) => CheckReading[],
) {
  let state: EngineState = initialEngineState(checks, 0);
  const decisions: string[] = [];
  for (let round = 0; round < rounds; round++) {
    const at = round * intervalMs;
    const next = evaluateDecision(checks, defaultDecisionPolicy, state, readingsAt(at, round), at);
    state = next.state;
    decisions.push(next.evaluation.decision.kind);
  }
  return { state, decisions };
}

describe('evaluateDecision (ADR 039 defaults)', () => {
  const infra = [check('region-connectivity'), check('redis-cluster')];

  it('fails over automatically when every critical check failed for its threshold', () => {
    const { decisions, state } = runRounds(infra, 4, 10_000, (at) =>
      infra.map((spec) => statusReading(spec.name, at, vantages)),
    );
    expect(decisions).toEqual(['NO_ACTION', 'NO_ACTION', 'AUTOMATIC_FAILOVER', 'AUTOMATIC_FAILOVER']);
    expect(state.decision).toMatchObject({ rule: 'all-critical-failed', confidence: 'HIGH' });
    expect(state.decision.evidence).toHaveLength(2);
  });

  it('never counts one vantage point failing: a flapping probe does not trigger', () => {
    const { decisions } = runRounds(infra, 30, 10_000, (at, round) =>
      infra.map((spec) => statusReading(spec.name, at, round % 2 === 0 ? ['probe-b'] : [])),
    );
    expect(new Set(decisions)).toEqual(new Set(['NO_ACTION']));
  });

  it('does not fail a check whose failing rounds are not consecutive', () => {
    const { decisions } = runRounds(infra, 20, 10_000, (at, round) =>
      infra.map((spec) => statusReading(spec.name, at, round % 3 === 2 ? [] : vantages)),
    );
    expect(decisions).not.toContain('AUTOMATIC_FAILOVER');
  });

  it('fails over when the database writer is unreachable for 3 consecutive checks', () => {
    const checks = [...infra, check('database-master', { role: 'database-writer' })];
    const { decisions, state } = runRounds(checks, 3, 10_000, (at) => [
      statusReading('region-connectivity', at, []),
      statusReading('redis-cluster', at, []),
      statusReading('database-master', at, vantages),
    ]);
    expect(decisions).toEqual(['NO_ACTION', 'NO_ACTION', 'AUTOMATIC_FAILOVER']);
    expect(state.decision.rule).toBe('database-writer-unreachable');
  });

  it('fails over on an error rate above 10 % only once it lasted 5 minutes, with medium confidence', () => {
    const errorRate = check('error-rate', {
      class: 'important',
      role: 'error-rate',
      condition: { type: 'at-most', value: 0.1 },
      intervalMs: 60_000,
      failureThreshold: 5,
    });
    const { decisions, state } = runRounds([errorRate], 7, 60_000, (at) => [
      valueReading('error-rate', at, 0.25),
    ]);
    expect(decisions).toEqual([
      'NO_ACTION',
      'NO_ACTION',
      'NO_ACTION',
      'NO_ACTION',
      'MONITOR',
      'AUTOMATIC_FAILOVER',
      'AUTOMATIC_FAILOVER',
    ]);
    expect(state.decision).toMatchObject({ rule: 'error-rate-spike', confidence: 'MEDIUM' });
  });

  it('asks for a manual review when 2 to 4 of 5 critical checks failed', () => {
    const checks = ['a', 'b', 'c', 'd', 'e'].map((name) => check(name));
    const { state } = runRounds(checks, 3, 10_000, (at) =>
      checks.map((spec) => statusReading(spec.name, at, ['a', 'b'].includes(spec.name) ? vantages : [])),
    );
    expect(state.decision).toMatchObject({
      kind: 'MANUAL_REVIEW_REQUIRED',
      rule: 'multiple-critical-failed',
    });
  });

  it('monitors a degradation (an informational check failing)', () => {
    const checks = [
      check('region'),
      check('latency', { class: 'informational', condition: { type: 'at-most', value: 500 } }),
    ];
    const { state } = runRounds(checks, 3, 10_000, (at) => [
      statusReading('region', at, []),
      valueReading('latency', at, 1_200),
    ]);
    expect(state.decision).toMatchObject({ kind: 'MONITOR', confidence: 'LOW' });
  });

  it('holds a grave decision for the minimum time, and a recovered check needs its passing rounds', () => {
    const checks = ['a', 'b', 'c'].map((name) => check(name));
    // Two critical checks fail (manual review), then everything recovers at once.
    const { decisions } = runRounds(checks, 30, 10_000, (at, round) =>
      checks.map((spec) => statusReading(spec.name, at, round < 3 && spec.name !== 'c' ? vantages : [])),
    );
    const firstReview = decisions.indexOf('MANUAL_REVIEW_REQUIRED');
    const lastReview = decisions.lastIndexOf('MANUAL_REVIEW_REQUIRED');
    expect(firstReview).toBe(2);
    // Recovery: 3 passing rounds to heal the checks, and 2 minutes in the decision before a milder one.
    expect((lastReview - firstReview + 1) * 10_000).toBeGreaterThanOrEqual(120_000);
    expect(decisions.at(-1)).toBe('NO_ACTION');
  });

  it('counts an unreadable source as unknown, never as a failure', () => {
    const { decisions, state } = runRounds(infra, 10, 10_000, (at) =>
      infra.map((spec) => ({
        check: spec.name,
        at,
        vantagePoints: vantages,
        error: { kind: 'unavailable', message: 'down', provider: 'x', operation: 'read', retryable: true },
      })),
    );
    expect(new Set(decisions)).toEqual(new Set(['NO_ACTION']));
    expect(state.checks['region-connectivity']?.status).toBe('unknown');
  });

  it('decides the same when replayed from the journaled inputs', () => {
    const checks = [...infra, check('database-master', { role: 'database-writer' })];
    const journal: { readings: CheckReading[]; at: number; kind: string }[] = [];
    let state = initialEngineState(checks, 0);
    for (let round = 0; round < 8; round++) {
      const at = round * 10_000;
      const readings = checks.map((spec) =>
        statusReading(spec.name, at, round > 2 ? ['probe-a', 'probe-c'] : ['probe-b']),
      );
      const next = evaluateDecision(checks, defaultDecisionPolicy, state, readings, at);
      state = next.state;
      journal.push({
        readings: JSON.parse(JSON.stringify(readings)),
        at,
        kind: next.evaluation.decision.kind,
      });
    }
    let replayed = initialEngineState(checks, 0);
    const kinds = journal.map((entry) => {
      const next = evaluateDecision(checks, defaultDecisionPolicy, replayed, entry.readings, entry.at);
      replayed = next.state;
      return next.evaluation.decision.kind;
    });
    expect(kinds).toEqual(journal.map((entry) => entry.kind));
    expect(kinds).toContain('AUTOMATIC_FAILOVER');
    expect(replayed).toEqual(state);
  });
});
