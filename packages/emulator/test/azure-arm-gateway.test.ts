import { ContainerServiceClient } from '@azure/arm-containerservice';
import { SqlManagementClient } from '@azure/arm-sql';
import { TrafficManagerManagementClient } from '@azure/arm-trafficmanager';
import type { RestError } from '@azure/core-rest-pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import {
  armFetch,
  azureSeed,
  emulatorHttpClient,
  fakeCredential,
  fastRetries,
  subscriptionId,
} from './azure-clients.js';

let emulator: Emulator;
const fgPath = `/subscriptions/${subscriptionId}/resourceGroups/aegis-rg/providers/Microsoft.Sql/servers/aegis-sql/failoverGroups/aegis-fog`;
const endpointPath = `/subscriptions/${subscriptionId}/resourceGroups/aegis-rg/providers/Microsoft.Network/trafficmanagerprofiles/aegis-tm/ExternalEndpoints/secondary-endpoint`;
const poolPath = `/subscriptions/${subscriptionId}/resourceGroups/aegis-dr-rg/providers/Microsoft.ContainerService/managedClusters/aegis-dr-aks/agentPools/agentpool`;

beforeAll(async () => {
  emulator = await startEmulator({ timeScale: 0, seed: { azure: azureSeed() } });
});
afterAll(() => emulator.stop());

describe('the ARM gateway of the emulator', () => {
  it('requires a bearer token and answers 401 in the ARM error shape', async () => {
    const missing = await armFetch(emulator.url, 'GET', fgPath, { token: null });
    expect(missing.status).toBe(401);
    expect(missing.body.error?.code).toBe('AuthenticationFailed');
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer /);
  });

  it('requires a well-formed api-version', async () => {
    const missing = await armFetch(emulator.url, 'GET', fgPath, { apiVersion: null });
    expect(missing.status).toBe(400);
    expect(missing.body.error?.code).toBe('MissingApiVersionParameter');
    const bad = await armFetch(emulator.url, 'GET', fgPath, { apiVersion: 'latest' });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.code).toBe('InvalidApiVersionParameter');
  });

  it('answers unknown paths, methods and bad bodies with ARM errors, never a 500', async () => {
    const unknown = await armFetch(emulator.url, 'GET', '/subscriptions/x/whatever');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error?.code).toBeTruthy();
    const method = await armFetch(emulator.url, 'DELETE', fgPath);
    expect(method.status).toBe(405);
    expect(method.body.error?.code).toBe('MethodNotAllowed');

    for (const body of ['{', '[]', '42', '', '{"properties": 7}', '{"properties": {"weight": "heavy"}}']) {
      const response = await armFetch(emulator.url, 'PATCH', endpointPath, {
        body,
        apiVersion: '2022-04-01',
      });
      expect(response.status, body).toBe(400);
      expect(response.body.error?.code, body).toMatch(/InvalidRequestContent|BadRequest/);
    }
    for (const body of [
      '{',
      '{"properties": {"count": -1}}',
      '{"properties": {"enableAutoScaling": "yes"}}',
    ]) {
      const response = await armFetch(emulator.url, 'PUT', poolPath, { body, apiVersion: '2026-04-01' });
      expect(response.status, body).toBe(400);
    }
    const garbage = await armFetch(emulator.url, 'GET', '/subscriptions/%E0%A4%A/resourceGroups');
    expect(garbage.status).toBe(400);
    expect(emulator.requests.list().filter((entry) => entry.internalError)).toEqual([]);
  });

  it('points LROs back with https URLs on the management host, never absolute http', async () => {
    const started = await armFetch(
      emulator.url,
      'POST',
      `${fgPath.replace('aegis-rg', 'aegis-dr-rg').replace('aegis-sql', 'aegis-dr-sql')}/failover`,
    );
    expect(started.status).toBe(202);
    for (const header of ['azure-asyncoperation', 'location']) {
      expect(started.headers.get(header)).toMatch(/^https:\/\/management\.azure\.com\/subscriptions\//);
    }
    const relative = await startEmulator({
      timeScale: 0,
      seed: { azure: azureSeed({ lroUrls: 'relative' }) },
    });
    try {
      const response = await armFetch(relative.url, 'PUT', poolPath, {
        body: JSON.stringify({ properties: { count: 3, vmSize: 'Standard_DS2_v2', mode: 'User' } }),
        apiVersion: '2026-04-01',
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('azure-asyncoperation')).toMatch(
        /^\/subscriptions\/.+api-version=2016-03-30$/,
      );
    } finally {
      await relative.stop();
    }
  });

  it('throttles with 429 + Retry-After, which every SDK client retries', async () => {
    const httpClient = emulatorHttpClient(emulator.url);
    const options = { httpClient, retryOptions: fastRetries };
    const sql = new SqlManagementClient(fakeCredential, subscriptionId, options);
    const tm = new TrafficManagerManagementClient(fakeCredential, subscriptionId, options);
    const aks = new ContainerServiceClient(fakeCredential, subscriptionId, options);
    for (const operation of ['FailoverGroups_Get', 'Profiles_Get', 'AgentPools_Get']) {
      emulator.faults.add({ fault: 'throttle', operation, times: 2, retryAfterSeconds: 0 });
    }

    expect((await sql.failoverGroups.get('aegis-rg', 'aegis-sql', 'aegis-fog')).name).toBe('aegis-fog');
    expect((await tm.profiles.get('aegis-rg', 'aegis-tm')).name).toBe('aegis-tm');
    expect((await aks.agentPools.get('aegis-dr-rg', 'aegis-dr-aks', 'agentpool')).name).toBe('agentpool');
    const throttled = emulator.requests.list().filter((entry) => entry.fault === 'throttle');
    expect(throttled.map((entry) => entry.status)).toEqual([429, 429, 429, 429, 429, 429]);
    expect(throttled.map((entry) => entry.operation)).toEqual([
      'FailoverGroups_Get',
      'FailoverGroups_Get',
      'Profiles_Get',
      'Profiles_Get',
      'AgentPools_Get',
      'AgentPools_Get',
    ]);
  });

  it('surfaces a 429 with its Retry-After when the client gives up', async () => {
    const sql = new SqlManagementClient(fakeCredential, subscriptionId, {
      httpClient: emulatorHttpClient(emulator.url),
      retryOptions: { maxRetries: 0 },
    });
    emulator.faults.add({
      fault: 'throttle',
      operation: 'FailoverGroups_Get',
      times: 1,
      retryAfterSeconds: 7,
    });
    const error = (await sql.failoverGroups
      .get('aegis-rg', 'aegis-sql', 'aegis-fog')
      .catch((e) => e)) as RestError & {
      code?: string;
    };
    expect(error.statusCode).toBe(429);
    expect(error.code).toBe('SubscriptionRequestsThrottled');
    expect(error.response?.headers.get('retry-after')).toBe('7');
  });

  it('retries an injected 500 and logs reads and writes with their operations', async () => {
    const tm = new TrafficManagerManagementClient(fakeCredential, subscriptionId, {
      httpClient: emulatorHttpClient(emulator.url),
      retryOptions: fastRetries,
    });
    emulator.requests.clear();
    emulator.faults.add({ fault: 'server-error', operation: 'Endpoints_Update', times: 1 });
    await tm.endpoints.update('aegis-rg', 'aegis-tm', 'ExternalEndpoints', 'secondary-endpoint', {
      weight: 5,
    });
    await tm.profiles.get('aegis-rg', 'aegis-tm');
    expect(emulator.requests.list().map((entry) => [entry.operation, entry.mutating, entry.status])).toEqual([
      ['Endpoints_Update', true, 500],
      ['Endpoints_Update', true, 200],
      ['Profiles_Get', false, 200],
    ]);
  });
});
