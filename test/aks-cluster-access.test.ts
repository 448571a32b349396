import {
  type AzureSettings,
  aksServerScope,
  createAzure,
  createEmulatorHttpClient,
  readAksKubeconfig,
} from '@failover/azure';
import type { ApiCall } from '@failover/core';
import type { Emulator } from '@failover/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countedTokenReads,
  readCheckoutWithToken,
  resourcesThrough,
  startClusterEmulator,
} from './support/cluster-access.js';

// @failover/kubernetes reaching an AKS cluster from its name alone, as in a runbook:
// listClusterUserCredentials for server and CA (the kubeconfig's kubelogin exec is not run),
// an Entra ID token for the AKS server application from the factory's credential.

let emulator: Emulator;
const subscriptionId = '00000000-0000-0000-0000-0000000000aa';
const scopesAsked: string[] = [];
let minted = 0;

/** A credential that mints a JWT for the audience of the scope, valid an hour on the emulator's clock. */
const credential: NonNullable<AzureSettings['credential']> = {
  getToken: async (scopes: string | string[]) => {
    const scope = Array.isArray(scopes) ? scopes[0] : scopes;
    scopesAsked.push(String(scope));
    minted += 1;
    const aud = String(scope).replace(/\/\.default$/, '');
    const exp = Math.floor(emulator.clock.now() / 1000) + 3600;
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    return {
      token: `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ aud, exp, n: minted })}.c2lnbmF0dXJl`,
      expiresOnTimestamp: Date.now() + 3_600_000,
    };
  },
};

beforeAll(async () => {
  emulator = await startClusterEmulator(
    {
      azure: {
        subscriptions: [
          {
            id: subscriptionId,
            resourceGroups: [
              {
                name: 'aegis-dr-rg',
                managedClusters: [
                  { name: 'aegis-dr-aks', location: 'West US 2', agentPools: [{ name: 'pool', count: 3 }] },
                ],
              },
            ],
          },
        ],
      },
    },
    { name: 'aks.aegis-dr-aks', region: 'westus2', auth: 'aks' },
  );
});
afterAll(() => emulator.stop());

const azure = () =>
  createAzure({
    subscriptionId,
    resourceGroup: 'aegis-dr-rg',
    credential,
    httpClient: createEmulatorHttpClient(emulator.url),
    time: emulator.clock,
    retryOptions: { maxRetries: 0 },
    retry: { maxAttempts: 1 },
  });

describe('AKS cluster access', () => {
  it('reads server and CA from listClusterUserCredentials and scales with an AKS-audience token', async () => {
    const access = azure().clusterAccess({ cluster: 'aegis-dr-aks' });
    const calls: ApiCall[] = [];
    const writesBefore = emulator.requests.count({ mutating: true });
    const endpoint = (await access.endpoint({ onApiCall: (call) => calls.push(call) }))._unsafeUnwrap();
    expect(endpoint.server).toBe(`${emulator.url}/kubernetes/aks.aegis-dr-aks`);
    // A POST that only reads: a dry-run may send it, and neither side counts it as a write.
    expect(calls).toEqual([
      { provider: 'azure.aks', operation: 'ManagedClusters_ListClusterUserCredentials', mutating: false },
    ]);
    expect(emulator.requests.count({ mutating: true })).toBe(writesBefore);
    expect(Buffer.from(endpoint.caData ?? '', 'base64').toString()).toMatch(/BEGIN CERTIFICATE/);

    const token = (await access.token())._unsafeUnwrap();
    expect(scopesAsked.at(-1)).toBe(aksServerScope);
    const claims = JSON.parse(Buffer.from(token.token.split('.')[1] ?? '', 'base64url').toString());
    expect(claims.aud).toBe('6dae42f8-4368-4678-94ff-3960e28e3630');
    // The credential's wall-clock expiry, moved onto the emulator's clock (an hour, give or take the test's run).
    expect(token.expiresAt - emulator.clock.now()).toBeGreaterThan(3_590_000);
    expect(token.expiresAt - emulator.clock.now()).toBeLessThanOrEqual(3_600_000);

    const provider = resourcesThrough(access, emulator.clock);
    const ensured = (
      await provider.ensureResource(
        { kind: 'Deployment', namespace: 'shop', name: 'checkout' },
        { replicas: 2 },
      )
    )._unsafeUnwrap();
    expect(ensured.changed).toBe(true);
  });

  it('reads the kubeconfig AKS writes, quoted or not, and ignores its exec user', () => {
    const yaml = [
      'clusters:',
      '- cluster:',
      '    certificate-authority-data: "Q0E="',
      "    server: 'https://aks-dns.hcp.westus2.azmk8s.io:443'",
      '  name: aks',
      'users:',
      '- name: u',
      '  user:',
      '    exec:',
      '      command: kubelogin',
    ].join('\n');
    expect(readAksKubeconfig(yaml)).toEqual({
      server: 'https://aks-dns.hcp.westus2.azmk8s.io:443',
      caData: 'Q0E=',
    });
  });

  it('renews the token before it expires: an expired AAD token would be refused', async () => {
    const { issued, read } = countedTokenReads(
      azure().clusterAccess({ cluster: 'aegis-dr-aks' }),
      emulator.clock,
    );
    (await read())._unsafeUnwrap();
    (await read())._unsafeUnwrap();
    expect(issued).toHaveLength(1);
    emulator.clock.advance(2 * 3_600_000);
    (await read())._unsafeUnwrap();
    expect(issued).toHaveLength(2);
    expect(issued[1]).not.toBe(issued[0]);
  });

  it('a token for another audience is refused with 401, mapped to unauthorized', async () => {
    const access = azure().clusterAccess({ cluster: 'aegis-dr-aks' });
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const error = (
      await readCheckoutWithToken(
        access,
        `${part({ alg: 'none' })}.${part({ aud: 'https://management.azure.com', exp: 4e9 })}.x`,
        emulator.clock,
      )
    )._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'unauthorized', retryable: false });
  });

  it('without a resource group, says so as invalid input and sends nothing', async () => {
    const before = emulator.requests.count({});
    const noGroup = createAzure({
      subscriptionId,
      credential,
      httpClient: createEmulatorHttpClient(emulator.url),
      time: emulator.clock,
    });
    const error = (await noGroup.clusterAccess({ cluster: 'aegis-dr-aks' }).endpoint())._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'invalid-input', retryable: false, path: 'resourceGroup' });
    expect(error.message).toContain('pass `resourceGroup`');
    expect(emulator.requests.count({})).toBe(before);
  });

  it('a missing cluster is not-found; the token never shows in errors or API-call events', async () => {
    const missing = (await azure().clusterAccess({ cluster: 'gone' }).endpoint())._unsafeUnwrapErr();
    expect(missing.kind).toBe('not-found');

    const access = azure().clusterAccess({ cluster: 'aegis-dr-aks' });
    const token = (await access.token())._unsafeUnwrap().token;
    const calls: ApiCall[] = [];
    const provider = resourcesThrough(access, emulator.clock);
    const error = (
      await provider.observeResource(
        { kind: 'Deployment', namespace: 'shop', name: 'gone' },
        { onApiCall: (call) => calls.push(call) },
      )
    )._unsafeUnwrapErr();
    expect(error.kind).toBe('not-found');
    const seen = `${JSON.stringify(error)} ${error.message} ${String(error.stack)} ${JSON.stringify(error.cause)} ${JSON.stringify(calls)} ${JSON.stringify(missing)}`;
    expect(seen).not.toContain(token.split('.')[1]);
  });
});
