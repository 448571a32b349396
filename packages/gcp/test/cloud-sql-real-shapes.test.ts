import { type DatabaseDesiredState, writerRegion } from '@failover/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type GcpWorld, project, runbookSeed, startGcpWorld } from './gcp-emulator-world.js';
import { unwrap } from './unwrap.js';

// Cloud SQL on the shapes the real service returns: replicationCluster and
// secondaryGceZone may be absent, masterInstanceName may be bare, and an answer
// may be lost after the operation started.

let world: GcpWorld | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

const db = { id: 'aegis-db' };
const wait = { timeoutMs: 3_600_000 };
const mutations = (w: GcpWorld) =>
  w.emulator.requests
    .list({ service: 'gcp.sqladmin', mutating: true })
    .map((e) => `${e.operation} ${e.status}`);
const get = async (w: GcpWorld, name: string) =>
  (await (
    await fetch(`${w.emulator.endpoint('gcp.sqladmin')}/v1/projects/${project}/instances/${name}`, {
      headers: { authorization: 'Bearer t' },
    })
  ).json()) as Record<string, unknown>;

/** The runbook world, with the primary's GETs leaving replicationCluster out. */
function quietSeed() {
  const seed = runbookSeed();
  seed.projects![0]!.sqlInstances![0]!.omitReplicationCluster = true;
  return seed;
}

describe('gcp.sql on the real shapes', () => {
  it('planned switchover goes ahead when the GET omits replicationCluster', async () => {
    world = await startGcpWorld({ seed: quietSeed() });
    expect((await get(world, 'aegis-db')).replicationCluster).toBeUndefined();
    const sql = world.gcp.databaseFailover();
    const desired: DatabaseDesiredState = { region: 'us-central1', mode: 'planned' };
    const observed = unwrap(await sql.describe(db));
    unwrap(await sql.precheckWriter!(db, desired, observed));
    const ensured = unwrap(await sql.ensureWriter(db, desired));
    expect(ensured.handle?.operation).toBe('instances.switchover');
    expect(writerRegion(unwrap(await sql.waitForWriter(ensured.handle!, wait)))).toBe('us-central1');
    expect(mutations(world)).toEqual(['instances.switchover 200']);
  });

  it("the service's refusal of a switchover is precondition-failed with its words", async () => {
    // No DR pairing at all, and the GET says nothing: the service decides, and refuses.
    const seed = runbookSeed();
    const primary = seed.projects![0]!.sqlInstances![0]!;
    delete primary.failoverDrReplicaName;
    world = await startGcpWorld({ seed });
    const sql = world.gcp.databaseFailover();
    const refused = (
      await sql.ensureWriter(db, { region: 'us-central1', mode: 'planned' })
    )._unsafeUnwrapErr();
    expect(refused).toMatchObject({ kind: 'precondition-failed', operation: 'instances.switchover' });
    expect(refused.message).toMatch(/designated DR replica/);
    expect(mutations(world)).toEqual(['instances.switchover 400']);
    expect(writerRegion(unwrap(await sql.describe(db)))).toBe('us-east1');
  });

  it('with several replicas in the region and no DR designation read, it asks for memberId', async () => {
    const seed = quietSeed();
    seed.projects![0]!.sqlInstances!.push({
      name: 'aegis-db-dr2',
      region: 'us-central1',
      masterInstanceName: 'aegis-db',
    });
    world = await startGcpWorld({ seed });
    const sql = world.gcp.databaseFailover();
    const desired: DatabaseDesiredState = { region: 'us-central1', mode: 'planned' };
    const pre = await sql.precheckWriter!(db, desired, unwrap(await sql.describe(db)));
    expect(pre._unsafeUnwrapErr()).toMatchObject({ kind: 'precondition-failed' });
    expect(pre._unsafeUnwrapErr().message).toMatch(/memberId/);
    const refused = await sql.ensureWriter(db, desired);
    expect(refused._unsafeUnwrapErr().kind).toBe(pre._unsafeUnwrapErr().kind);
    expect(world.mutating()).toBe(0);
    const named = unwrap(await sql.ensureWriter(db, { ...desired, memberId: 'aegis-db-dr' }));
    unwrap(await sql.waitForWriter(named.handle!, wait));
    expect(mutations(world)).toEqual(['instances.switchover 200']);
  });

  it('a bare masterInstanceName on a fresh replica still leads describe to the primary', async () => {
    world = await startGcpWorld();
    expect((await get(world, 'aegis-db-dr')).masterInstanceName).toBe('aegis-db');
    const topology = unwrap(await world.gcp.databaseFailover().describe({ id: 'aegis-db-dr' }));
    expect(topology.members.find((m) => m.role === 'writer')?.id).toBe('aegis-db');
  });

  it('HA failover without secondaryGceZone in the GET is sent; the service picks the standby', async () => {
    world = await startGcpWorld();
    expect((await get(world, 'aegis-db')).secondaryGceZone).toBeUndefined();
    const sql = world.gcp.databaseFailover();
    // The core's desired zone alone means an in-region HA failover: never a silent no-op.
    const desired: DatabaseDesiredState = { region: 'us-east1', mode: 'planned', zone: 'us-east1-b' };
    const before = unwrap(await sql.describe(db));
    expect(before.members[0]).toMatchObject({ role: 'writer', zone: 'us-east1-a' });
    const ensured = unwrap(await sql.ensureWriter(db, desired));
    expect(ensured).toMatchObject({ changed: true, handle: { operation: 'instances.failover' } });
    const after = unwrap(await sql.waitForWriter(ensured.handle!, wait));
    expect(after.members[0]).toMatchObject({ role: 'writer', zone: 'us-east1-b' });
    expect(unwrap(await sql.ensureWriter(db, desired)).changed).toBe(false);
    expect(mutations(world)).toEqual(['instances.failover 200']);
  });

  it('an HA failover that lands in another zone than asked fails the wait instead of spinning', async () => {
    world = await startGcpWorld();
    const sql = world.gcp.databaseFailover();
    const ensured = unwrap(
      await sql.ensureWriter(db, { region: 'us-east1', mode: 'planned', zone: 'us-east1-c' }),
    );
    const failed = (await sql.waitForWriter(ensured.handle!, wait))._unsafeUnwrapErr();
    expect(failed).toMatchObject({ kind: 'precondition-failed', operation: 'instances.failover' });
    expect(failed.message).toMatch(/us-east1-b, not us-east1-c/);
  });

  it('a secondaryGceZone the service did send still refuses another zone before any call', async () => {
    const seed = runbookSeed();
    seed.projects![0]!.sqlInstances![0]!.secondaryGceZone = 'us-east1-b';
    world = await startGcpWorld({ seed });
    const sql = world.gcp.databaseFailover();
    const desired: DatabaseDesiredState = { region: 'us-east1', mode: 'planned', zone: 'us-east1-c' };
    const pre = await sql.precheckWriter!(db, desired, unwrap(await sql.describe(db)));
    expect(pre._unsafeUnwrapErr().kind).toBe('precondition-failed');
    expect((await sql.ensureWriter(db, desired))._unsafeUnwrapErr().kind).toBe('precondition-failed');
    expect(world.mutating()).toBe(0);
  });

  for (const [operation, desired] of [
    ['instances.switchover', { region: 'us-central1', mode: 'planned' }],
    ['instances.promoteReplica', { region: 'us-central1', mode: 'forced' }],
    ['instances.failover', { region: 'us-east1', mode: 'planned', zone: 'us-east1-b' }],
  ] as const) {
    it(`${operation} applied but its answer lost: the retry waits on the running operation`, async () => {
      world = await startGcpWorld();
      const sql = world.gcp.databaseFailover();
      world.emulator.faults.add({ fault: 'applied-then-500', service: 'gcp.sqladmin', operation, times: 1 });
      const lost = (await sql.ensureWriter(db, desired))._unsafeUnwrapErr();
      expect(lost.kind).toBe('unavailable');
      const again = unwrap(await sql.ensureWriter(db, desired));
      expect(again).toMatchObject({ changed: true, handle: { operation } });
      const after = unwrap(await sql.waitForWriter(again.handle!, wait));
      expect(writerRegion(after)).toBe(desired.region);
      // Sent once, never again (a resend would have been a 409).
      expect(mutations(world)).toEqual([`${operation} 503`]);
      expect(world.emulator.requests.count({ operation: 'operations.list' })).toBeGreaterThan(0);
    });
  }
});
