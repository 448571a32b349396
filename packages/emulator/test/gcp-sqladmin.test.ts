import { sqladmin, type sqladmin_v1 } from '@googleapis/sqladmin';
import { OAuth2Client } from 'google-auth-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';

// The real @googleapis/sqladmin client against the emulator: instances, the
// three ways to move a primary, and operations PENDING -> RUNNING -> DONE.

const project = 'aegis-prod';
let emulator: Emulator;
let sql: sqladmin_v1.Sqladmin;

let opts: { rootUrl: string };

// googleapis-common resolves a client-level rootUrl against the absolute API
// path, which drops a mount prefix such as /gcp/sqladmin; a per-call rootUrl
// is used as given, so the tests (and the adapter) pass it with every call.
function client(): sqladmin_v1.Sqladmin {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: 'test-token', expiry_date: Date.now() + 3_600_000 });
  return sqladmin({ version: 'v1', auth });
}

beforeEach(async () => {
  emulator = await startEmulator({
    timeScale: 0,
    seed: {
      gcp: {
        projects: [
          {
            id: project,
            sqlInstances: [
              {
                name: 'aegis-db',
                region: 'us-central1',
                secondaryGceZone: 'us-central1-b',
                settingsVersion: 7,
                failoverDrReplicaName: 'aegis-db-dr',
              },
              {
                name: 'aegis-db-dr',
                region: 'us-east1',
                masterInstanceName: 'aegis-db',
                replicationLagSeconds: 4,
              },
              { name: 'aegis-db-read', region: 'us-central1', masterInstanceName: 'aegis-db' },
              { name: 'lagging-db', region: 'europe-west1', failoverDrReplicaName: 'lagging-dr' },
              {
                name: 'lagging-dr',
                region: 'europe-west4',
                masterInstanceName: 'lagging-db',
                replicationLagSeconds: 900,
              },
              { name: 'down-db', region: 'asia-east1', state: 'SUSPENDED', failoverDrReplicaName: 'down-dr' },
              { name: 'down-dr', region: 'asia-northeast1', masterInstanceName: 'down-db' },
              // A pair whose GETs leave replicationCluster out, HA with a standby zone Google chose.
              {
                name: 'quiet-db',
                region: 'europe-west2',
                failoverDrReplicaName: 'quiet-dr',
                omitReplicationCluster: true,
              },
              { name: 'quiet-dr', region: 'europe-west3', masterInstanceName: 'quiet-db' },
            ],
          },
        ],
      },
    },
  });
  sql = client();
  opts = { rootUrl: `${emulator.endpoint('gcp.sqladmin')}/` };
});
afterEach(() => emulator.stop());

const get = async (instance: string) => (await sql.instances.get({ project, instance }, opts)).data;

/** Polls the operation the way a caller would, sleeping on the emulator clock; returns every status seen. */
async function untilDone(operation: string) {
  const seen: string[] = [];
  for (;;) {
    const { data } = await sql.operations.get({ project, operation }, opts);
    if (seen.at(-1) !== data.status) seen.push(data.status!);
    if (data.status === 'DONE') return { op: data, seen };
    await emulator.clock.sleep(5_000);
  }
}

describe('Cloud SQL Admin v1 emulator', () => {
  it('gets an instance with its replication fields, int64s as strings', async () => {
    const primary = await get('aegis-db');
    expect(primary).toMatchObject({
      kind: 'sql#instance',
      instanceType: 'CLOUD_SQL_INSTANCE',
      region: 'us-central1',
      gceZone: 'us-central1-a',
      secondaryGceZone: 'us-central1-b',
      replicaNames: ['aegis-db-dr', 'aegis-db-read'],
      replicationCluster: { failoverDrReplicaName: `${project}:aegis-db-dr` },
      settings: { settingsVersion: '7', availabilityType: 'REGIONAL', edition: 'ENTERPRISE_PLUS' },
    });
    expect(primary.replicationCluster?.drReplica).toBeUndefined();
    const dr = await get('aegis-db-dr');
    expect(dr).toMatchObject({
      instanceType: 'READ_REPLICA_INSTANCE',
      // Bare on a fresh replica.
      masterInstanceName: 'aegis-db',
      replicationCluster: { drReplica: true },
      settings: { availabilityType: 'ZONAL' },
    });
    expect(dr.secondaryGceZone).toBeUndefined();
  });

  it('can leave replicationCluster and a Google-chosen secondaryGceZone out; switchover still works', async () => {
    const primary = await get('quiet-db');
    expect(primary).toMatchObject({ replicaNames: ['quiet-dr'], settings: { availabilityType: 'REGIONAL' } });
    expect(primary.replicationCluster).toBeUndefined();
    expect(primary.secondaryGceZone).toBeUndefined();
    expect((await get('quiet-dr')).replicationCluster).toBeUndefined();
    const started = await sql.instances.switchover({ project, instance: 'quiet-dr' }, opts);
    const { op } = await untilDone(started.data.name!);
    expect(op.error).toBeUndefined();
    expect((await get('quiet-db')).masterInstanceName).toBe(`${project}:quiet-dr`);
  });

  it('lists instances with pagination and answers a missing instance with a Google 404', async () => {
    const first = await sql.instances.list({ project, maxResults: 3 }, opts);
    expect(first.data.items).toHaveLength(3);
    const rest = await sql.instances.list({ project, pageToken: first.data.nextPageToken! }, opts);
    expect([...first.data.items!, ...rest.data.items!].map((i) => i.name)).toHaveLength(9);
    expect(rest.data.nextPageToken).toBeUndefined();
    const empty = await sql.instances.list({ project: 'nobody' }, opts);
    expect(empty.data.items).toBeUndefined();

    const error = await get('nope').catch((e: unknown) => e);
    expect(error).toMatchObject({
      status: 404,
      response: {
        data: { error: { code: 404, status: 'NOT_FOUND', errors: [{ reason: 'instanceDoesNotExist' }] } },
      },
    });
  });

  it('HA failover needs the current settings version: stale is 412, current swaps zones when DONE', async () => {
    const stale = await sql.instances
      .failover(
        { project, instance: 'aegis-db', requestBody: { failoverContext: { settingsVersion: '6' } } },
        opts,
      )
      .catch((e: unknown) => e);
    expect(stale).toMatchObject({
      status: 412,
      response: { data: { error: { status: 'FAILED_PRECONDITION' } } },
    });

    const version = (await get('aegis-db')).settings!.settingsVersion!;
    const started = await sql.instances.failover(
      {
        project,
        instance: 'aegis-db',
        requestBody: { failoverContext: { kind: 'sql#failoverContext', settingsVersion: version } },
      },
      opts,
    );
    expect(started.data).toMatchObject({
      kind: 'sql#operation',
      operationType: 'FAILOVER',
      status: 'PENDING',
    });
    expect((await get('aegis-db')).gceZone).toBe('us-central1-a');
    const { op, seen } = await untilDone(started.data.name!);
    expect(seen).toEqual(['PENDING', 'RUNNING', 'DONE']);
    expect(op.error).toBeUndefined();
    expect(op.endTime).toBeDefined();
    expect(await get('aegis-db')).toMatchObject({
      gceZone: 'us-central1-b',
      secondaryGceZone: 'us-central1-a',
    });
  });

  it('rejects HA failover of a zonal replica and a body without a failover context', async () => {
    const replica = await sql.instances
      .failover(
        {
          project,
          instance: 'aegis-db-dr',
          requestBody: { failoverContext: { settingsVersion: '1' } },
        },
        opts,
      )
      .catch((e: unknown) => e);
    expect(replica).toMatchObject({ status: 400 });
    const missing = await sql.instances
      .failover({ project, instance: 'aegis-db', requestBody: {} }, opts)
      .catch((e: unknown) => e);
    expect(missing).toMatchObject({
      status: 400,
      response: { data: { error: { errors: [{ reason: 'required' }] } } },
    });
  });

  it('switchover swaps roles with the DR replica and blocks a concurrent operation with 409', async () => {
    const started = await sql.instances.switchover(
      { project, instance: 'aegis-db-dr', dbTimeout: '600s' },
      opts,
    );
    expect(started.data.operationType).toBe('SWITCHOVER');
    const concurrent = await sql.instances
      .promoteReplica({ project, instance: 'aegis-db-dr' }, opts)
      .catch((e: unknown) => e);
    expect(concurrent).toMatchObject({ status: 409 });
    const { op } = await untilDone(started.data.name!);
    expect(op.error).toBeUndefined();
    expect(await get('aegis-db-dr')).toMatchObject({
      instanceType: 'CLOUD_SQL_INSTANCE',
      replicaNames: ['aegis-db', 'aegis-db-read'],
      replicationCluster: { failoverDrReplicaName: `${project}:aegis-db` },
    });
    expect(await get('aegis-db')).toMatchObject({
      instanceType: 'READ_REPLICA_INSTANCE',
      masterInstanceName: `${project}:aegis-db-dr`,
      replicationCluster: { drReplica: true },
    });
    expect((await get('aegis-db-read')).masterInstanceName).toBe(`${project}:aegis-db-dr`);
  });

  it('a switchover the replica cannot catch up with ends DONE with an error and changes nothing', async () => {
    const started = await sql.instances.switchover(
      { project, instance: 'lagging-dr', dbTimeout: '300s' },
      opts,
    );
    const { op } = await untilDone(started.data.name!);
    expect(op.error?.errors?.[0]).toMatchObject({ kind: 'sql#operationError', code: 'SWITCHOVER_TIMEOUT' });
    expect((await get('lagging-dr')).instanceType).toBe('READ_REPLICA_INSTANCE');
  });

  it('switchover needs a reachable primary; promoteReplica with failover works without one', async () => {
    const refused = await sql.instances
      .switchover({ project, instance: 'down-dr' }, opts)
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({
      status: 409,
      response: { data: { error: { errors: [{ reason: 'invalidState' }] } } },
    });
    const started = await sql.instances.promoteReplica(
      { project, instance: 'down-dr', failover: true },
      opts,
    );
    expect(started.data.operationType).toBe('PROMOTE_REPLICA');
    await untilDone(started.data.name!);
    expect(await get('down-dr')).toMatchObject({
      instanceType: 'CLOUD_SQL_INSTANCE',
      replicaNames: ['down-db'],
    });
    expect(await get('down-db')).toMatchObject({
      masterInstanceName: `${project}:down-dr`,
      state: 'SUSPENDED',
    });
  });

  it('plain promoteReplica detaches the replica; failover=true is only for the DR replica', async () => {
    const wrong = await sql.instances
      .promoteReplica({ project, instance: 'aegis-db-read', failover: true }, opts)
      .catch((e: unknown) => e);
    expect(wrong).toMatchObject({ status: 400 });
    const started = await sql.instances.promoteReplica({ project, instance: 'aegis-db-read' }, opts);
    await untilDone(started.data.name!);
    const promoted = await get('aegis-db-read');
    expect(promoted.instanceType).toBe('CLOUD_SQL_INSTANCE');
    expect(promoted.masterInstanceName).toBeUndefined();
    expect((await get('aegis-db')).replicaNames).toEqual(['aegis-db-dr']);
  });

  it('patch bumps the settings version, so a failover with the version read before it is stale', async () => {
    const before = (await get('aegis-db')).settings!.settingsVersion!;
    const patched = await sql.instances.patch(
      {
        project,
        instance: 'aegis-db',
        requestBody: { settings: { tier: 'db-perf-optimized-N-4' } },
      },
      opts,
    );
    expect(patched.data.operationType).toBe('UPDATE');
    await untilDone(patched.data.name!);
    expect((await get('aegis-db')).settings).toMatchObject({
      settingsVersion: '8',
      tier: 'db-perf-optimized-N-4',
    });
    const stale = await sql.instances
      .failover(
        {
          project,
          instance: 'aegis-db',
          requestBody: { failoverContext: { settingsVersion: before } },
        },
        opts,
      )
      .catch((e: unknown) => e);
    expect(stale).toMatchObject({ status: 412 });
  });

  it('a stuck operation never finishes; listing by instance shows it', async () => {
    emulator.faults.add({ fault: 'stuck', operation: 'instances.switchover', times: 1 });
    const started = await sql.instances.switchover({ project, instance: 'aegis-db-dr' }, opts);
    await emulator.clock.sleep(24 * 3_600_000);
    const { data } = await sql.operations.get({ project, operation: started.data.name! }, opts);
    expect(data.status).toBe('RUNNING');
    const listed = await sql.operations.list({ project, instance: 'aegis-db-dr' }, opts);
    expect(listed.data.items?.map((op) => op.name)).toEqual([started.data.name]);
    expect((await get('aegis-db-dr')).instanceType).toBe('READ_REPLICA_INSTANCE');
  });

  it('an unknown operation is a 404 and v1beta4 paths answer the same', async () => {
    const missing = await sql.operations.get({ project, operation: 'nope' }, opts).catch((e: unknown) => e);
    expect(missing).toMatchObject({ status: 404 });
    const response = await fetch(
      `${emulator.endpoint('gcp.sqladmin')}/sql/v1beta4/projects/${project}/instances/aegis-db`,
      {
        headers: { authorization: 'Bearer t' },
      },
    );
    expect(((await response.json()) as { selfLink: string }).selfLink).toContain('/sql/v1beta4/');
  });
});
