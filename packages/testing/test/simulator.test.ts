import { createVirtualTime, type DnsRecordRef, resolveDnsDesiredState, writerRegion } from '@failover/core';
import { describe, expect, it } from 'vitest';
import { createSimulatedWorld, type SimulatedWorld } from '../src/index.js';
import { standardSeed } from './fixtures.js';

const api: DnsRecordRef = { zone: 'example.com.', name: 'api.example.com.', type: 'A' };
const orders = { id: 'orders' };
const standbyPool = { cluster: 'prod-euw1', pool: 'general', region: 'eu-west-1' };
const long = { timeoutMs: 60 * 60_000 };

const newWorld = (seed = 7, options: Omit<Parameters<typeof createSimulatedWorld>[0], 'seed'> = {}) =>
  createSimulatedWorld({ seed, ...options }).seed(standardSeed);

/** A small regional failover, straight on the providers, returning what a test compares. */
async function failover(world: SimulatedWorld) {
  const dns = world.dnsProvider();
  const db = world.databaseFailover();
  const k8s = world.clusterScaler();
  const start = world.time.now();
  const moved = (await db.ensureWriter(orders, { region: 'eu-west-1', mode: 'planned' }))._unsafeUnwrap();
  const scaled = (await k8s.ensureSize(standbyPool, { desired: 6 }))._unsafeUnwrap();
  await Promise.all([db.waitForWriter(moved.handle!, long), k8s.waitForPool(scaled.handle!, long)]);
  const current = (await dns.getRecordSet(api))._unsafeUnwrap();
  const desired = resolveDnsDesiredState(current, { activeTarget: 'secondary' })._unsafeUnwrap();
  const switched = (await dns.ensureRecordSet(api, desired))._unsafeUnwrap();
  (await dns.waitForChange(switched.handle!, long))._unsafeUnwrap();
  return {
    elapsed: world.time.now() - start,
    calls: world
      .calls()
      .map(({ seq, at, operation, outcome, mutating }) => ({ seq, at, operation, outcome, mutating })),
    durations: world.operations().map((op) => op.completesAt! - op.startedAt),
  };
}

describe('seeds', () => {
  it('the same seed replays the same calls at the same simulated times', async () => {
    const a = await failover(newWorld(42));
    const b = await failover(newWorld(42));
    expect(a).toEqual(b);
    expect(a.calls.length).toBeGreaterThan(0);
  });

  it('different seeds draw different durations', async () => {
    const a = await failover(newWorld(1));
    const b = await failover(newWorld(2));
    expect(a.durations).not.toEqual(b.durations);
    expect(a.elapsed).not.toBe(b.elapsed);
  });

  it('durations fall inside the configured ranges and can be changed per world', async () => {
    const run = await failover(newWorld(3));
    const [switchover, scale, dnsChange] = run.durations;
    expect(switchover).toBeGreaterThanOrEqual(60_000);
    expect(switchover).toBeLessThanOrEqual(180_000);
    expect(scale).toBeGreaterThanOrEqual(120_000);
    expect(scale).toBeLessThanOrEqual(300_000);
    expect(dnsChange).toBeGreaterThanOrEqual(60_000);
    expect(dnsChange).toBeLessThanOrEqual(120_000);

    const fast = await failover(
      newWorld(3, {
        durations: {
          plannedSwitchover: [10_000, 10_000],
          poolScale: [20_000, 20_000],
          dnsPropagation: [5_000, 5_000],
        },
        polling: { intervalMs: 1_000, maxIntervalMs: 1_000 },
      }),
    );
    expect(fast.durations).toEqual([10_000, 20_000, 5_000]);
    // Parallel database and pool (20 s), then DNS (5 s), each seen at the next 1 s poll.
    expect(fast.elapsed).toBeGreaterThanOrEqual(25_000);
    expect(fast.elapsed).toBeLessThanOrEqual(27_000);
  });

  it('rejects an inverted duration range', () => {
    expect(() => createSimulatedWorld({ seed: 1, durations: { poolScale: [10, 5] } })).toThrow(RangeError);
  });
});

describe('call recording', () => {
  it('records every call with time, arguments, outcome and whether it mutated', async () => {
    const world = newWorld();
    const dns = world.dnsProvider();
    const controller = new AbortController();
    await dns.getRecordSet(api, { abortSignal: controller.signal });
    const current = (await dns.getRecordSet(api))._unsafeUnwrap();
    await dns.ensureRecordSet(
      api,
      resolveDnsDesiredState(current, { activeTarget: 'secondary' })._unsafeUnwrap(),
    );
    await dns.getRecordSet({ zone: 'example.com.', name: 'nope.example.com.', type: 'A' });

    const calls = world.calls();
    expect(calls.map((c) => [c.seq, c.operation, c.mutating, c.outcome])).toEqual([
      [1, 'getRecordSet', false, 'ok'],
      [2, 'getRecordSet', false, 'ok'],
      [3, 'ensureRecordSet', true, 'ok'],
      [4, 'getRecordSet', false, 'not-found'],
    ]);
    expect(calls[0]!.args).toEqual([api]);
    expect(calls[0]!.provider).toBe('sim.dns');
    expect(world.calls({ mutating: true }).map((c) => c.seq)).toEqual([3]);
    expect(world.callCounts()).toEqual({ getRecordSet: 3, ensureRecordSet: 1 });
    expect(world.callCounts({ outcome: 'ok' })).toEqual({ getRecordSet: 2, ensureRecordSet: 1 });
  });

  it('reports each simulated API request through onApiCall', async () => {
    const world = newWorld();
    const k8s = world.clusterScaler();
    const seen: string[] = [];
    const onApiCall = (call: { operation: string; mutating: boolean }) =>
      seen.push(`${call.operation}${call.mutating ? '!' : ''}`);
    const ensured = (await k8s.ensureSize(standbyPool, { desired: 3 }, { onApiCall }))._unsafeUnwrap();
    await k8s.waitForPool(ensured.handle!, { ...long, onApiCall });
    expect(seen.slice(0, 2)).toEqual(['DescribeNodePool', 'UpdateNodePool!']);
    expect(seen.slice(2).every((s) => s === 'DescribeNodePool')).toBe(true);
    expect(seen.length).toBeGreaterThan(3);
  });
});

describe('scheduled faults', () => {
  it('the 3rd call of an operation fails as scheduled, the others pass', async () => {
    const world = newWorld();
    world.faults.schedule({
      operation: 'getRecordSet',
      call: 3,
      fault: { kind: 'throttled', retryAfterMs: 2_000 },
    });
    const dns = world.dnsProvider();
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await dns.getRecordSet(api));
    expect(results.map((r) => r.isOk())).toEqual([true, true, false, true]);
    const error = results[2]!._unsafeUnwrapErr();
    expect(error).toMatchObject({
      kind: 'throttled',
      retryable: true,
      retryAfterMs: 2_000,
      operation: 'getRecordSet',
    });
    expect(world.calls()[2]!.fault).toBe('throttled');
  });

  it('a fault with count fails consecutive calls, and can target one provider', async () => {
    const world = newWorld();
    world.faults.schedule({
      operation: 'describePool',
      provider: 'k8s-b',
      count: 2,
      fault: { kind: 'unavailable' },
    });
    const a = world.clusterScaler('k8s-a');
    const b = world.clusterScaler('k8s-b');
    expect((await a.describePool(standbyPool)).isOk()).toBe(true);
    const failures = [await b.describePool(standbyPool), await b.describePool(standbyPool)];
    for (const failure of failures)
      expect(failure._unsafeUnwrapErr()).toMatchObject({ kind: 'unavailable', retryable: true });
    expect((await b.describePool(standbyPool)).isOk()).toBe(true);
  });

  it('a throttled ensure changes nothing', async () => {
    const world = newWorld();
    world.faults.schedule({ operation: 'ensureSize', fault: { kind: 'throttled' } });
    const k8s = world.clusterScaler();
    expect((await k8s.ensureSize(standbyPool, { desired: 5 }))._unsafeUnwrapErr().retryAfterMs).toBe(1_000);
    expect(world.pool(standbyPool).state().desired).toBe(2);
    expect(world.calls({ mutating: true })).toEqual([]);
  });

  it('a timeout fault hangs for the request timeout, then fails retryably', async () => {
    const world = newWorld();
    world.faults.schedule({ operation: 'describe', fault: { kind: 'timeout', afterMs: 15_000 } });
    const db = world.databaseFailover();
    const start = world.time.now();
    const error = (await db.describe(orders))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'timeout', retryable: true });
    expect(world.time.now() - start).toBe(15_000);
  });

  it('a transient error on a wait hits its first poll and is waited out', async () => {
    const world = newWorld();
    const db = world.databaseFailover();
    const moved = (await db.ensureWriter(orders, { region: 'eu-west-1', mode: 'forced' }))._unsafeUnwrap();
    world.faults.schedule({ operation: 'waitForWriter', fault: { kind: 'unavailable' } });
    const topology = (await db.waitForWriter(moved.handle!, long))._unsafeUnwrap();
    expect(writerRegion(topology)).toBe('eu-west-1');
    expect(world.calls({ operation: 'waitForWriter' })[0]!.fault).toBe('unavailable');
  });

  it('any error kind can be injected', async () => {
    const world = newWorld();
    world.faults.schedule({ operation: 'getRecordSet', fault: { kind: 'error', error: 'unauthorized' } });
    expect((await world.dnsProvider().getRecordSet(api))._unsafeUnwrapErr()).toMatchObject({
      kind: 'unauthorized',
      retryable: false,
    });
  });

  it('stuck operations never finish: the wait times out at its deadline', async () => {
    const world = newWorld();
    world.faults.schedule({ operation: 'ensureWriter', fault: { kind: 'stuck' } });
    const db = world.databaseFailover();
    const moved = (await db.ensureWriter(orders, { region: 'eu-west-1', mode: 'planned' }))._unsafeUnwrap();
    const start = world.time.now();
    const error = (await db.waitForWriter(moved.handle!, { timeoutMs: 30 * 60_000 }))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'timeout', retryable: false });
    expect(world.time.now() - start).toBe(30 * 60_000);
    expect(world.database('orders').topology().failoverInProgress).toBe(true);
    expect(world.operations()[0]!.completesAt).toBeUndefined();
  });

  it('stuck is refused for methods that start nothing', () => {
    expect(() => newWorld().faults.schedule({ operation: 'describe', fault: { kind: 'stuck' } })).toThrow(
      RangeError,
    );
  });

  it('clear() removes every fault', async () => {
    const world = newWorld();
    world.faults.schedule({ operation: 'getRecordSet', count: 10, fault: { kind: 'unavailable' } });
    world.faults.clear();
    expect((await world.dnsProvider().getRecordSet(api)).isOk()).toBe(true);
  });
});

describe('random faults', () => {
  const pattern = async (seed: number) => {
    const world = newWorld(seed);
    world.faults.random({ rate: 0.3, fault: { kind: 'unavailable' }, operations: ['getRecordSet'] });
    const dns = world.dnsProvider();
    const out: boolean[] = [];
    for (let i = 0; i < 40; i++) out.push((await dns.getRecordSet(api)).isOk());
    return out;
  };

  it('are reproducible from the seed and differ between seeds', async () => {
    const a = await pattern(11);
    expect(await pattern(11)).toEqual(a);
    expect(await pattern(12)).not.toEqual(a);
    const failures = a.filter((ok) => !ok).length;
    expect(failures).toBeGreaterThan(3);
    expect(failures).toBeLessThan(25);
  });

  it('only hit the listed operations', async () => {
    const world = newWorld();
    world.faults.random({ rate: 1, fault: { kind: 'unavailable' }, operations: ['describePool'] });
    expect((await world.clusterScaler().describePool(standbyPool)).isErr()).toBe(true);
    expect((await world.dnsProvider().getRecordSet(api)).isOk()).toBe(true);
  });
});

describe('regions', () => {
  it('a dark region fails calls addressed to it as unavailable, and recovers', async () => {
    const world = newWorld();
    const k8s = world.clusterScaler();
    const primaryPool = { cluster: 'prod-use1', pool: 'general' };
    world.regions.darken('us-east-1');
    expect((await k8s.describePool(primaryPool))._unsafeUnwrapErr()).toMatchObject({
      kind: 'unavailable',
      retryable: true,
    });
    expect((await k8s.describePool(standbyPool)).isOk()).toBe(true);
    expect(world.calls()[0]!.fault).toBe('region-dark');
    world.regions.restore('us-east-1');
    expect((await k8s.describePool(primaryPool)).isOk()).toBe(true);
    expect(world.regions.list()).toEqual(expect.arrayContaining(['us-east-1', 'eu-west-1']));
  });

  it('a client whose endpoint region is dark gets unavailable for everything', async () => {
    const world = newWorld();
    const dns = world.dnsProvider('route53', { region: 'us-east-1' });
    world.regions.darken('us-east-1');
    expect((await dns.getRecordSet(api))._unsafeUnwrapErr().kind).toBe('unavailable');
    expect((await world.dnsProvider().getRecordSet(api)).isOk()).toBe(true);
  });

  it('makes database members there unavailable: planned is refused, forced works', async () => {
    const world = newWorld();
    const db = world.databaseFailover();
    world.regions.darken('us-east-1');
    const topology = (await db.describe(orders))._unsafeUnwrap();
    expect(topology.members.find((m) => m.region === 'us-east-1')?.status).toBe('unavailable');
    const planned = await db.ensureWriter(orders, { region: 'eu-west-1', mode: 'planned' });
    expect(planned._unsafeUnwrapErr().kind).toBe('precondition-failed');
    expect(world.calls({ mutating: true })).toEqual([]);
    const forced = (await db.ensureWriter(orders, { region: 'eu-west-1', mode: 'forced' }))._unsafeUnwrap();
    const after = (await db.waitForWriter(forced.handle!, long))._unsafeUnwrap();
    expect(writerRegion(after)).toBe('eu-west-1');
    const [record] = world.database('orders').failovers();
    expect(record).toMatchObject({ mode: 'forced', fromRegion: 'us-east-1', toRegion: 'eu-west-1' });
    expect(record!.dataLossMs).toBeGreaterThan(0);
  });

  it('turns health checks of endpoints there unhealthy', async () => {
    const world = newWorld();
    const dns = world.dnsProvider();
    const health = async () => (await dns.getRecordSet(api))._unsafeUnwrap().targets.map((t) => t.health);
    expect(await health()).toEqual(['healthy', 'healthy']);
    world.regions.darken('us-east-1');
    expect(await health()).toEqual(['unhealthy', 'healthy']);
    world.regions.restore('us-east-1');
    world.setHealthCheck('hc-euw1', false);
    expect(await health()).toEqual(['healthy', 'unhealthy']);
  });
});

describe('databases', () => {
  it('replication lag grows and shrinks over simulated time, within base + jitter', async () => {
    const time = createVirtualTime();
    const world = newWorld(5, { time });
    const lags: number[] = [];
    for (let i = 0; i < 40; i++) {
      lags.push(
        world
          .database('orders')
          .topology()
          .members.find((m) => m.role === 'reader')!.replicationLagMs!,
      );
      await time.advanceBy(5_000);
    }
    expect(Math.min(...lags)).toBeGreaterThanOrEqual(200);
    expect(Math.max(...lags)).toBeLessThanOrEqual(1_000);
    expect(new Set(lags).size).toBeGreaterThan(10);
    const rises = lags.slice(1).filter((lag, i) => lag > lags[i]!).length;
    expect(rises).toBeGreaterThan(3);
    expect(rises).toBeLessThan(36);
  });

  it('a lag spike shows in describe and holds a planned switchover until it passes', async () => {
    const world = newWorld(5, { durations: { plannedSwitchover: [60_000, 60_000] } });
    const db = world.databaseFailover();
    world.database('orders').spikeLag(30_000, 10 * 60_000);
    const lag = (await db.describe(orders))._unsafeUnwrap().members.find((m) => m.role === 'reader')!
      .replicationLagMs!;
    expect(lag).toBeGreaterThanOrEqual(30_200);
    const start = world.time.now();
    const moved = (await db.ensureWriter(orders, { region: 'eu-west-1', mode: 'planned' }))._unsafeUnwrap();
    (await db.waitForWriter(moved.handle!, long))._unsafeUnwrap();
    expect(world.time.now() - start).toBeGreaterThanOrEqual(10 * 60_000);
  });

  it('a running move is handed back, not restarted; a move elsewhere is a conflict', async () => {
    const world = newWorld();
    const db = world.databaseFailover();
    const first = (await db.ensureWriter(orders, { region: 'eu-west-1', mode: 'planned' }))._unsafeUnwrap();
    const again = (await db.ensureWriter(orders, { region: 'eu-west-1', mode: 'planned' }))._unsafeUnwrap();
    expect(again.handle).toEqual(first.handle);
    expect(world.calls({ mutating: true })).toHaveLength(1);
    const elsewhere = await db.ensureWriter(orders, { region: 'us-east-1', mode: 'planned' });
    expect(elsewhere._unsafeUnwrapErr().kind).toBe('conflict');
  });

  it('a handle from one provider instance can be waited on by another (resume)', async () => {
    const world = newWorld();
    const moved = (
      await world.databaseFailover().ensureWriter(orders, { region: 'eu-west-1', mode: 'forced' })
    )._unsafeUnwrap();
    const handle = JSON.parse(JSON.stringify(moved.handle));
    const topology = (await world.databaseFailover().waitForWriter(handle, long))._unsafeUnwrap();
    expect(writerRegion(topology)).toBe('eu-west-1');
  });
});

describe('node pools', () => {
  it('ready nodes converge to desired over the scale duration', async () => {
    const time = createVirtualTime();
    const world = newWorld(9, { time, durations: { poolScale: [200_000, 200_000] } });
    const k8s = world.clusterScaler();
    (await k8s.ensureSize(standbyPool, { desired: 12 }))._unsafeUnwrap();
    const readies: number[] = [];
    for (let i = 0; i <= 4; i++) {
      readies.push(world.pool(standbyPool).state().ready);
      await time.advanceBy(50_000);
    }
    expect(readies).toEqual([2, 4, 7, 9, 12]);
    expect(world.pool(standbyPool).state().status).toBe('ready');
  });

  it('scaling down converges too', async () => {
    const time = createVirtualTime();
    const world = newWorld(9, { time, durations: { poolScale: [100_000, 100_000] } });
    (
      await world.clusterScaler().ensureSize({ cluster: 'prod-use1', pool: 'general' }, { desired: 3 })
    )._unsafeUnwrap();
    await time.advanceBy(50_000);
    expect(world.pool({ cluster: 'prod-use1', pool: 'general' }).state()).toMatchObject({
      ready: 5,
      status: 'scaling',
    });
  });
});

describe('dns', () => {
  it('reads every routing kind and resolves a priority switch', async () => {
    const world = newWorld();
    const dns = world.dnsProvider();
    for (const name of ['static', 'jobs', 'geo', 'www', 'api']) {
      expect((await dns.getRecordSet({ name: `${name}.example.com.` })).isOk()).toBe(true);
    }
    const jobs = { name: 'jobs.example.com.', type: 'A' };
    const current = (await dns.getRecordSet(jobs))._unsafeUnwrap();
    const desired = resolveDnsDesiredState(current, { activeTarget: 'euw1' })._unsafeUnwrap();
    const changed = (await dns.ensureRecordSet(jobs, desired))._unsafeUnwrap();
    (await dns.waitForChange(changed.handle!, long))._unsafeUnwrap();
    expect(world.recordSet(jobs)!.targets.map((t) => [t.id, t.priority])).toEqual([
      ['use1', 2],
      ['euw1', 1],
      ['apse1', 3],
    ]);
  });

  it('a record set read back right after a change shows it, while the change propagates', async () => {
    const world = newWorld();
    const dns = world.dnsProvider();
    const current = (await dns.getRecordSet(api))._unsafeUnwrap();
    const desired = resolveDnsDesiredState(current, { activeTarget: 'secondary' })._unsafeUnwrap();
    const first = (await dns.ensureRecordSet(api, desired))._unsafeUnwrap();
    // Same desired state while the change is still propagating: the pending change is handed back.
    const again = (await dns.ensureRecordSet(api, desired))._unsafeUnwrap();
    expect(again).toMatchObject({ changed: true, handle: first.handle });
    expect(world.calls({ mutating: true })).toHaveLength(1);
  });

  it('snapshots compare before and after', async () => {
    const world = newWorld();
    const before = world.snapshot();
    expect(Object.keys(before.dns)).toContain('example.com./api.example.com./A');
    expect(before.databases.orders!.members.every((m) => m.replicationLagMs === undefined)).toBe(true);
    expect(world.snapshot()).toEqual(before);
  });
});
