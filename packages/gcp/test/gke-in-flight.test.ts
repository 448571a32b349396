import { afterEach, describe, expect, it } from 'vitest';
import { type GcpWorld, regionalPool, startGcpWorld, zonalPool } from './gcp-emulator-world.js';
import { unwrap } from './unwrap.js';

// GKE resizes whose answer was lost are waited on, and the pre-check refuses
// exactly what ensureSize refuses, before any mutating call.

let world: GcpWorld | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

const wait = { timeoutMs: 3_600_000 };
const gkeMutations = (w: GcpWorld) =>
  w.emulator.requests
    .list({ service: 'gcp.container', mutating: true })
    .map((e) => `${e.operation.split('.').at(-1)} ${e.status}`);

describe('gcp.gke in flight and pre-checks', () => {
  it('setSize applied but its answer lost: the retry waits on the running resize, never resends', async () => {
    world = await startGcpWorld();
    const gke = world.gcp.clusterScaler();
    world.emulator.faults.add({
      fault: 'applied-then-500',
      service: 'gcp.container',
      operation: 'projects.locations.clusters.nodePools.setSize',
      times: 1,
    });
    expect((await gke.ensureSize(regionalPool, { desired: 6 }))._unsafeUnwrapErr().kind).toBe('unavailable');
    const again = unwrap(await gke.ensureSize(regionalPool, { desired: 6 }));
    expect(again).toMatchObject({ changed: true, handle: { operation: 'setSize' } });
    const pool = unwrap(await gke.waitForPool(again.handle!, wait));
    expect(pool).toMatchObject({ desired: 6, ready: 6, status: 'ready' });
    expect(gkeMutations(world)).toEqual(['setSize 503']);
    expect(world.emulator.requests.count({ operation: 'projects.locations.operations.list' })).toBe(1);
    // Settled: a further ensure is a plain no-op with no list of operations.
    expect(unwrap(await gke.ensureSize(regionalPool, { desired: 6 })).changed).toBe(false);
    expect(world.emulator.requests.count({ operation: 'projects.locations.operations.list' })).toBe(1);
  });

  it('precheckSize refuses what ensureSize refuses (bounds without autoscaler, zones, order), read-only', async () => {
    world = await startGcpWorld();
    const gke = world.gcp.clusterScaler();
    const observed = unwrap(await gke.describePool(regionalPool));
    const cases = [
      [regionalPool, { min: 1, max: 9 }], // no autoscaler on this pool
      [regionalPool, { desired: 7 }], // three zones: 7 is not possible
      [zonalPool, { min: 4, max: 2 }],
      [zonalPool, { desired: 9 }], // above the autoscaler's max of 5
    ] as const;
    for (const [ref, desired] of cases) {
      const pre = await gke.precheckSize!(ref, desired, observed);
      const ensured = await gke.ensureSize(ref, desired);
      expect(pre._unsafeUnwrapErr().kind, JSON.stringify(desired)).toBe('invalid-input');
      expect(ensured._unsafeUnwrapErr().kind).toBe(pre._unsafeUnwrapErr().kind);
    }
    expect(world.mutating()).toBe(0);
    // Moving only the bounds of an autoscaled pool is accepted by both.
    unwrap(await gke.precheckSize!(zonalPool, { min: 1, max: 8 }, unwrap(await gke.describePool(zonalPool))));
  });
});
