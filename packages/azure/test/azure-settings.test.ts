import type { TokenCredential } from '@azure/core-auth';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAzure, createEmulatorHttpClient } from '../src/index.js';
import { type AzureWorld, startAzureWorld, subscriptionId } from './azure-emulator.js';

let world: AzureWorld;
beforeAll(async () => {
  world = await startAzureWorld();
});
afterAll(() => world.stop());

it('creates nothing until the first call, then asks for tokens of the configured cloud', async () => {
  const scopes: string[] = [];
  const credential: TokenCredential = {
    getToken: async (scope) => {
      scopes.push(...(Array.isArray(scope) ? scope : [scope]));
      return { token: 'gov-token', expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
  const endpoint = 'https://management.usgovcloudapi.net';
  const azure = createAzure({
    subscriptionId,
    credential,
    endpoint,
    httpClient: createEmulatorHttpClient(world.emulator.url, { from: endpoint }),
    time: world.emulator.clock,
  });
  const dns = azure.dnsProvider();
  const sql = azure.databaseFailover();
  const aks = azure.clusterScaler();
  expect(scopes).toEqual([]);
  expect(world.emulator.requests.count()).toBe(0);

  expect((await dns.getRecordSet({ zone: 'aegis-rg', name: 'aegis-tm' })).isOk()).toBe(true);
  expect((await sql.describe({ id: 'aegis-rg/aegis-sql/aegis-fog' })).isOk()).toBe(true);
  expect((await aks.describePool({ cluster: 'aegis-dr-rg/aegis-dr-aks', pool: 'agentpool' })).isOk()).toBe(
    true,
  );
  expect(new Set(scopes)).toEqual(new Set([`${endpoint}/.default`]));
});

it('maps a rejected token to unauthorized', async () => {
  const azure = createAzure({
    subscriptionId,
    credential: {
      getToken: async () => {
        throw Object.assign(new Error('No credential in this environment.'), {
          name: 'CredentialUnavailableError',
        });
      },
    },
    httpClient: createEmulatorHttpClient(world.emulator.url),
  });
  const error = (
    await azure.dnsProvider().getRecordSet({ zone: 'aegis-rg', name: 'aegis-tm' })
  )._unsafeUnwrapErr();
  expect(error).toMatchObject({
    kind: 'unauthorized',
    provider: 'azure.trafficmanager',
    operation: 'getRecordSet',
  });
});
