import { writerRegion } from '@failover/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type ReplayServer, startReplayServer } from './gcp-replay-server.js';
import { replayGcp } from './replay-gcp.js';

// gcp.sql against recorded answers in the shapes of the Cloud SQL Admin v1
// reference (instances.get, operations.list, instances.switchover, operations.get):
// a primary whose GET has no replicationCluster, a fresh replica with a bare
// masterInstanceName. Asserts the requests the adapter sends and what it reads.

const project = 'aegis-prod';
const instance = (fields: Record<string, unknown>) => ({
  kind: 'sql#instance',
  project,
  backendType: 'SECOND_GEN',
  databaseVersion: 'POSTGRES_15',
  state: 'RUNNABLE',
  settings: {
    kind: 'sql#settings',
    settingsVersion: '4',
    tier: 'db-perf-optimized-N-2',
    availabilityType: 'ZONAL',
  },
  ...fields,
});
const operation = (status: string) => ({
  kind: 'sql#operation',
  name: 'a1b2c3d4-0000-4000-8000-000000000001',
  operationType: 'SWITCHOVER',
  status,
  targetId: 'aegis-db-dr',
  targetProject: project,
  insertTime: '2026-12-06T10:00:00.000Z',
});

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe('gcp.sql replayed', () => {
  it('a planned switchover with replicationCluster absent: reads, looks for a running operation, switches, waits', async () => {
    server = await startReplayServer('/sqladmin', [
      {
        method: 'GET',
        path: `/v1/projects/${project}/instances/aegis-db`,
        response: instance({
          name: 'aegis-db',
          region: 'us-central1',
          gceZone: 'us-central1-a',
          instanceType: 'CLOUD_SQL_INSTANCE',
          replicaNames: ['aegis-db-dr'],
        }),
      },
      {
        method: 'GET',
        path: `/v1/projects/${project}/instances/aegis-db-dr`,
        response: instance({
          name: 'aegis-db-dr',
          region: 'us-east1',
          gceZone: 'us-east1-b',
          instanceType: 'READ_REPLICA_INSTANCE',
          masterInstanceName: 'aegis-db',
        }),
      },
      {
        method: 'GET',
        path: `/v1/projects/${project}/operations?instance=aegis-db-dr&maxResults=20`,
        response: { kind: 'sql#operationsList' },
      },
      {
        method: 'POST',
        path: `/v1/projects/${project}/instances/aegis-db-dr/switchover?dbTimeout=300s`,
        response: operation('PENDING'),
      },
      {
        method: 'GET',
        path: `/v1/projects/${project}/operations/a1b2c3d4-0000-4000-8000-000000000001`,
        response: { ...operation('DONE'), endTime: '2026-12-06T10:03:00.000Z' },
      },
      {
        method: 'GET',
        path: `/v1/projects/${project}/instances/aegis-db-dr`,
        response: instance({
          name: 'aegis-db-dr',
          region: 'us-east1',
          gceZone: 'us-east1-b',
          instanceType: 'CLOUD_SQL_INSTANCE',
          replicaNames: ['aegis-db'],
          replicationCluster: { failoverDrReplicaName: `${project}:aegis-db` },
        }),
      },
      {
        method: 'GET',
        path: `/v1/projects/${project}/instances/aegis-db`,
        response: instance({
          name: 'aegis-db',
          region: 'us-central1',
          gceZone: 'us-central1-a',
          instanceType: 'READ_REPLICA_INSTANCE',
          masterInstanceName: `${project}:aegis-db-dr`,
          replicationCluster: { drReplica: true },
        }),
      },
    ]);
    const sql = replayGcp(project, { sqladmin: `${server.url}/` }).databaseFailover();

    const ensured = await sql.ensureWriter(
      { id: 'aegis-db' },
      { region: 'us-east1', mode: 'planned', providerOptions: { 'gcp.sql': { dbTimeoutSeconds: 300 } } },
    );
    const result = ensured._unsafeUnwrap();
    expect(result.before.members).toEqual([
      {
        id: 'aegis-db',
        region: 'us-central1',
        zone: 'us-central1-a',
        role: 'writer',
        status: 'available',
        rawStatus: 'RUNNABLE',
      },
      {
        id: 'aegis-db-dr',
        region: 'us-east1',
        zone: 'us-east1-b',
        role: 'reader',
        status: 'available',
        rawStatus: 'RUNNABLE',
      },
    ]);
    expect(result.handle).toMatchObject({
      operation: 'instances.switchover',
      id: 'a1b2c3d4-0000-4000-8000-000000000001',
    });
    const after = (await sql.waitForWriter(result.handle!, { timeoutMs: 600_000 }))._unsafeUnwrap();
    expect(writerRegion(after)).toBe('us-east1');
    expect(after.members.map((m) => [m.id, m.role])).toEqual([
      ['aegis-db-dr', 'writer'],
      ['aegis-db', 'reader'],
    ]);

    expect(server.unmatched).toEqual([]);
    expect(server.unused()).toEqual([]);
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /v1/projects/${project}/instances/aegis-db`,
      `GET /v1/projects/${project}/instances/aegis-db-dr`,
      `GET /v1/projects/${project}/operations?instance=aegis-db-dr&maxResults=20`,
      `POST /v1/projects/${project}/instances/aegis-db-dr/switchover?dbTimeout=300s`,
      `GET /v1/projects/${project}/operations/a1b2c3d4-0000-4000-8000-000000000001`,
      `GET /v1/projects/${project}/instances/aegis-db-dr`,
      `GET /v1/projects/${project}/instances/aegis-db`,
    ]);
    expect(server.requests[3]!.body).toBeUndefined();
  });

  it('an HA failover sends the settings version it read, with no secondaryGceZone in the GET', async () => {
    server = await startReplayServer('/sqladmin', [
      {
        method: 'GET',
        path: `/v1/projects/${project}/instances/aegis-db`,
        response: instance({
          name: 'aegis-db',
          region: 'us-central1',
          gceZone: 'us-central1-a',
          instanceType: 'CLOUD_SQL_INSTANCE',
          settings: { kind: 'sql#settings', settingsVersion: '9', availabilityType: 'REGIONAL' },
        }),
      },
      {
        method: 'GET',
        path: `/v1/projects/${project}/operations?instance=aegis-db&maxResults=20`,
        response: {
          kind: 'sql#operationsList',
          items: [{ ...operation('DONE'), operationType: 'UPDATE', targetId: 'aegis-db' }],
        },
      },
      {
        method: 'POST',
        path: `/v1/projects/${project}/instances/aegis-db/failover`,
        body: { failoverContext: { kind: 'sql#failoverContext', settingsVersion: '9' } },
        response: { ...operation('PENDING'), operationType: 'FAILOVER', targetId: 'aegis-db' },
      },
    ]);
    const sql = replayGcp(project, { sqladmin: `${server.url}/` }).databaseFailover();
    const ensured = (
      await sql.ensureWriter(
        { id: 'aegis-db' },
        { region: 'us-central1', mode: 'planned', zone: 'us-central1-f' },
      )
    )._unsafeUnwrap();
    expect(ensured.handle).toMatchObject({
      operation: 'instances.failover',
      detail: { zone: 'us-central1-f' },
    });
    expect(server.unmatched).toEqual([]);
    expect(server.unused()).toEqual([]);
  });
});
