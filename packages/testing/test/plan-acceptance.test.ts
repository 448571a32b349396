import {
  check,
  createVirtualTime,
  database,
  definePlan,
  dns,
  type ExecutorEvent,
  type FailoverPlan,
  parallel,
  type RunOptions,
  runPlan,
  scale,
  verify,
  writerRegion,
} from '@failover/core';
import { describe, expect, it } from 'vitest';
import { createPrng, createSimulatedWorld, type SimulatedWorld } from '../src/index.js';
import { standardSeed } from './fixtures.js';

const api = { zone: 'example.com.', name: 'api.example.com.', type: 'A' };
const orders = { id: 'orders' };
const standbyPool = { cluster: 'prod-euw1', pool: 'general', region: 'eu-west-1' };

/**
 * us-east-1 -> eu-west-1: pre-flight checks, fence the old primary's DNS target, then the
 * planned database switchover and the standby pool scale-up in parallel, then the DNS
 * switch, then verification.
 */
function failoverPlan(): FailoverPlan {
  return definePlan({
    id: 'use1-to-euw1',
    name: 'us-east-1 to eu-west-1',
    sourceRegion: 'us-east-1',
    targetRegion: 'eu-west-1',
    objectives: { rtoMs: 15 * 60_000 },
  })
    .parallel('preflight', [
      check.replicationLag('lag', { provider: 'db', database: orders, maxLagMs: 5_000 }),
      check.databaseWriter('writer-in-source', { provider: 'db', database: orders, region: 'us-east-1' }),
      check.dnsTtl('ttl', { provider: 'dns', record: api, maxTtl: 60 }),
      check.dnsActiveTarget('active-is-primary', { provider: 'dns', record: api, target: 'primary' }),
      check.poolReady('standby-pool-up', { provider: 'k8s', pool: standbyPool, minReady: 1 }),
    ])
    .step(dns.fence('fence', { provider: 'dns', record: api, target: 'primary' }))
    .after('preflight')
    .step(
      parallel('recover', [
        database.ensureWriter('switchover', {
          provider: 'db',
          database: orders,
          region: 'eu-west-1',
          mode: 'planned',
        }),
        scale.pool('scale-up', { provider: 'k8s', pool: standbyPool, desired: 6, min: 3, max: 12 }),
      ]),
    )
    .after('fence')
    .step(dns.switchActive('switch', { provider: 'dns', record: api, target: 'secondary' }))
    .after('recover')
    .parallel('verify', [
      verify(
        'dns-on-secondary',
        check.dnsActiveTarget('_', { provider: 'dns', record: api, target: 'secondary' }),
        {
          timeoutMs: 5 * 60_000,
          intervalMs: 10_000,
        },
      ),
      verify(
        'writer-in-target',
        check.databaseWriter('_', { provider: 'db', database: orders, region: 'eu-west-1' }),
        {
          timeoutMs: 5 * 60_000,
          intervalMs: 10_000,
        },
      ),
    ])
    .after('switch')
    .build()
    ._unsafeUnwrap();
}

function setUp(seed: number) {
  const world = createSimulatedWorld({ seed, time: createVirtualTime() }).seed(standardSeed);
  const events: ExecutorEvent[] = [];
  const prng = createPrng(seed);
  const options: RunOptions = {
    providers: { dns: world.dnsProvider(), db: world.databaseFailover(), k8s: world.clusterScaler() },
    time: world.time,
    random: prng.next,
    runId: `run-${seed}`,
    onEvent: (event) => events.push(event),
  };
  return { world, events, options };
}

/** Calls of a clean run of `failoverPlan()`, derived step by step. */
const cleanRunCalls = {
  // Before the run, each action is observed once more and pre-checked (precheck*), as a dry-run would.
  describe: 5, // lag and writer checks, the switchover's pre-check and observe, the writer verification
  describePool: 3, // the pool check, the scale-up's pre-check and observe
  getRecordSet: 7, // ttl and active-target checks, fence and switch pre-checks and observes, the DNS verification
  precheckRecordSet: 4, // fence, switch: before the run and in the step
  precheckWriter: 2,
  precheckSize: 2,
  ensureRecordSet: 2, // fence, switch
  ensureWriter: 1,
  ensureSize: 1,
  waitForChange: 2,
  waitForWriter: 1,
  waitForPool: 1,
};

const durationOf = (world: SimulatedWorld, type: string, nth = 0) => {
  const op = world.operations().filter((o) => o.type === type)[nth]!;
  return op.completesAt! - op.startedAt;
};

describe('a realistic failover plan on the simulator', () => {
  it('completes with the expected simulated duration and call counts', async () => {
    const { world, options } = setUp(2026);
    const result = (await runPlan(failoverPlan(), options))._unsafeUnwrap();

    expect(result.status).toBe('succeeded');
    const elapsed = result.endedAt - result.startedAt;
    // Configured durations: fence DNS 60–120 s, then max(switchover 1–3 min, scale 2–5 min), then DNS 60–120 s.
    expect(elapsed).toBeGreaterThanOrEqual(60_000 + 120_000 + 60_000);
    expect(elapsed).toBeLessThanOrEqual(120_000 + 300_000 + 120_000 + 60_000);
    // And exactly: the drawn durations, plus at most one poll interval (10 s cap) per wait on the critical path.
    const fence = durationOf(world, 'dns-change', 0);
    const critical =
      fence + Math.max(durationOf(world, 'database-switchover'), durationOf(world, 'pool-update'));
    const expected = critical + durationOf(world, 'dns-change', 1);
    expect(elapsed).toBeGreaterThanOrEqual(expected);
    expect(elapsed).toBeLessThanOrEqual(expected + 3 * 10_000);

    expect(world.callCounts({ mutating: true })).toEqual({
      ensureRecordSet: 2,
      ensureWriter: 1,
      ensureSize: 1,
    });
    // One observe per check and per action, one ensure and one wait per action, one observe per verify poll.
    expect(world.callCounts()).toEqual(cleanRunCalls);

    expect(writerRegion(world.database('orders').topology())).toBe('eu-west-1');
    expect(world.pool(standbyPool).state()).toMatchObject({
      desired: 6,
      min: 3,
      max: 12,
      ready: 6,
      status: 'ready',
    });
    const record = world.recordSet(api)!;
    expect(record.targets.map((t) => [t.id, t.priority, t.enabled])).toEqual([
      ['primary', 2, false],
      ['secondary', 1, true],
    ]);
  });

  it('still completes with injected throttling and one transient failure', async () => {
    const { world, options, events } = setUp(2026);
    world.faults.schedule({
      operation: 'ensureRecordSet',
      call: 1,
      fault: { kind: 'throttled', retryAfterMs: 4_000 },
    });
    world.faults.schedule({
      operation: 'describePool',
      call: 3, // the scale-up's observe (1: its pre-check before the run, 2: the pool check)
      fault: { kind: 'throttled', retryAfterMs: 2_000 },
    });
    world.faults.schedule({ operation: 'ensureWriter', call: 1, fault: { kind: 'unavailable' } });
    const result = (await runPlan(failoverPlan(), options))._unsafeUnwrap();

    expect(result.status).toBe('succeeded');
    expect(
      world
        .calls()
        .filter((c) => c.fault)
        .map((c) => [c.operation, c.fault]),
    ).toEqual([
      ['ensureRecordSet', 'throttled'],
      ['describePool', 'throttled'],
      ['ensureWriter', 'unavailable'],
    ]);
    // Each failed call is made once more (retried within the call, not by a new attempt that observes again).
    expect(world.callCounts()).toEqual({
      ...cleanRunCalls,
      ensureRecordSet: cleanRunCalls.ensureRecordSet + 1,
      describePool: cleanRunCalls.describePool + 1,
      ensureWriter: cleanRunCalls.ensureWriter + 1,
    });
    // Transient failures are retried inside the step's attempt (within its deadline), not as new attempts.
    expect(result.steps.every((step) => step.status === 'succeeded')).toBe(true);
    expect(events.some((e) => e.type === 'plan-end')).toBe(true);
    expect(world.callCounts({ mutating: true })).toEqual({
      ensureRecordSet: 2,
      ensureWriter: 1,
      ensureSize: 1,
    });
    expect(writerRegion(world.database('orders').topology())).toBe('eu-west-1');
  });
});

/**
 * Lower the TTL, fence, scale up, then verify the standby has the capacity before moving the
 * database and DNS: one step after another.
 */
function sequentialPlan(requiredNodes: number): FailoverPlan {
  return definePlan({
    id: 'sequential',
    name: 'sequential failover',
    sourceRegion: 'us-east-1',
    targetRegion: 'eu-west-1',
  })
    .sequential('failover', [
      check.databaseWriter('writer-in-source', { provider: 'db', database: orders, region: 'us-east-1' }),
      dns.setTtl('lower-ttl', { provider: 'dns', record: api, ttl: 30 }),
      dns.fence('fence', { provider: 'dns', record: api, target: 'primary' }),
      scale.pool('scale-up', { provider: 'k8s', pool: standbyPool, desired: 6, min: 3, max: 12 }),
      verify(
        'standby-capacity',
        check.poolReady('_', { provider: 'k8s', pool: standbyPool, minReady: requiredNodes }),
        {
          timeoutMs: 2 * 60_000,
          intervalMs: 10_000,
        },
      ),
      database.ensureWriter('switchover', {
        provider: 'db',
        database: orders,
        region: 'eu-west-1',
        mode: 'planned',
      }),
      dns.switchActive('switch', { provider: 'dns', record: api, target: 'secondary' }),
    ])
    .build()
    ._unsafeUnwrap();
}

describe('a plan failing midway', () => {
  it('rolls back in reverse order and ends in the state it started from', async () => {
    const { world, options, events } = setUp(7);
    const before = world.snapshot();
    // The pool is scaled to 6 nodes but the gate asks for 8: the verification times out.
    const result = (await runPlan(sequentialPlan(8), options))._unsafeUnwrap();

    expect(result.status).toBe('rolled-back');
    expect(result.error?.kind).toBe('timeout');
    expect(result.steps.filter((s) => s.status === 'skipped').map((s) => s.stepId)).toEqual([
      'switchover',
      'switch',
    ]);
    expect(result.rollback?.steps.map((s) => [s.stepId, s.status])).toEqual([
      ['scale-up', 'rolled-back'],
      ['fence', 'rolled-back'],
      ['lower-ttl', 'rolled-back'],
    ]);
    const rollbackEvents = events.filter((e) => e.type === 'rollback-step').map((e) => e.stepId);
    expect(rollbackEvents).toEqual(['scale-up', 'fence', 'lower-ttl']);
    expect(world.snapshot()).toEqual(before);
    // Every forward change was undone by exactly one more mutating call.
    expect(world.callCounts({ mutating: true })).toEqual({ ensureRecordSet: 4, ensureSize: 2 });
  });

  it('after the switchover, a failed switch holds traffic in the target region: the fence and the scale-up stay', async () => {
    const { world, options } = setUp(8);
    world.faults.schedule({
      operation: 'ensureRecordSet',
      call: 2,
      fault: { kind: 'error', error: 'unauthorized' },
    });
    const before = world.snapshot();
    const result = (await runPlan(failoverPlan(), options))._unsafeUnwrap();

    expect(result.status).toBe('failed');
    expect(result.error?.kind).toBe('unauthorized');
    expect(result.rollback?.status).toBe('partial');
    expect(result.report.rollback?.irreversible).toEqual(['switchover']);
    // Undoing the fence would send traffic back to the demoted primary: it stays, and so does
    // the scale-up the switch needs. The operator finishes the switch forward.
    expect(result.partialFailover?.irreversible).toEqual(['switchover']);
    expect(result.partialFailover?.kept.map((kept) => kept.stepId).sort()).toEqual(['fence', 'scale-up']);
    expect(result.partialFailover?.unfinished).toEqual(['switch', 'dns-on-secondary', 'writer-in-target']);
    const after = world.snapshot();
    expect(after.dns).not.toEqual(before.dns);
    expect(world.recordSet(api)!.targets.find((t) => t.id === 'primary')?.enabled).toBe(false);
    expect(world.pool(standbyPool).state().desired).toBe(6);
    expect(writerRegion(world.database('orders').topology())).toBe('eu-west-1');
  });
});

describe('seeded runs', () => {
  const run = async (seed: number) => {
    const { options, events } = setUp(seed);
    const result = (await runPlan(failoverPlan(), options))._unsafeUnwrap();
    return { events, durationMs: result.endedAt - result.startedAt };
  };

  it('the same seed gives the same event sequence', async () => {
    const a = await run(31);
    const b = await run(31);
    expect(b.events).toEqual(a.events);
    expect(a.events.length).toBeGreaterThan(20);
  });

  it('a different seed gives different timings', async () => {
    const a = await run(31);
    const c = await run(32);
    expect(c.durationMs).not.toBe(a.durationMs);
    expect(c.events.map((e) => e.type)).toEqual(a.events.map((e) => e.type));
  });
});
