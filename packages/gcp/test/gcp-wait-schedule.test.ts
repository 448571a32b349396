import { afterEach, describe, expect, it } from 'vitest';
import { type GcpWorld, regionalPool, startGcpWorld } from './gcp-emulator-world.js';
import { unwrap } from './unwrap.js';

// Waits start their poll schedule from each operation's usual length, so an
// operation of that length is seen done within a few polls (not one every 5 s).

let world: GcpWorld | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

describe('gcp waits and the expected duration', () => {
  it('a 180 s switchover and a 120 s resize are each seen done within 6 operation polls', async () => {
    world = await startGcpWorld({ durations: { 'gcp.sql.switchover': 180_000, 'gcp.gke.setSize': 120_000 } });
    const sql = world.gcp.databaseFailover();
    const switched = unwrap(
      await sql.ensureWriter({ id: 'aegis-db' }, { region: 'us-central1', mode: 'planned' }),
    );
    const started = world.emulator.clock.now();
    unwrap(await sql.waitForWriter(switched.handle!, { timeoutMs: 3_600_000 }));
    const sqlPolls = world.emulator.requests.count({ operation: 'operations.get' });
    expect(sqlPolls).toBeLessThanOrEqual(6);
    // Seen within seconds of its end (180 s plus the replica's 3 s of lag).
    expect(world.emulator.clock.now() - started).toBeLessThan(183_000 + 5_000);

    const gke = world.gcp.clusterScaler();
    const resized = unwrap(await gke.ensureSize(regionalPool, { desired: 6 }));
    unwrap(await gke.waitForPool(resized.handle!, { timeoutMs: 3_600_000 }));
    expect(
      world.emulator.requests.count({ operation: 'projects.locations.operations.get' }),
    ).toBeLessThanOrEqual(6);
  });

  it('a caller that sets only pollIntervalMs keeps interval polling', async () => {
    world = await startGcpWorld({ durations: { 'gcp.gke.setSize': 120_000 } });
    const gke = world.gcp.clusterScaler();
    const resized = unwrap(await gke.ensureSize(regionalPool, { desired: 6 }));
    unwrap(await gke.waitForPool(resized.handle!, { timeoutMs: 3_600_000, pollIntervalMs: 60_000 }));
    // The first two looks at the operation are the caller's 60 s apart.
    const polls = world.emulator.requests
      .list({ operation: 'projects.locations.operations.get' })
      .map((entry) => entry.at);
    expect(polls[1]! - polls[0]!).toBe(60_000);
  });
});
