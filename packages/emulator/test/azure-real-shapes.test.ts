import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { armFetch, azureSeed, subscriptionId } from './azure-clients.js';

let emulator: Emulator;
afterEach(() => emulator.stop());

const rg = `/subscriptions/${subscriptionId}/resourceGroups`;
const aks = `${rg}/aegis-dr-rg/providers/Microsoft.ContainerService/managedClusters/tuned-aks/agentPools/tuned`;

async function start(): Promise<void> {
  const seed = azureSeed();
  seed.subscriptions![0]!.resourceGroups![1]!.managedClusters = [
    {
      name: 'tuned-aks',
      location: 'West US 2',
      agentPools: [{ name: 'tuned', count: 2, osDiskType: 'Ephemeral', enableFIPS: true, eTag: false }],
    },
  ];
  emulator = await startEmulator({ timeScale: 0, seed: { azure: seed } });
}

describe('the Azure emulator answers with the real services’ shapes', () => {
  it('AKS: a PUT must carry the creation-time settings back; a pool without eTag ignores If-Match; the PUT reads Updating', async () => {
    await start();
    const read = await armFetch(emulator.url, 'GET', aks, { apiVersion: '2026-04-01' });
    const properties = read.body.properties as Record<string, unknown>;
    expect(properties).toMatchObject({
      osDiskType: 'Ephemeral',
      enableFIPS: true,
      nodeImageVersion: expect.any(String),
    });
    expect(properties).not.toHaveProperty('eTag');

    // Left out, a creation-time setting takes the default: a change the service refuses.
    const bare = await armFetch(emulator.url, 'PUT', aks, {
      apiVersion: '2026-04-01',
      body: JSON.stringify({ properties: { count: 3, vmSize: properties.vmSize } }),
    });
    expect(bare.status).toBe(400);
    expect(bare.body.error?.code).toBe('PropertyChangeNotAllowed');

    const { provisioningState: _p, currentOrchestratorVersion: _c, ...writable } = properties;
    const response = await fetch(`${emulator.url}/azure${aks}?api-version=2026-04-01`, {
      method: 'PUT',
      headers: { authorization: 'Bearer t', 'content-type': 'application/json', 'if-match': 'stale' },
      body: JSON.stringify({ properties: { ...writable, count: 3 } }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('retry-after')).toBeNull();
    expect(
      ((await response.json()) as { properties: { provisioningState: string } }).properties.provisioningState,
    ).toBe('Updating');
  });

  it('SQL: replicationState is per server after a forced failover, and a planned failback fails while SUSPENDED', async () => {
    await start();
    const fog = (resourceGroup: string, server: string) =>
      `${rg}/${resourceGroup}/providers/Microsoft.Sql/servers/${server}/failoverGroups/aegis-fog`;
    const forced = await armFetch(
      emulator.url,
      'POST',
      `${fog('aegis-dr-rg', 'aegis-dr-sql')}/forceFailoverAllowDataLoss`,
    );
    expect(forced.status).toBe(202);
    expect(forced.headers.get('retry-after')).toBe('10');
    emulator.clock.advance(60_000);
    const state = async (resourceGroup: string, server: string) =>
      (
        (await armFetch(emulator.url, 'GET', fog(resourceGroup, server))).body.properties as {
          replicationState: string;
        }
      ).replicationState;
    expect(await state('aegis-dr-rg', 'aegis-dr-sql')).toBe('SUSPENDED');
    expect(await state('aegis-rg', 'aegis-sql')).toBe('CATCH_UP');

    const back = await armFetch(emulator.url, 'POST', `${fog('aegis-rg', 'aegis-sql')}/failover`);
    expect(back.status).toBe(202);
    emulator.clock.advance(60_000);
    const monitor = new URL(back.headers.get('azure-asyncoperation')!);
    const status = await armFetch(emulator.url, 'GET', monitor.pathname);
    expect(status.headers.get('retry-after')).toBeNull();
    expect(status.body).toMatchObject({ status: 'Failed', error: { code: 'FailoverGroupFailoverFailed' } });
  });

  it('Traffic Manager: a profile update carrying every endpoint swaps priorities at once; nulls for what an endpoint lacks', async () => {
    await start();
    const profile = `${rg}/aegis-rg/providers/Microsoft.Network/trafficmanagerprofiles/aegis-tm`;
    const read = await armFetch(emulator.url, 'GET', profile, { apiVersion: '2022-04-01' });
    type Endpoint = { name: string; type: string; properties: Record<string, unknown> };
    const endpoints = (read.body.properties as { endpoints: Endpoint[] }).endpoints;
    const swapped = endpoints.map((endpoint, index) => ({
      name: endpoint.name,
      type: endpoint.type,
      properties: { ...endpoint.properties, priority: endpoints.length - index },
    }));
    const updated = await armFetch(emulator.url, 'PATCH', profile, {
      apiVersion: '2022-04-01',
      body: JSON.stringify({ properties: { endpoints: swapped } }),
    });
    expect(updated.status).toBe(200);
    const after = (updated.body.properties as { endpoints: Endpoint[] }).endpoints;
    expect(after.map((endpoint) => endpoint.properties.priority)).toEqual([2, 1]);
    const clash = await armFetch(emulator.url, 'PATCH', profile, {
      apiVersion: '2022-04-01',
      body: JSON.stringify({
        properties: {
          endpoints: swapped.map((endpoint) => ({
            ...endpoint,
            properties: { ...endpoint.properties, priority: 1 },
          })),
        },
      }),
    });
    expect(clash.status).toBe(400);
    const weighted = await armFetch(
      emulator.url,
      'GET',
      `${rg}/aegis-rg/providers/Microsoft.Network/trafficmanagerprofiles/aegis-weighted`,
      {
        apiVersion: '2022-04-01',
      },
    );
    const external = weighted.body.properties as { endpoints: Endpoint[]; maxReturn: unknown };
    expect(external.maxReturn).toBeNull();
    expect(external.endpoints[0]!.properties).toMatchObject({
      targetResourceId: null,
      endpointLocation: null,
      minChildEndpoints: null,
    });
  });
});
