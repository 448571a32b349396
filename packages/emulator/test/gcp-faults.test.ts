import { sqladmin, type sqladmin_v1 } from '@googleapis/sqladmin';
import { OAuth2Client } from 'google-auth-library';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';

// Google error shapes, auth, malformed requests, and what the clients' own
// retry layer (gaxios) does with injected throttling: it retries GET on 429
// and 5xx (3 times, 100 ms then 500 ms then 1.5 s) and never retries POST.

const project = 'aegis-prod';
let emulator: Emulator;
let sql: sqladmin_v1.Sqladmin;
let opts: { rootUrl: string };
const backoffs: number[] = [];

beforeAll(async () => {
  emulator = await startEmulator({
    timeScale: 0,
    seed: {
      gcp: {
        projects: [
          {
            id: project,
            sqlInstances: [
              { name: 'aegis-db', region: 'us-central1', failoverDrReplicaName: 'aegis-db-dr' },
              { name: 'aegis-db-dr', region: 'us-east1', masterInstanceName: 'aegis-db' },
            ],
            managedZones: [{ name: 'aegis-zone', dnsName: 'aegis.io.' }],
            gkeClusters: [
              { name: 'c', location: 'us-central1', nodePools: [{ name: 'p', nodeCountPerZone: 1 }] },
            ],
          },
        ],
      },
    },
  });
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: 'test-token', expiry_date: Date.now() + 3_600_000 });
  sql = sqladmin({ version: 'v1', auth });
  opts = { rootUrl: `${emulator.endpoint('gcp.sqladmin')}/` };
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.faults.clear();
  emulator.requests.clear();
  backoffs.length = 0;
});

// gaxios sleeps for real between retries; this hook records the delay it chose and sleeps on the emulator clock instead.
const retryConfig = {
  retryBackoff: async (_error: unknown, delayMs: number) => {
    backoffs.push(delayMs);
    await emulator.clock.sleep(delayMs);
  },
};

describe('Google Cloud emulator faults', () => {
  it('gaxios retries a throttled GET with its backoff and succeeds', async () => {
    emulator.faults.add({ fault: 'throttle', operation: 'instances.get', times: 2 });
    const { data } = await sql.instances.get({ project, instance: 'aegis-db' }, { ...opts, retryConfig });
    expect(data.name).toBe('aegis-db');
    expect(backoffs).toEqual([100, 500]);
    expect(emulator.requests.list({ operation: 'instances.get' }).map((e) => e.status)).toEqual([
      429, 429, 200,
    ]);
  });

  it('gives up after three retries with the 429 RESOURCE_EXHAUSTED body', async () => {
    emulator.faults.add({ fault: 'throttle', operation: 'instances.get', times: 10, retryAfterSeconds: 2 });
    const error = await sql.instances
      .get({ project, instance: 'aegis-db' }, { ...opts, retryConfig })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      status: 429,
      response: {
        data: {
          error: {
            code: 429,
            status: 'RESOURCE_EXHAUSTED',
            errors: [{ domain: 'usageLimits', reason: 'rateLimitExceeded' }],
            details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '2s' }],
          },
        },
      },
    });
    expect(backoffs).toEqual([100, 500, 1500]);
    expect(emulator.requests.count({ operation: 'instances.get' })).toBe(4);
  });

  it('never retries a throttled POST, so the caller must (the adapter does)', async () => {
    emulator.faults.add({ fault: 'throttle', operation: 'instances.switchover', times: 1 });
    const error = await sql.instances
      .switchover({ project, instance: 'aegis-db-dr' }, { ...opts, retryConfig })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 429 });
    expect(backoffs).toEqual([]);
    expect(emulator.requests.count({ operation: 'instances.switchover', mutating: true })).toBe(1);
  });

  it('retries a 503 on GET and survives a dropped connection', async () => {
    emulator.faults.add({ fault: 'server-error', operation: 'instances.get', times: 1 });
    emulator.faults.add({ fault: 'drop', operation: 'instances.list', times: 1 });
    expect(
      (await sql.instances.get({ project, instance: 'aegis-db' }, { ...opts, retryConfig })).data.name,
    ).toBe('aegis-db');
    expect((await sql.instances.list({ project }, { ...opts, retryConfig })).data.items).toHaveLength(2);
    expect(emulator.requests.list().map((e) => e.fault ?? e.status)).toEqual([
      'server-error',
      200,
      'drop',
      200,
    ]);
  });

  it('every service wants a bearer token: 401 UNAUTHENTICATED in the Google shape', async () => {
    for (const path of [
      '/gcp/dns/dns/v1/projects/aegis-prod/managedZones/aegis-zone',
      '/gcp/sqladmin/v1/projects/aegis-prod/instances/aegis-db',
      '/gcp/container/v1/projects/aegis-prod/locations/us-central1/clusters/c/nodePools/p',
      '/gcp/compute/compute/v1/projects/aegis-prod/zones/us-central1-a/instanceGroupManagers/x',
    ]) {
      const response = await fetch(`${emulator.url}${path}`);
      expect(response.status, path).toBe(401);
      expect(await response.json()).toMatchObject({
        error: { code: 401, status: 'UNAUTHENTICATED', errors: [{ reason: 'required' }] },
      });
    }
  });

  it('malformed requests get 400/404/405 Google errors, never a 5xx', async () => {
    const bearer = { authorization: 'Bearer t', 'content-type': 'application/json' };
    const cases: Array<[string, string, string | undefined, number]> = [
      ['POST', '/gcp/dns/dns/v1/projects/aegis-prod/managedZones/aegis-zone/changes', '{', 400],
      ['POST', '/gcp/dns/dns/v1/projects/aegis-prod/managedZones/aegis-zone/changes', '[]', 400],
      [
        'POST',
        '/gcp/dns/dns/v1/projects/aegis-prod/managedZones/aegis-zone/changes',
        '{"additions":"x"}',
        400,
      ],
      [
        'GET',
        '/gcp/dns/dns/v1/projects/aegis-prod/managedZones/aegis-zone/rrsets?maxResults=-4',
        undefined,
        400,
      ],
      [
        'GET',
        '/gcp/dns/dns/v1/projects/aegis-prod/managedZones/aegis-zone/rrsets?pageToken=zz',
        undefined,
        400,
      ],
      ['GET', '/gcp/dns/dns/v1/projects/aegis-prod/managedZones/%E0%A4%A/rrsets', undefined, 400],
      ['DELETE', '/gcp/dns/dns/v1/projects/aegis-prod/managedZones/aegis-zone', undefined, 405],
      ['POST', '/gcp/sqladmin/v1/projects/aegis-prod/instances/aegis-db/failover', 'null', 400],
      [
        'POST',
        '/gcp/sqladmin/v1/projects/aegis-prod/instances/aegis-db/failover',
        '{"failoverContext":{"settingsVersion":"x"}}',
        400,
      ],
      [
        'POST',
        '/gcp/sqladmin/v1/projects/aegis-prod/instances/aegis-db-dr/switchover?dbTimeout=soon',
        '',
        400,
      ],
      [
        'POST',
        '/gcp/sqladmin/v1/projects/aegis-prod/instances/aegis-db-dr/promoteReplica?failover=maybe',
        '',
        400,
      ],
      ['GET', '/gcp/sqladmin/v1/projects/aegis-prod/widgets', undefined, 404],
      [
        'POST',
        '/gcp/container/v1/projects/aegis-prod/locations/us-central1/clusters/c/nodePools/p:setSize',
        '{"nodeCount":"many"}',
        400,
      ],
      [
        'POST',
        '/gcp/container/v1/projects/aegis-prod/locations/us-central1/clusters/c/nodePools/p:setSize',
        '',
        400,
      ],
      [
        'GET',
        '/gcp/container/v1/projects/aegis-prod/locations/us-central1/clusters/c/nodePools/p:setSize',
        undefined,
        405,
      ],
      ['GET', '/gcp/container/v1/projects/aegis-prod/locations/us-central1/operations/nope', undefined, 404],
    ];
    for (const [method, path, body, status] of cases) {
      const response = await fetch(`${emulator.url}${path}`, { method, headers: bearer, body });
      const json = (await response.json()) as { error?: { code: number; status: string; errors: unknown[] } };
      expect(response.status, `${method} ${path} ${body}`).toBe(status);
      expect(json.error?.code).toBe(status);
      expect(json.error?.errors).toHaveLength(1);
    }
    expect(emulator.requests.list().filter((e) => e.internalError)).toEqual([]);
  });
});
