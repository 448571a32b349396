// A forced promotion of the Cloud SQL DR replica while the primary's region (us-east1) is dark:
// the primary is read for 30 s, not until the step's deadline, and is then an unreachable
// member beside the replica, which is promoted and waited on from us-central1 (issue 11).
import { writerRegion } from '@failover/core';
import { afterEach, expect, it } from 'vitest';
import { type GcpWorld, startGcpWorld } from './gcp-emulator-world.js';

let world: GcpWorld;
afterEach(() => world.stop());

for (const mode of ['drop', 'unavailable'] as const) {
  it(`promotes the DR replica with the primary's region dark (${mode}), reading the primary for 30 s only`, async () => {
    // No cap on tries: only time bounds the retries, as in production.
    world = await startGcpWorld({ settings: { retry: {} } });
    world.emulator.blackouts.add({ cloud: 'gcp', region: 'us-east1', mode });
    const db = world.gcp.databaseFailover();
    const clock = world.emulator.clock;
    const started = clock.now();
    const ensured = (
      await db.ensureWriter(
        { id: 'aegis-db-dr' },
        { region: 'us-central1', mode: 'forced' },
        { deadlineAt: started + 20 * 60_000 },
      )
    )._unsafeUnwrap();
    expect(clock.now() - started).toBeLessThanOrEqual(30_000);
    expect(ensured.before.members).toEqual([
      { id: 'aegis-db', region: '', role: 'writer', status: 'unavailable', rawStatus: 'unreachable' },
      expect.objectContaining({
        id: 'aegis-db-dr',
        region: 'us-central1',
        role: 'reader',
        status: 'available',
      }),
    ]);
    expect(
      world.emulator.requests.list({ mutating: true }).map((entry) => [entry.operation, entry.region]),
    ).toEqual([['instances.promoteReplica', 'us-central1']]);
    const topology = (await db.waitForWriter(ensured.handle!, { timeoutMs: 30 * 60_000 }))._unsafeUnwrap();
    expect(writerRegion(topology)).toBe('us-central1');
  });
}

// The test above reads the primary first while it is dark: its region stays unknown ('').
it('reports a dark primary in the region it was last read in, when this factory read it before', async () => {
  world = await startGcpWorld({ settings: { retry: {} } });
  const db = world.gcp.databaseFailover();
  (await db.describe({ id: 'aegis-db-dr' }))._unsafeUnwrap();
  world.emulator.blackouts.add({ cloud: 'gcp', region: 'us-east1', mode: 'unavailable' });
  const topology = (await db.describe({ id: 'aegis-db-dr' }))._unsafeUnwrap();
  expect(topology.members[0]).toEqual({
    id: 'aegis-db',
    region: 'us-east1',
    role: 'writer',
    status: 'unavailable',
    rawStatus: 'unreachable',
  });
});
