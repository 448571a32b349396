// ADR 039's scenarios end to end on virtual time: signals scripted as curves over time, the
// decision engine with the ADR's defaults, and the bound plan run by runPlan on in-memory
// providers under the golden-rule approver (traffic on its own, the promotion waits).
import { describe, expect, it } from 'vitest';
import { activeDnsTarget } from '../executor/active-dns-target.js';
import { denyAll } from '../executor/approver.js';
import { runPlan } from '../executor/run-plan.js';
import {
  fakeDatabase,
  fakeDns,
  twoRegionDatabase,
  weightedRecord,
} from '../executor/test-support/fake-providers.js';
import { dbSwitch, dnsSwitch, testPlan } from '../executor/test-support/test-plans.js';
import type { SignalSample } from '../health/signal-sample.js';
import type { SignalSourceV1 } from '../health/signal-source-v1.js';
import { compilePlan } from '../plan/compile-plan.js';
import { okAsync } from '../result.js';
import { createVirtualTime } from '../time/virtual-time.js';
import type { DecisionKind } from './decision-policy.js';
import { goldenRuleApprover } from './golden-rule-approver.js';
import { adrChecks } from './test-support/adr-health-checks.js';
import { watchHealth } from './watch-health.js';
import { createMemoryWatchJournal } from './watch-journal.js';

const probes = ['probe-us', 'probe-eu', 'probe-ap'];

/** A status source: `down(vantage, at)` is the outage curve. */
const statusCurve = (id: string, down: (vantage: string, at: number) => boolean): SignalSourceV1 => ({
  specificationVersion: 'v1',
  id,
  kind: 'probe',
  provider: 'scripted',
  vantagePoints: probes,
  read: ({ at }) =>
    okAsync(
      probes.map((vantage): SignalSample => ({ at, vantage, status: down(vantage, at) ? 'down' : 'up' })),
    ),
});

/** A metric source: one series whose value is `value(at)`. */
const metricCurve = (id: string, value: (at: number) => number): SignalSourceV1 => ({
  specificationVersion: 'v1',
  id,
  kind: 'metric',
  provider: 'scripted',
  vantagePoints: ['prometheus'],
  read: ({ at }) => okAsync([{ at, vantage: 'prometheus', value: value(at) }]),
});

type Curves = Partial<
  Record<
    'region' | 'database' | 'orders' | 'payments' | 'inventory',
    (vantage: string, at: number) => boolean
  >
> & {
  errors?: (at: number) => number;
  latency?: (at: number) => number;
};

const healthy = () => false;

/** Watches for `forMs` of clock with the scripted curves; returns what was decided and done. */
async function watchScenario(curves: Curves, forMs = 20 * 60_000) {
  const time = createVirtualTime({ startAt: 0 });
  const dns = fakeDns(time, [weightedRecord('api.example.com')]);
  const db = fakeDatabase(time, [twoRegionDatabase('orders', 'us-east-1', 'eu-west-1')]);
  const plan = testPlan([
    dnsSwitch('switch-traffic', 'api.example.com', { traffic: true }),
    {
      id: 'approve-promotion',
      kind: 'approval',
      message: 'Promote eu-west-1?',
      timeoutMs: 10 * 60_000,
      dependsOn: ['switch-traffic'],
    },
    dbSwitch('promote', { dependsOn: ['approve-promotion'] }),
  ]);
  const compiled = compilePlan(plan)._unsafeUnwrap();
  const signals = {
    region: statusCurve('region', curves.region ?? healthy),
    database: statusCurve('database', curves.database ?? healthy),
    orders: statusCurve('orders', curves.orders ?? healthy),
    payments: statusCurve('payments', curves.payments ?? healthy),
    inventory: statusCurve('inventory', curves.inventory ?? healthy),
    errors: metricCurve('errors', curves.errors ?? (() => 0.002)),
    latency: metricCurve('latency', curves.latency ?? (() => 180)),
  };
  const journal = createMemoryWatchJournal();
  const kinds: { at: number; kind: DecisionKind; rule?: string }[] = [];
  const reviews: string[] = [];
  const waiting: string[] = [];
  let runs = 0;
  const status = await watchHealth({
    checks: adrChecks,
    signals,
    time,
    journal,
    onEvaluation: ({ at, decision }) => {
      if (kinds.at(-1)?.kind !== decision.kind)
        kinds.push({ at, kind: decision.kind, ...(decision.rule && { rule: decision.rule }) });
    },
    onManualReview: async ({ decision }) => {
      reviews.push(decision.reason);
    },
    failover: async ({ runId, decision }) => {
      runs++;
      const result = await runPlan(plan, {
        providers: { dns, db },
        time,
        runId,
        rollbackOnFailure: false,
        approver: goldenRuleApprover({
          compiled,
          decidedBy: `watch: ${decision.rule}`,
          promotionAllowed: false,
          human: denyAll,
          onPromotionWaiting: (stepId) => {
            waiting.push(stepId);
          },
        }),
      });
      return { status: result.isOk() ? result.value.status : 'error' };
    },
    until: () => time.now() >= forMs,
  });
  const record = dns.records.get('api.example.com');
  return {
    status: status._unsafeUnwrap(),
    kinds,
    reviews,
    waiting,
    runs,
    journal: journal.entries,
    traffic: record ? activeDnsTarget(record) : undefined,
    promotions: db.log.filter((call) => call.method === 'ensureWriter').length,
  };
}

const after =
  (startMs: number, endMs = Number.POSITIVE_INFINITY) =>
  (_vantage: string, at: number) =>
    at >= startMs && at < endMs;

describe('failover watch scenarios (ADR 039 defaults)', () => {
  it('complete regional failure: switches traffic on its own; the promotion waits for a human', async () => {
    const outcome = await watchScenario({
      region: after(60_000),
      database: after(60_000),
      orders: after(60_000),
      payments: after(60_000),
      inventory: after(60_000),
    });
    expect(outcome.runs).toBe(1);
    expect(outcome.kinds.find((k) => k.kind === 'AUTOMATIC_FAILOVER')).toMatchObject({ at: 80_000 });
    expect(outcome.traffic).toBe('secondary');
    expect(outcome.waiting).toEqual(['approve-promotion']);
    expect(outcome.promotions).toBe(0);
  });

  it('database master failure: 3 consecutive failed checks of the writer trigger, with high confidence', async () => {
    const outcome = await watchScenario({ database: after(120_000) });
    const trigger = outcome.journal.find((entry) => entry.type === 'watch-trigger');
    expect(trigger).toMatchObject({
      at: 140_000,
      decision: { rule: 'database-writer-unreachable', confidence: 'HIGH' },
    });
    expect(outcome.runs).toBe(1);
  });

  it('error-rate spike: above 10 % for 5 minutes triggers, with medium confidence; a 3-minute spike does not', async () => {
    const sustained = await watchScenario({ errors: (at) => (at >= 60_000 ? 0.18 : 0.01) });
    const trigger = sustained.journal.find((entry) => entry.type === 'watch-trigger');
    expect(trigger).toMatchObject({
      at: 360_000,
      decision: { rule: 'error-rate-spike', confidence: 'MEDIUM' },
    });

    const brief = await watchScenario({ errors: (at) => (at >= 60_000 && at < 240_000 ? 0.18 : 0.01) });
    expect(brief.runs).toBe(0);
    expect(brief.kinds.map((k) => k.kind)).toEqual(['NO_ACTION']);
  });

  it('multiple service failures: asks for a manual review once, with the evidence, and runs nothing', async () => {
    const outcome = await watchScenario({ orders: after(60_000), payments: after(60_000) });
    expect(outcome.runs).toBe(0);
    expect(outcome.reviews).toEqual(['Multiple service failures detected: investigate and decide']);
    expect(outcome.kinds.map((k) => k.kind)).toEqual(['NO_ACTION', 'MANUAL_REVIEW_REQUIRED']);
    expect(outcome.traffic).toBe('primary');
  });

  it('degradation: slow responses are monitored, never failed over', async () => {
    const outcome = await watchScenario({ latency: (at) => (at >= 60_000 ? 2_400 : 180) });
    expect(outcome.kinds.map((k) => k.kind)).toEqual(['NO_ACTION', 'MONITOR']);
    expect(outcome.runs).toBe(0);
  });

  it('a single flapping probe never triggers: quorum 2 of 3', async () => {
    const flapping = (vantage: string, at: number) =>
      vantage === 'probe-ap' && Math.floor(at / 10_000) % 2 === 0;
    const outcome = await watchScenario({
      region: flapping,
      database: flapping,
      orders: flapping,
      payments: flapping,
    });
    expect(outcome.kinds.map((k) => k.kind)).toEqual(['NO_ACTION']);
    expect(outcome.runs).toBe(0);
  });

  it('recovery does not flip back: the region heals after the failover, traffic stays and nothing runs again', async () => {
    const outcome = await watchScenario({
      region: after(60_000, 400_000),
      database: after(60_000, 400_000),
      orders: after(60_000, 400_000),
      payments: after(60_000, 400_000),
    });
    expect(outcome.runs).toBe(1);
    expect(outcome.traffic).toBe('secondary');
    // The engine sees the recovery (and says so), but only after the hysteresis' minimum time.
    const recovered = outcome.kinds.at(-1)!;
    expect(recovered.kind).toBe('NO_ACTION');
    expect(recovered.at).toBeGreaterThanOrEqual(400_000);
    expect(outcome.journal.filter((entry) => entry.type === 'watch-trigger')).toHaveLength(1);
  });
});
