import { TrafficManagerManagementClient } from '@azure/arm-trafficmanager';
import type { RestError } from '@azure/core-rest-pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { armFetch, azureSeed, emulatorHttpClient, fakeCredential, subscriptionId } from './azure-clients.js';

let emulator: Emulator;
let tm: TrafficManagerManagementClient;

beforeAll(async () => {
  emulator = await startEmulator({
    timeScale: 0,
    seed: { azure: azureSeed() },
    durations: { 'azure.trafficmanager.probe': 30_000 },
  });
  tm = new TrafficManagerManagementClient(fakeCredential, subscriptionId, {
    httpClient: emulatorHttpClient(emulator.url),
  });
});
afterAll(() => emulator.stop());

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: RestError & { code?: string }) => error,
  );

describe('Traffic Manager through @azure/arm-trafficmanager', () => {
  it('reads a profile with its routing, TTL, monitor and endpoints', async () => {
    const profile = await tm.profiles.get('aegis-rg', 'aegis-tm');
    expect(profile.trafficRoutingMethod).toBe('Priority');
    expect(profile.dnsConfig).toMatchObject({ ttl: 30, fqdn: 'aegis-tm.trafficmanager.net' });
    expect(profile.monitorConfig).toMatchObject({
      profileMonitorStatus: 'Online',
      path: '/health',
      protocol: 'HTTPS',
    });
    expect(
      profile.endpoints?.map((endpoint) => [
        endpoint.name,
        endpoint.priority,
        endpoint.endpointMonitorStatus,
      ]),
    ).toEqual([
      ['primary-endpoint', 1, 'Online'],
      ['secondary-endpoint', 2, 'Online'],
    ]);
    expect(profile.endpoints?.[0]?.type).toBe('Microsoft.Network/trafficManagerProfiles/azureEndpoints');
    const weighted = await tm.profiles.get('aegis-rg', 'aegis-weighted');
    expect(weighted.endpoints?.find((endpoint) => endpoint.name === 'west')?.endpointMonitorStatus).toBe(
      'Degraded',
    );
  });

  it('disables an endpoint with a partial PATCH, and re-enabling it probes it again', async () => {
    const disabled = await tm.endpoints.update('aegis-rg', 'aegis-tm', 'AzureEndpoints', 'primary-endpoint', {
      endpointStatus: 'Disabled',
    });
    expect(disabled).toMatchObject({
      endpointStatus: 'Disabled',
      endpointMonitorStatus: 'Disabled',
      priority: 1,
    });
    expect(disabled.target).toBe('app-east.example.com');

    const enabled = await tm.endpoints.update(
      'aegis-rg',
      'aegis-tm',
      'azureEndpoints' as 'AzureEndpoints',
      'primary-endpoint',
      {
        endpointStatus: 'Enabled',
      },
    );
    expect(enabled.endpointMonitorStatus).toBe('CheckingEndpoint');
    emulator.clock.advance(30_000);
    const probed = await tm.endpoints.get('aegis-rg', 'aegis-tm', 'AzureEndpoints', 'primary-endpoint');
    expect(probed.endpointMonitorStatus).toBe('Online');
    expect(emulator.requests.list({ operation: 'Endpoints_Update' }).every((entry) => entry.mutating)).toBe(
      true,
    );
  });

  it('shifts weights and rejects weights outside 1-1000', async () => {
    await tm.endpoints.update('aegis-rg', 'aegis-weighted', 'ExternalEndpoints', 'east', { weight: 50 });
    await tm.endpoints.update('aegis-rg', 'aegis-weighted', 'ExternalEndpoints', 'west', { weight: 50 });
    const profile = await tm.profiles.get('aegis-rg', 'aegis-weighted');
    expect(profile.endpoints?.map((endpoint) => endpoint.weight)).toEqual([50, 50]);

    const zero = await rejection(
      tm.endpoints.update('aegis-rg', 'aegis-weighted', 'ExternalEndpoints', 'east', { weight: 0 }),
    );
    expect(zero.statusCode).toBe(400);
    expect(zero.code).toBe('BadRequest');
  });

  it('keeps priorities unique, replaces with PUT and creates endpoints', async () => {
    const clash = await rejection(
      tm.endpoints.update('aegis-rg', 'aegis-tm', 'ExternalEndpoints', 'secondary-endpoint', { priority: 1 }),
    );
    expect(clash.statusCode).toBe(400);
    expect(clash.message).toContain('unique');

    const replaced = await tm.endpoints.createOrUpdate(
      'aegis-rg',
      'aegis-tm',
      'ExternalEndpoints',
      'secondary-endpoint',
      {
        target: 'app-west-2.example.com',
        endpointStatus: 'Enabled',
        priority: 3,
        endpointLocation: 'West US',
      },
    );
    expect(replaced).toMatchObject({ target: 'app-west-2.example.com', priority: 3, weight: 1 });

    const created = await tm.endpoints.createOrUpdate(
      'aegis-rg',
      'aegis-tm',
      'ExternalEndpoints',
      'tertiary',
      {
        target: 'app-central.example.com',
        priority: 5,
      },
    );
    expect(created).toMatchObject({ name: 'tertiary', endpointMonitorStatus: 'CheckingEndpoint' });
    const missingTarget = await rejection(
      tm.endpoints.createOrUpdate('aegis-rg', 'aegis-tm', 'ExternalEndpoints', 'empty', { priority: 9 }),
    );
    expect(missingTarget.statusCode).toBe(400);
  });

  it('changes the TTL with a profile PATCH and validates it', async () => {
    const updated = await tm.profiles.update('aegis-rg', 'aegis-tm', { dnsConfig: { ttl: 10 } });
    expect(updated.dnsConfig?.ttl).toBe(10);
    expect(updated.endpoints?.length).toBeGreaterThan(1);
    const negative = await rejection(tm.profiles.update('aegis-rg', 'aegis-tm', { dnsConfig: { ttl: -1 } }));
    expect(negative.statusCode).toBe(400);
    expect((await tm.profiles.get('aegis-rg', 'aegis-tm')).dnsConfig?.ttl).toBe(10);
  });

  it('answers unknown profiles, endpoints and endpoint types with ARM errors', async () => {
    const profile = await rejection(tm.profiles.get('aegis-rg', 'nope'));
    expect(profile.statusCode).toBe(404);
    expect(profile.code).toBe('ResourceNotFound');
    const endpoint = await rejection(
      tm.endpoints.get('aegis-rg', 'aegis-tm', 'ExternalEndpoints', 'primary-endpoint'),
    );
    expect(endpoint.statusCode).toBe(404);
    // The SDK validates the endpoint type itself, so this one goes raw.
    const type = await armFetch(
      emulator.url,
      'GET',
      `/subscriptions/${subscriptionId}/resourceGroups/aegis-rg/providers/Microsoft.Network/trafficmanagerprofiles/aegis-tm/FancyEndpoints/x`,
      { apiVersion: '2022-04-01' },
    );
    expect(type.status).toBe(400);
    expect(type.body.error?.code).toBe('BadRequest');
  });
});
