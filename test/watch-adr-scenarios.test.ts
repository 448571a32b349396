// ADR 039's scenarios at wire level: watchHealth with the ADR's default policy reads REAL
// signal sources (HTTP probes from three vantage points, a Route 53 health check's status,
// the Aurora writer through the AWS adapter, CloudWatch alarm and metrics, the replication
// lag) over the real AWS SDK clients against @failover/emulator, and runs the bound plan
// (Route 53 switch, then an Aurora promotion behind an approval) with runPlan under the
// golden-rule approver. Everything shares the emulator's deterministic clock: minutes of
// outage take a fraction of a second and no test waits for real time. The engine's own
// cases (thresholds, hysteresis) are core's watch-scenarios test; this is the wire proof.
import type { AwsProvider } from '@failover/aws';
import {
  createMemoryWatchJournal,
  createReplicationLagSource,
  type DecisionKind,
  denyAll,
  goldenRuleApprover,
  runPlan,
  type SignalSourceV1,
  watchHealth,
} from '@failover/core';
import type { Emulator } from '@failover/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import {
  adrChecks,
  adrSignals,
  compiledShopPlan,
  edgeCheck,
  edgeHealthCheckId,
  globalId,
  type MetricCurves,
  primary,
  type ServiceHealth,
  shopPlan,
  startShopWorld,
  zone,
} from './watch-adr-scenarios-world.js';

interface Scenario {
  /** The shop's health endpoints as the probes see them. Default: healthy. */
  health?: ServiceHealth;
  metrics?: MetricCurves;
  /** Things that happen to the world at emulator times from the start (blackouts, faults). */
  events?: Array<{ atMs: number; act: (world: World) => void | Promise<void> }>;
  forMs: number;
}

interface World {
  emulator: Emulator;
}

const running: Emulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((emulator) => emulator.stop()));
});

function signalsOf(emulator: Emulator, aws: AwsProvider): Record<string, SignalSourceV1> {
  return {
    ...adrSignals(emulator, aws),
    edge: aws.healthCheckSource({ id: 'edge', healthCheckId: edgeHealthCheckId }),
    lag: createReplicationLagSource({ id: 'lag', database: aws.databaseFailover(), ref: { id: globalId } }),
  };
}

/** Watches the scenario on the emulator; returns what was decided and what reached the emulator. */
async function watchOnEmulator(scenario: Scenario) {
  const { clock, startedAt, emulator, aws } = await startShopWorld({
    ...(scenario.metrics && { curves: scenario.metrics }),
    ...(scenario.health && { health: scenario.health }),
  });
  running.push(emulator);
  const world: World = { emulator };
  for (const event of scenario.events ?? []) {
    void clock.sleep(event.atMs).then(() => event.act(world));
  }

  const journal = createMemoryWatchJournal();
  const kinds: { atMs: number; kind: DecisionKind; rule?: string }[] = [];
  const reviews: string[] = [];
  const waiting: string[] = [];
  /** Each automatic run's steps and how they ended. */
  const runs: Array<Record<string, string>> = [];
  const compiled = compiledShopPlan._unsafeUnwrap();
  const status = await watchHealth({
    checks: [
      ...adrChecks,
      edgeCheck,
      {
        name: 'replication-lag',
        class: 'informational',
        signal: 'lag',
        condition: { type: 'at-most', value: 1_000 },
        intervalMs: 60_000,
        failureThreshold: 3,
        timeoutMs: 10_000,
      },
    ],
    signals: signalsOf(emulator, aws),
    time: clock,
    journal,
    onEvaluation: ({ at, decision }) => {
      if (kinds.at(-1)?.kind !== decision.kind)
        kinds.push({
          atMs: at - startedAt,
          kind: decision.kind,
          ...(decision.rule && { rule: decision.rule }),
        });
    },
    onManualReview: async ({ decision }) => {
      reviews.push(decision.reason);
    },
    failover: async ({ runId, decision, abortSignal }) => {
      const result = await runPlan(shopPlan, {
        providers: { route53: aws.dnsProvider({ hostedZone: zone }), aurora: aws.databaseFailover() },
        time: clock,
        runId,
        abortSignal,
        rollbackOnFailure: false,
        approver: goldenRuleApprover({
          compiled,
          decidedBy: `watch: ${decision.rule}`,
          promotionAllowed: false,
          // No human answers in these scenarios: the promotion's approval is refused.
          human: denyAll,
          onPromotionWaiting: (stepId) => {
            waiting.push(stepId);
          },
        }),
      });
      if (result.isErr()) {
        runs.push({ error: result.error.message });
        return { status: 'error', detail: result.error.message };
      }
      runs.push(Object.fromEntries(result.value.steps.map((step) => [step.stepId, step.status])));
      return { status: result.value.status === 'succeeded' ? 'succeeded' : 'failed' };
    },
    until: () => clock.now() - startedAt >= scenario.forMs,
  });
  clock.dispose();
  const requests = emulator.requests;
  return {
    startedAt,
    status: status._unsafeUnwrap(),
    kinds,
    reviews,
    waiting,
    runs,
    journal: journal.entries,
    /** Route 53 changes the emulator applied (answered 200). */
    trafficSwitches: requests
      .list({ service: 'aws.route53', operation: 'ChangeResourceRecordSets' })
      .filter((entry) => entry.status === 200).length,
    /** Any call that would move the Aurora writer. */
    promotions: ['SwitchoverGlobalCluster', 'FailoverGlobalCluster', 'RemoveFromGlobalCluster']
      .map((operation) => requests.count({ service: 'aws.rds', operation }))
      .reduce((sum, count) => sum + count, 0),
  };
}

const triggers = (journal: readonly { type: string }[]) =>
  journal.filter((entry) => entry.type === 'watch-trigger') as Array<{
    type: 'watch-trigger';
    at: number;
    decision: { kind: string; rule?: string; confidence?: string };
  }>;

const after = (startMs: number, endMs = Number.POSITIVE_INFINITY) => ({ startMs, endMs });
const downDuring =
  (windows: Partial<Record<string, { startMs: number; endMs: number }>>): ServiceHealth =>
  (service, _vantage, at) => {
    const window = windows[service];
    return !(window && at >= window.startMs && at < window.endMs);
  };

/** eu-west-1 dark from `startMs` (to `endMs`): its AWS APIs and the shop's endpoints there answer 503. */
const blackout = (startMs: number, endMs?: number): Scenario['events'] => [
  {
    atMs: startMs,
    act: ({ emulator }) => {
      const lift = emulator.blackouts.add({ cloud: 'aws', region: primary });
      if (endMs !== undefined) void emulator.clock.sleep(endMs - startMs).then(lift);
    },
  },
];

/** The evaluation journaled with a trigger: its inputs, as the engine saw them. */
function evaluationAt(journal: readonly unknown[], at: number) {
  const entry = journal.find(
    (candidate) =>
      (candidate as { type: string }).type === 'watch-evaluation' && (candidate as { at: number }).at === at,
  ) as {
    evaluation: { readings: Array<{ check: string; samples?: Array<{ status?: string; vantage: string }> }> };
  };
  return (check: string) =>
    entry.evaluation.readings
      .find((reading) => reading.check === check)
      ?.samples?.map((sample) => sample.status);
}

/**
 * The golden rule on the wire: one run; its traffic step succeeded with exactly one Route 53
 * change applied; the promotion's approval waited for a human (none answered here, so it was
 * refused) and no call that moves the Aurora writer reached the emulator.
 */
function expectTrafficOnlyRun(outcome: Awaited<ReturnType<typeof watchOnEmulator>>) {
  expect(outcome.runs).toEqual([
    { 'switch-traffic': 'succeeded', 'approve-promotion': 'failed', 'promote-aurora': 'skipped' },
  ]);
  expect(outcome.trafficSwitches).toBe(1);
  expect(outcome.waiting).toEqual(['approve-promotion']);
  expect(outcome.promotions).toBe(0);
}

describe('failover watch, ADR 039 scenarios on the emulator (real adapters and sources)', () => {
  it('complete regional failure: eu-west-1 goes dark, traffic switches once on its own, the promotion waits', async () => {
    const outcome = await watchOnEmulator({ forMs: 4 * 60_000, events: blackout(60_000) });
    const [trigger, ...more] = triggers(outcome.journal);
    expect(more).toEqual([]);
    // Dark at 60 s; the 10 s checks' third failed round is due at 80 s, later when a round
    // waits on reads of the dark region until their timeouts (a round starts after the last
    // read of the one before). Which ADR rule holds first, the writer's 3 failed checks or
    // every critical check failed (the 30 s service checks need two rounds), depends on
    // how long those reads took: either is the automatic failover with high confidence.
    const triggeredAfter = trigger!.at - outcome.startedAt;
    expect(triggeredAfter).toBeGreaterThanOrEqual(80_000);
    expect(triggeredAfter).toBeLessThan(120_000);
    expect(trigger!.decision).toMatchObject({ kind: 'AUTOMATIC_FAILOVER', confidence: 'HIGH' });
    expect(['all-critical-failed', 'database-writer-unreachable']).toContain(trigger!.decision.rule);
    const inputs = evaluationAt(outcome.journal, trigger!.at);
    expect(inputs('region-connectivity')).toEqual(['down', 'down', 'down']);
    expect(inputs('database-master')).toEqual(['down']);
    // Later, every critical check has failed: still the one run.
    expect(outcome.kinds.at(-1)).toMatchObject({ kind: 'AUTOMATIC_FAILOVER' });
    expectTrafficOnlyRun(outcome);
  });

  it('database master failure: the writer unreachable for 3 checks triggers, with high confidence', async () => {
    const outcome = await watchOnEmulator({
      forMs: 4 * 60_000,
      events: [
        {
          atMs: 120_000,
          act: ({ emulator }) => void emulator.faults.add({ fault: 'drop', service: 'aws.rds' }),
        },
      ],
    });
    const [trigger, ...more] = triggers(outcome.journal);
    expect(more).toEqual([]);
    expect(trigger!.at - outcome.startedAt).toBe(140_000);
    expect(trigger!.decision).toMatchObject({ rule: 'database-writer-unreachable', confidence: 'HIGH' });
    expect(evaluationAt(outcome.journal, trigger!.at)('region-connectivity')).toEqual(['up', 'up', 'up']);
    expectTrafficOnlyRun(outcome);
  });

  it('error-rate spike: CloudWatch above 10 % for 5 minutes triggers with medium confidence', async () => {
    const outcome = await watchOnEmulator({
      forMs: 9 * 60_000,
      metrics: {
        errorRate: [
          { afterMs: 0, value: 0.01 },
          { afterMs: 60_000, value: 0.18 },
        ],
      },
    });
    const [trigger, ...more] = triggers(outcome.journal);
    expect(more).toEqual([]);
    expect(trigger!.decision).toMatchObject({ rule: 'error-rate-spike', confidence: 'MEDIUM' });
    // Above 10 % from 60 s: five failed 1-minute rounds, then 5 minutes failing (CloudWatch's
    // 1-minute datapoints land a round later than the fakes' instant values: 420 s, not 360 s).
    const triggeredAfter = trigger!.at - outcome.startedAt;
    expect(triggeredAfter).toBeGreaterThanOrEqual(360_000);
    expect(triggeredAfter).toBeLessThanOrEqual(480_000);
    expectTrafficOnlyRun(outcome);
  });

  it('a brief error-rate spike (3 minutes) does not trigger', async () => {
    const outcome = await watchOnEmulator({
      forMs: 9 * 60_000,
      metrics: {
        errorRate: [
          { afterMs: 0, value: 0.01 },
          { afterMs: 60_000, value: 0.18 },
          { afterMs: 240_000, value: 0.01 },
        ],
      },
    });
    expect(outcome.kinds.map((k) => k.kind)).toEqual(['NO_ACTION']);
    expect(triggers(outcome.journal)).toEqual([]);
    expect(outcome.runs).toEqual([]);
    expect(outcome.trafficSwitches).toBe(0);
  });

  it('multiple service failures: orders and payments down asks for one manual review and runs nothing', async () => {
    const outcome = await watchOnEmulator({
      forMs: 4 * 60_000,
      health: downDuring({ orders: after(60_000), payments: after(60_000) }),
      metrics: {
        inventoryAlarm: [
          { afterMs: 0, value: 'OK' },
          { afterMs: 60_000, value: 'ALARM' },
        ],
      },
    });
    expect(outcome.kinds.map((k) => k.kind)).toEqual(['NO_ACTION', 'MANUAL_REVIEW_REQUIRED']);
    expect(outcome.reviews).toEqual(['Multiple service failures detected: investigate and decide']);
    // The inventory alarm's ALARM, read from CloudWatch, failed its (important) check too.
    expect(outcome.status.state.checks['inventory-service']?.status).toBe('failed');
    expect(triggers(outcome.journal)).toEqual([]);
    expect(outcome.runs).toEqual([]);
    expect(outcome.trafficSwitches).toBe(0);
  });

  it('degradation: p95 latency of 2.4 s in CloudWatch is monitored, never failed over', async () => {
    const outcome = await watchOnEmulator({
      forMs: 9 * 60_000,
      metrics: {
        latencyMs: [
          { afterMs: 0, value: 180 },
          { afterMs: 60_000, value: 2_400 },
        ],
      },
    });
    expect(outcome.kinds.map((k) => k.kind)).toEqual(['NO_ACTION', 'MONITOR']);
    // The value the check failed on came from CloudWatch's GetMetricData.
    expect(outcome.status.state.checks['response-time']).toMatchObject({
      status: 'failed',
      lastRound: { value: 2_400 },
    });
    expect(outcome.runs).toEqual([]);
    expect(outcome.trafficSwitches).toBe(0);
  });

  it('a single flapping probe never triggers: 2 of 3 vantage points must agree', async () => {
    const flapping: ServiceHealth = (_service, vantage, at) =>
      !(vantage === 'probe-sa-east-1' && Math.floor(at / 10_000) % 2 === 0);
    const outcome = await watchOnEmulator({ forMs: 4 * 60_000, health: flapping });
    expect(outcome.kinds.map((k) => k.kind)).toEqual(['NO_ACTION']);
    // The flapping vantage point was seen failing, and outvoted.
    const failed = outcome.journal.some((entry) =>
      (
        entry as { evaluation?: { readings: Array<{ samples?: Array<{ status?: string }> }> } }
      ).evaluation?.readings.some((reading) => reading.samples?.some((sample) => sample.status === 'down')),
    );
    expect(failed).toBe(true);
    expect(outcome.trafficSwitches).toBe(0);
  });

  it('recovery does not flip back: eu-west-1 returns after the failover, nothing runs again', async () => {
    const outcome = await watchOnEmulator({ forMs: 12 * 60_000, events: blackout(60_000, 400_000) });
    expect(triggers(outcome.journal)).toHaveLength(1);
    expectTrafficOnlyRun(outcome);
    // While it recovers the engine passes through "multiple critical failed", but a run was
    // made: no manual review is sent after the trigger (one may precede it, while only some
    // critical checks had reached their thresholds).
    const [trigger] = triggers(outcome.journal);
    const reviewsAfter = outcome.journal.filter(
      (entry) => entry.type === 'watch-review' && entry.at > trigger!.at,
    );
    expect(reviewsAfter).toEqual([]);
    expect(outcome.kinds.map((k) => k.kind)).toContain('MANUAL_REVIEW_REQUIRED');
    const recovered = outcome.kinds.at(-1)!;
    expect(recovered.kind).toBe('NO_ACTION');
    expect(recovered.atMs).toBeGreaterThanOrEqual(400_000);
  });
});
