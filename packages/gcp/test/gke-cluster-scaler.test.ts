import { afterEach, describe, expect, it } from 'vitest';
import { type GcpWorld, regionalPool, startGcpWorld, zonalPool } from './gcp-emulator-world.js';
import { unwrap } from './unwrap.js';

// GKE node pools through the adapter: totals vs per-zone counts on a regional
// pool, resizes and autoscaler bounds through their operations.

let world: GcpWorld | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

const wait = { timeoutMs: 3_600_000 };
const gkeMutations = (w: GcpWorld) =>
  w.emulator.requests
    .list({ service: 'gcp.container', mutating: true })
    .map((e) => e.operation.split('.').at(-1));

describe('gcp.gke', () => {
  it('describes a regional pool: totals over three zones, sizes read from the instance groups', async () => {
    world = await startGcpWorld();
    const gke = world.gcp.clusterScaler();
    expect(unwrap(await gke.describePool(regionalPool))).toEqual({
      cluster: 'aegis-dr',
      pool: 'primary-pool',
      region: 'us-central1',
      desired: 3,
      min: 0,
      max: 3000,
      ready: 3,
      autoscaling: false,
      status: 'ready',
      rawStatus: 'RUNNING',
      zones: 3,
    });
    expect(world.emulator.requests.list().map((e) => e.operation)).toEqual([
      'projects.locations.clusters.nodePools.get',
      'instanceGroupManagers.get',
      'instanceGroupManagers.get',
      'instanceGroupManagers.get',
    ]);
    expect(world.mutating()).toBe(0);
  });

  it('resizes the runbook pool to 6 nodes: setSize 2 per zone, then waits for the nodes', async () => {
    world = await startGcpWorld();
    const gke = world.gcp.clusterScaler({ location: 'us-central1' });
    const ensured = unwrap(
      await gke.ensureSize({ cluster: 'aegis-dr', pool: 'primary-pool' }, { desired: 6 }),
    );
    expect(ensured.before.desired).toBe(3);
    expect(ensured.handle).toMatchObject({
      provider: 'gcp.gke',
      operation: 'setSize',
      detail: { desired: 6 },
    });
    const during = unwrap(await gke.describePool(regionalPool));
    expect([during.desired, during.ready, during.status, during.rawStatus]).toEqual([
      6,
      3,
      'scaling',
      'RECONCILING',
    ]);
    const after = unwrap(await gke.waitForPool(ensured.handle!, wait));
    expect([after.desired, after.ready, after.status]).toEqual([6, 6, 'ready']);
    expect(gkeMutations(world)).toEqual(['setSize']);
    expect(unwrap(await gke.ensureSize(regionalPool, { desired: 6 })).changed).toBe(false);
    expect(world.mutating()).toBe(1);
  });

  it('refuses a total that is not a multiple of the zones, or rounds it up when told to', async () => {
    world = await startGcpWorld();
    const strict = await world.gcp.clusterScaler().ensureSize(regionalPool, { desired: 7 });
    expect(strict._unsafeUnwrapErr()).toMatchObject({ kind: 'invalid-input', path: 'desired' });
    expect(strict._unsafeUnwrapErr().message).toMatch(/3 zones .* ask for 6 or 9/);
    expect(world.mutating()).toBe(0);
    const rounding = world.gcp.clusterScaler({ sizeRounding: 'round-up' });
    const ensured = unwrap(await rounding.ensureSize(regionalPool, { desired: 7 }));
    expect(unwrap(await rounding.waitForPool(ensured.handle!, wait)).desired).toBe(9);
  });

  it('moves autoscaler bounds and size together: setAutoscaling, its operation, then setSize', async () => {
    world = await startGcpWorld();
    const gke = world.gcp.clusterScaler();
    const ensured = unwrap(await gke.ensureSize(zonalPool, { desired: 7, max: 8 }));
    expect(gkeMutations(world)).toEqual(['setAutoscaling', 'setSize']);
    const after = unwrap(await gke.waitForPool(ensured.handle!, wait));
    expect([after.desired, after.min, after.max, after.ready, after.autoscaling]).toEqual([7, 1, 8, 7, true]);
  });

  it('a fixed-size pool has no bounds to set; inconsistent sizes are invalid-input; no mutation', async () => {
    world = await startGcpWorld();
    const gke = world.gcp.clusterScaler();
    for (const desired of [{ min: 3 }, { desired: 2, min: 3 }, { desired: 3001 }, { desired: 2.5 }, {}]) {
      const result = await gke.ensureSize(regionalPool, desired);
      expect(result._unsafeUnwrapErr().kind, JSON.stringify(desired)).toBe('invalid-input');
    }
    expect(
      (await gke.describePool({ cluster: 'aegis-dr', pool: 'primary-pool' }))._unsafeUnwrapErr().path,
    ).toBe('ref.region');
    expect(world.mutating()).toBe(0);
  });

  it('a second resize while one runs is a retryable conflict (GKE runs one operation per cluster)', async () => {
    world = await startGcpWorld();
    const gke = world.gcp.clusterScaler();
    unwrap(await gke.ensureSize(regionalPool, { desired: 6 }));
    const busy = await gke.ensureSize(regionalPool, { desired: 9 });
    expect(busy._unsafeUnwrapErr()).toMatchObject({ kind: 'conflict', retryable: true });
  });

  it('waitForPool honours minReady and a deadline', async () => {
    world = await startGcpWorld({ durations: { 'gcp.gke.setSize': 600_000 } });
    const gke = world.gcp.clusterScaler();
    const ensured = unwrap(await gke.ensureSize(regionalPool, { desired: 12 }));
    const early = await gke.waitForPool(ensured.handle!, { timeoutMs: 60_000 });
    expect(early._unsafeUnwrapErr()).toMatchObject({ kind: 'timeout', retryable: false });
    const pool = unwrap(await gke.waitForPool(ensured.handle!, { ...wait, minReady: 12 }));
    expect(pool.ready).toBe(12);
  });
});
