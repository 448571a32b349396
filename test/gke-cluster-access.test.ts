import type { ApiCall } from '@failover/core';
import type { Emulator } from '@failover/emulator';
import { createGcp } from '@failover/gcp';
import { OAuth2Client } from 'google-auth-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countedTokenReads,
  readCheckoutWithToken,
  resourcesThrough,
  startClusterEmulator,
} from './support/cluster-access.js';

// @failover/kubernetes reaching a GKE cluster from its location and name alone, as in a runbook:
// clusters.get for endpoint and CA, the credentials' OAuth access token (no gcloud, no auth plugin).

let emulator: Emulator;

/** An OAuth2 client whose every token is new and lives an hour, as google-auth-library refreshes them. */
class MintingClient extends OAuth2Client {
  minted = 0;
  constructor() {
    super();
    // What the Container API requests carry; the cluster access asks getAccessToken.
    this.setCredentials({ access_token: 'ya29.api-not-a-secret', expiry_date: Date.now() + 3_600_000 });
  }
  override async getAccessToken() {
    this.minted += 1;
    const token = `ya29.minted-${this.minted}-not-a-secret`;
    this.setCredentials({ access_token: token, expiry_date: Date.now() + 3_600_000 });
    return { token };
  }
}

beforeAll(async () => {
  emulator = await startClusterEmulator(
    {
      gcp: {
        projects: [
          {
            id: 'aegis-prod',
            gkeClusters: [
              { name: 'aegis-dr', location: 'us-east1', nodePools: [{ name: 'pool', nodeCountPerZone: 1 }] },
            ],
          },
        ],
      },
    },
    { name: 'gke.us-east1.aegis-dr', region: 'us-east1', auth: 'gke' },
  );
});
afterAll(() => emulator.stop());

const gcp = (authClient: OAuth2Client = new MintingClient()) =>
  createGcp({
    project: 'aegis-prod',
    authClient,
    rootUrls: { container: emulator.endpoint('gcp.container') },
    time: emulator.clock,
    retry: { maxAttempts: 1 },
  });

describe('GKE cluster access', () => {
  it('reads endpoint and CA from clusters.get and scales with the OAuth access token', async () => {
    const access = gcp().clusterAccess({ location: 'us-east1', cluster: 'aegis-dr' });
    const endpoint = (await access.endpoint())._unsafeUnwrap();
    expect(endpoint.server).toBe(`${emulator.url}/kubernetes/gke.us-east1.aegis-dr`);
    expect(Buffer.from(endpoint.caData ?? '', 'base64').toString()).toMatch(/BEGIN CERTIFICATE/);

    const token = (await access.token())._unsafeUnwrap();
    expect(token.token).toMatch(/^ya29\./);
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

  it('a token that states no expiry is renewed within the hour Google tokens live', async () => {
    const fixed = new OAuth2Client();
    fixed.setCredentials({ access_token: 'ya29.fixed-not-a-secret', expiry_date: Number.MAX_SAFE_INTEGER });
    const token = (
      await gcp(fixed).clusterAccess({ location: 'us-east1', cluster: 'aegis-dr' }).token()
    )._unsafeUnwrap();
    expect(token.expiresAt - emulator.clock.now()).toBe(3_600_000);
  });

  it('renews the token before it expires', async () => {
    const { issued, read } = countedTokenReads(
      gcp().clusterAccess({ location: 'us-east1', cluster: 'aegis-dr' }),
      emulator.clock,
    );
    (await read())._unsafeUnwrap();
    (await read())._unsafeUnwrap();
    expect(issued).toHaveLength(1);
    emulator.clock.advance(2 * 3_600_000);
    (await read())._unsafeUnwrap();
    expect(issued).toEqual(['ya29.minted-1-not-a-secret', 'ya29.minted-2-not-a-secret']);
  });

  it('a token that is not a Google access token is refused with 401, mapped to unauthorized', async () => {
    const access = gcp().clusterAccess({ location: 'us-east1', cluster: 'aegis-dr' });
    const error = (await readCheckoutWithToken(access, 'forged', emulator.clock))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'unauthorized', retryable: false });
  });

  it('a missing cluster is not-found; the token never shows in errors or API-call events', async () => {
    const calls: ApiCall[] = [];
    const missing = (
      await gcp()
        .clusterAccess({ location: 'us-east1', cluster: 'gone' })
        .endpoint({ onApiCall: (call) => calls.push(call) })
    )._unsafeUnwrapErr();
    expect(missing.kind).toBe('not-found');

    const access = gcp().clusterAccess({ location: 'us-east1', cluster: 'aegis-dr' });
    const provider = resourcesThrough(access, emulator.clock);
    const error = (
      await provider.observeResource(
        { kind: 'Deployment', namespace: 'shop', name: 'gone' },
        { onApiCall: (call) => calls.push(call) },
      )
    )._unsafeUnwrapErr();
    expect(error.kind).toBe('not-found');
    expect(calls.map((call) => call.operation)).toContain('projects.locations.clusters.get');
    const seen = `${JSON.stringify(error)} ${error.message} ${String(error.stack)} ${JSON.stringify(error.cause)} ${JSON.stringify(calls)} ${JSON.stringify(missing)} ${String(missing.stack)}`;
    expect(seen).not.toContain('ya29.minted');
  });
});
