import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createAzure, createEmulatorHttpClient } from '../../src/index.js';
import { fakeCredential } from '../azure-emulator.js';
import { type ArmReplayServer, type ReplayRoute, startArmReplayServer } from './arm-replay-server.js';

interface Example {
  parameters: Record<string, unknown> & { parameters?: { properties?: Record<string, unknown> } };
  responses: Record<string, { body?: unknown; headers?: Record<string, string> }>;
}
const examples = JSON.parse(
  readFileSync(new URL('./azure-spec-examples.json', import.meta.url), 'utf8'),
) as Record<string, Example>;
const answer = (operation: string, status: string) => examples[operation]!.responses[status]!;

const tmProfile =
  '/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Network/trafficmanagerprofiles/{p}';
const fog =
  '/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Sql/servers/{server}/failoverGroups/{g}';
const pool =
  '/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.ContainerService/managedClusters/{c}/agentPools/{p}';

let replay: ArmReplayServer | undefined;
afterEach(() => replay?.stop());

/** The Azure adapters pointed at the replay server, with the examples' subscription. */
async function replayed(routes: ReplayRoute[], subscriptionId: string) {
  replay = await startArmReplayServer(routes);
  return createAzure({
    subscriptionId,
    credential: fakeCredential,
    httpClient: createEmulatorHttpClient(replay.url, { mount: '' }),
    retryOptions: { maxRetries: 0 },
  });
}

describe('replay of the published x-ms-examples', () => {
  it('Traffic Manager: reads Profile-GET-WithTrafficViewDisabled and sends Endpoint-PATCH-External-Target', async () => {
    const get = answer('Profiles_Get', '200');
    const patch = answer('Endpoints_Update', '200');
    const azure = await replayed(
      [
        { method: 'GET', path: tmProfile, status: 200, body: get.body },
        { method: 'PATCH', path: `${tmProfile}/{type}/{endpoint}`, status: 200, body: patch.body },
      ],
      'sub-tm',
    );
    const dns = azure.dnsProvider();
    const ref = {
      zone: 'azuresdkfornetautoresttrafficmanager1323',
      name: 'azuresdkfornetautoresttrafficmanager3880',
    };
    const observed = (await dns.getRecordSet(ref))._unsafeUnwrap();
    expect(observed).toEqual({
      name: 'azuresdkfornetautoresttrafficmanager3880',
      type: 'CNAME',
      ttl: 35,
      routing: 'geo', // Performance
      targets: [
        {
          id: 'My external endpoint',
          values: ['foobar.contoso.com'],
          weight: 1,
          priority: 1,
          enabled: true,
          health: 'unknown', // CheckingEndpoint
          location: 'North Europe',
        },
      ],
    });
    const wanted = examples.Endpoints_Update!.parameters.parameters!.properties!.target as string;
    const ensured = await dns.ensureRecordSet(ref, {
      ...observed,
      targets: [{ ...observed.targets[0]!, values: [wanted] }],
    });
    expect(ensured._unsafeUnwrap().changed).toBe(true);
    expect(
      replay!.requests.map(({ method, path, apiVersion, body }) => ({ method, path, apiVersion, body })),
    ).toEqual([
      {
        method: 'GET',
        path: '/subscriptions/sub-tm/resourceGroups/azuresdkfornetautoresttrafficmanager1323/providers/Microsoft.Network/trafficmanagerprofiles/azuresdkfornetautoresttrafficmanager3880',
        apiVersion: '2022-04-01',
        body: undefined,
      },
      {
        method: 'GET',
        path: '/subscriptions/sub-tm/resourceGroups/azuresdkfornetautoresttrafficmanager1323/providers/Microsoft.Network/trafficmanagerprofiles/azuresdkfornetautoresttrafficmanager3880',
        apiVersion: '2022-04-01',
        body: undefined,
      },
      {
        method: 'PATCH',
        path: '/subscriptions/sub-tm/resourceGroups/azuresdkfornetautoresttrafficmanager1323/providers/Microsoft.Network/trafficmanagerprofiles/azuresdkfornetautoresttrafficmanager3880/ExternalEndpoints/My external endpoint',
        apiVersion: '2022-04-01',
        // The example's request properties, and nothing else.
        body: { properties: examples.Endpoints_Update!.parameters.parameters!.properties },
      },
    ]);
  });

  it('SQL failover group: reads FailoverGroupGet and sends FailoverGroupTryPlannedBeforeForcedFailover, following its Location', async () => {
    const get = answer('FailoverGroups_Get', '200');
    const tried = examples.FailoverGroups_TryPlannedBeforeForcedFailover!;
    const azure = await replayed(
      [
        { method: 'GET', path: fog, status: 200, body: get.body },
        {
          method: 'POST',
          path: `${fog}/tryPlannedBeforeForcedFailover`,
          status: 202,
          headers: {
            location: `https://management.azure.com${tried.responses['202']!.headers!.Location}?api-version=2023-02-01-preview`,
          },
        },
        {
          method: 'GET',
          path: '/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Sql/locations/{l}/failoverGroupOperationResults/{id}',
          status: 200,
          body: tried.responses['200']!.body,
        },
      ],
      '00000000-1111-2222-3333-444444444444',
    );
    const sql = azure.databaseFailover({ tryPlannedApiVersion: '2023-02-01-preview' });
    const ref = { id: 'Default/failover-group-primary-server/failover-group-test' };
    const topology = (await sql.describe(ref))._unsafeUnwrap();
    expect(
      topology.members.map(({ region, role, status, rawStatus }) => ({ region, role, status, rawStatus })),
    ).toEqual([
      { region: 'japaneast', role: 'writer', status: 'available', rawStatus: 'CATCH_UP' },
      { region: 'japanwest', role: 'reader', status: 'available', rawStatus: 'CATCH_UP' },
    ]);
    const ensured = (
      await sql.ensureWriter(ref, {
        region: 'Japan West',
        mode: 'forced',
        providerOptions: { 'azure.sql': { tryPlannedBeforeForced: true } },
      })
    )._unsafeUnwrap();
    expect(ensured.handle!.detail).toMatchObject({
      server: 'failover-group-secondary-server',
      targetRegion: 'japanwest',
    });
    const post = replay!.requests.find((request) => request.method === 'POST')!;
    expect(post).toEqual({
      method: 'POST',
      path: '/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/Default/providers/Microsoft.Sql/servers/failover-group-secondary-server/failoverGroups/failover-group-test/tryPlannedBeforeForcedFailover',
      apiVersion: '2023-02-01-preview',
      body: undefined,
    });
    // Every read before it went to the group, on the ref's server and its partner (per-server state).
    expect(
      replay!.requests
        .filter((request) => request.method === 'GET')
        .map((request) => request.path.split('/')[8]),
    ).toEqual([
      'failover-group-primary-server',
      'failover-group-secondary-server',
      'failover-group-primary-server',
      'failover-group-secondary-server',
    ]);
    const after = (await sql.waitForWriter(ensured.handle!, { timeoutMs: 60_000 }))._unsafeUnwrap();
    expect(after.members.find((member) => member.role === 'writer')!.region).toBe('japanwest');
    expect(replay!.requests.at(-1)!.path).toContain('/locations/japanwest/failoverGroupOperationResults/');
  });

  it('AKS: reads AgentPoolsGet and PUTs it back with the new count, guarded by its eTag', async () => {
    const get = answer('AgentPools_Get', '200');
    const put = answer('AgentPools_CreateOrUpdate', '200');
    const azure = await replayed(
      [
        { method: 'GET', path: pool, status: 200, body: get.body },
        { method: 'PUT', path: pool, status: 200, body: put.body },
      ],
      '00000000-0000-0000-0000-000000000000',
    );
    const aks = azure.clusterScaler();
    const ref = { cluster: 'rg1/clustername1', pool: 'agentpool1' };
    expect((await aks.describePool(ref))._unsafeUnwrap()).toMatchObject({
      desired: 3,
      min: 0,
      max: 1000,
      ready: 3,
      autoscaling: false,
      status: 'ready',
    });
    const ensured = (await aks.ensureSize(ref, { desired: 5 }))._unsafeUnwrap();
    expect(ensured.changed).toBe(true);
    const sent = replay!.requests.find((request) => request.method === 'PUT')!;
    expect(sent.path).toBe(
      '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.ContainerService/managedClusters/clustername1/agentPools/agentpool1',
    );
    expect(sent.apiVersion).toBe('2026-04-01');
    expect(sent.ifMatch).toBe('ebwiyfneowv');
    // The example pool as read, with the new count; read-only fields left out.
    expect(sent.body).toEqual({
      properties: {
        count: 5,
        maxPods: 110,
        nodeImageVersion: 'AKSUbuntu:1604:2020.03.11',
        orchestratorVersion: '1.9.6',
        osType: 'Linux',
        upgradeSettings: { maxSurge: '33%' },
        vmSize: 'Standard_DS1_v2',
      },
    });
  });
});
