import { type DatabaseDesiredState, writerRegion } from '@failover/core';
import { OAuth2Client } from 'google-auth-library';
import { afterEach, describe, expect, it } from 'vitest';
import { type GcpWorld, project, runbookSeed, startGcpWorld } from './gcp-emulator-world.js';
import { unwrap } from './unwrap.js';

// Cloud SQL through the adapter: switchover (planned) vs promoteReplica (forced)
// vs HA failover (settings-version precondition), waited on through operations.

let world: GcpWorld | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

const db = { id: 'aegis-db' };
const wait = { timeoutMs: 3_600_000 };
const instance = async (w: GcpWorld, name: string) =>
  (
    await fetch(`${w.emulator.endpoint('gcp.sqladmin')}/v1/projects/${project}/instances/${name}`, {
      headers: { authorization: 'Bearer t' },
    })
  ).json() as Promise<Record<string, unknown> & { settings: { settingsVersion: string } }>;
const mutations = (w: GcpWorld) =>
  w.emulator.requests
    .list({ service: 'gcp.sqladmin', mutating: true })
    .map((e) => `${e.operation} ${e.status}`);
const haFailover = (zone: string): DatabaseDesiredState => ({
  region: 'us-east1',
  mode: 'planned',
  providerOptions: { 'gcp.sql': { strategy: 'ha-failover', zone } },
});

describe('gcp.sql', () => {
  it('describes the primary and its replicas, from any member', async () => {
    world = await startGcpWorld();
    const sql = world.gcp.databaseFailover();
    const topology = unwrap(await sql.describe(db));
    expect(topology).toEqual({
      id: 'aegis-db',
      failoverInProgress: false,
      rawStatus: 'RUNNABLE',
      members: [
        {
          id: 'aegis-db',
          region: 'us-east1',
          zone: 'us-east1-a',
          role: 'writer',
          status: 'available',
          rawStatus: 'RUNNABLE',
        },
        {
          id: 'aegis-db-dr',
          region: 'us-central1',
          zone: 'us-central1-a',
          role: 'reader',
          status: 'available',
          rawStatus: 'RUNNABLE',
        },
        {
          id: 'aegis-db-read',
          region: 'us-west1',
          zone: 'us-west1-a',
          role: 'reader',
          status: 'available',
          rawStatus: 'RUNNABLE',
        },
      ],
    });
    expect(unwrap(await sql.describe({ id: `${project}:aegis-db-dr` })).members).toEqual(topology.members);
    expect(world.mutating()).toBe(0);
  });

  it('planned = switchover to the DR replica: the old primary becomes its replica', async () => {
    world = await startGcpWorld();
    const sql = world.gcp.databaseFailover();
    const ensured = unwrap(await sql.ensureWriter(db, { region: 'us-central1', mode: 'planned' }));
    expect(ensured.handle).toMatchObject({ provider: 'gcp.sql', operation: 'instances.switchover' });
    const after = unwrap(await sql.waitForWriter(ensured.handle!, wait));
    expect(writerRegion(after)).toBe('us-central1');
    expect(mutations(world)).toEqual(['instances.switchover 200']);
    expect(await instance(world, 'aegis-db')).toMatchObject({ masterInstanceName: `${project}:aegis-db-dr` });
    // The same ref still names the database: it is now a replica, so describe follows it to the new primary.
    expect(writerRegion(unwrap(await sql.describe(db)))).toBe('us-central1');
    expect(unwrap(await sql.ensureWriter(db, { region: 'us-central1', mode: 'planned' })).changed).toBe(
      false,
    );
  });

  it('forced = promoteReplica with failover semantics for the DR replica', async () => {
    world = await startGcpWorld();
    const sql = world.gcp.databaseFailover();
    const ensured = unwrap(await sql.ensureWriter(db, { region: 'us-central1', mode: 'forced' }));
    expect(ensured.handle?.operation).toBe('instances.promoteReplica');
    unwrap(await sql.waitForWriter(ensured.handle!, wait));
    expect(mutations(world)).toEqual(['instances.promoteReplica 200']);
    expect(await instance(world, 'aegis-db')).toMatchObject({ instanceType: 'READ_REPLICA_INSTANCE' });
  });

  it('forced to a region with a plain replica promotes it to an independent primary', async () => {
    world = await startGcpWorld();
    const sql = world.gcp.databaseFailover();
    const ensured = unwrap(await sql.ensureWriter(db, { region: 'us-west1', mode: 'forced' }));
    const after = unwrap(await sql.waitForWriter(ensured.handle!, wait));
    expect(after.members.map((m) => [m.id, m.role])).toEqual([['aegis-db-read', 'writer']]);
    // The old primary keeps running on its own: the link is gone, as on Cloud SQL.
    expect(writerRegion(unwrap(await sql.describe(db)))).toBe('us-east1');
  });

  it('planned needs the DR replica and a reachable primary: precondition-failed, no mutation', async () => {
    const seed = runbookSeed();
    world = await startGcpWorld({ seed });
    const sql = world.gcp.databaseFailover();
    const notDr = await sql.ensureWriter(db, { region: 'us-west1', mode: 'planned' });
    expect(notDr._unsafeUnwrapErr()).toMatchObject({
      kind: 'precondition-failed',
      operation: 'instances.switchover',
    });
    await world.stop();

    const down = runbookSeed();
    down.projects![0]!.sqlInstances![0]!.state = 'SUSPENDED';
    world = await startGcpWorld({ seed: down });
    const sql2 = world.gcp.databaseFailover();
    const planned = await sql2.ensureWriter(db, { region: 'us-central1', mode: 'planned' });
    expect(planned._unsafeUnwrapErr().message).toMatch(/use mode forced/);
    expect(world.mutating()).toBe(0);
    const forced = unwrap(await sql2.ensureWriter(db, { region: 'us-central1', mode: 'forced' }));
    expect(writerRegion(unwrap(await sql2.waitForWriter(forced.handle!, wait)))).toBe('us-central1');
  });

  it('HA failover reads the settings version first and moves the primary to its standby zone', async () => {
    world = await startGcpWorld();
    const sql = world.gcp.databaseFailover();
    world.emulator.requests.clear();
    const ensured = unwrap(await sql.ensureWriter(db, haFailover('us-east1-b')));
    expect(ensured.handle?.operation).toBe('instances.failover');
    const order = world.emulator.requests.list().map((e) => e.operation);
    expect(order.indexOf('instances.get')).toBeLessThan(order.indexOf('instances.failover'));
    unwrap(await sql.waitForWriter(ensured.handle!, wait));
    // Google chose the standby zone, so the GET names none: the adapter asked the service anyway.
    const after = await instance(world, 'aegis-db');
    expect(after).toMatchObject({ gceZone: 'us-east1-b' });
    expect(after.secondaryGceZone).toBeUndefined();
    expect(unwrap(await sql.ensureWriter(db, haFailover('us-east1-b'))).changed).toBe(false);
    expect(mutations(world)).toEqual(['instances.failover 200']);
  });

  it('HA failover whose settings version went stale is rejected (412), re-read and sent again', async () => {
    let raced = false;
    class RacingAuth extends OAuth2Client {
      override async request<T>(options: Parameters<OAuth2Client['request']>[0]) {
        if (!raced && String(options.url).endsWith('/failover')) {
          raced = true;
          // Someone changes the instance's settings between our read and the failover.
          await fetch(
            `${world!.emulator.endpoint('gcp.sqladmin')}/v1/projects/${project}/instances/aegis-db`,
            {
              method: 'PATCH',
              headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
              body: JSON.stringify({ settings: { tier: 'db-perf-optimized-N-4' } }),
            },
          );
          await world!.emulator.clock.sleep(60_000);
        }
        return super.request<T>(options);
      }
    }
    world = await startGcpWorld({ auth: new RacingAuth() });
    const sql = world.gcp.databaseFailover();
    const ensured = unwrap(await sql.ensureWriter(db, haFailover('us-east1-b')));
    expect(mutations(world)).toEqual([
      'instances.patch 200',
      'instances.failover 412',
      'instances.failover 200',
    ]);
    unwrap(await sql.waitForWriter(ensured.handle!, wait));
    expect(await instance(world, 'aegis-db')).toMatchObject({
      gceZone: 'us-east1-b',
      settings: { settingsVersion: '8' },
    });
  });

  it('an operation that ends DONE with an error is a typed failure; nothing moved', async () => {
    const seed = runbookSeed();
    seed.projects![0]!.sqlInstances![1]!.replicationLagSeconds = 900;
    world = await startGcpWorld({ seed });
    const sql = world.gcp.databaseFailover();
    const ensured = unwrap(
      await sql.ensureWriter(db, {
        region: 'us-central1',
        mode: 'planned',
        providerOptions: { 'gcp.sql': { dbTimeoutSeconds: 300 } },
      }),
    );
    const failed = await sql.waitForWriter(ensured.handle!, wait);
    expect(failed._unsafeUnwrapErr()).toMatchObject({
      kind: 'precondition-failed',
      provider: 'gcp.sql',
      operation: 'instances.switchover',
      retryable: false,
    });
    expect(failed._unsafeUnwrapErr().message).toContain('SWITCHOVER_TIMEOUT');
    expect(writerRegion(unwrap(await sql.describe(db)))).toBe('us-east1');
  });

  it('invalid step options are invalid-input before any call', async () => {
    world = await startGcpWorld();
    const sql = world.gcp.databaseFailover();
    const cases: DatabaseDesiredState[] = [
      { region: 'us-central1', mode: 'planned', providerOptions: { 'gcp.sql': { strategy: 'teleport' } } },
      { region: 'us-east1', mode: 'planned', providerOptions: { 'gcp.sql': { strategy: 'ha-failover' } } },
      {
        region: 'us-east1',
        mode: 'planned',
        providerOptions: { 'gcp.sql': { strategy: 'ha-failover', zone: 'b' } },
      },
      { region: 'us-central1', mode: 'planned', providerOptions: { 'gcp.sql': { dbTimeoutSeconds: -1 } } },
      { region: 'US East', mode: 'planned' },
    ];
    world.emulator.requests.clear();
    for (const desired of cases) {
      expect((await sql.ensureWriter(db, desired))._unsafeUnwrapErr().kind, JSON.stringify(desired)).toBe(
        'invalid-input',
      );
    }
    expect(world.emulator.requests.count()).toBe(0);
    // HA failover never leaves the region: asking for another one is refused after the read.
    const elsewhere = await sql.ensureWriter(db, {
      region: 'us-central1',
      mode: 'planned',
      providerOptions: { 'gcp.sql': { strategy: 'ha-failover', zone: 'us-central1-b' } },
    });
    expect(elsewhere._unsafeUnwrapErr().kind).toBe('invalid-input');
    expect((await sql.describe({ id: 'Not An Instance!' }))._unsafeUnwrapErr().kind).toBe('invalid-input');
    expect(world.mutating()).toBe(0);
  });
});
