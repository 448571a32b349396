import { OAuth2Client } from 'google-auth-library';
import { afterEach, describe, expect, it } from 'vitest';
import { createGcp } from '../src/index.js';
import { type GcpWorld, startGcpWorld } from './gcp-emulator-world.js';

// The factory: lazy credentials and project, request timeouts, and handles
// that are not this provider's.

let world: GcpWorld | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

describe('createGcp', () => {
  it('does nothing until a method is called', () => {
    class ExplodingAuth extends OAuth2Client {
      override request(): never {
        throw new Error('no request should be sent');
      }
    }
    const gcp = createGcp({ authClient: new ExplodingAuth() });
    expect(gcp.dnsProvider().provider).toBe('gcp.dns');
    expect(gcp.databaseFailover().capabilities).toEqual({
      modes: ['planned', 'forced'],
      replicationLag: false,
    });
    expect(gcp.clusterScaler().capabilities).toEqual({ bounds: true, autoscaledPools: true });
  });

  it('without a project anywhere, a call is invalid-input naming the setting', async () => {
    const auth = new OAuth2Client();
    auth.setCredentials({ access_token: 't', expiry_date: Date.now() + 3_600_000 });
    const gcp = createGcp({ authClient: auth });
    const result = await gcp.databaseFailover().describe({ id: 'aegis-db' });
    expect(result._unsafeUnwrapErr()).toMatchObject({
      kind: 'invalid-input',
      provider: 'gcp.sql',
      path: 'project',
    });
  });

  it('a request slower than requestTimeoutMs is a retryable unavailable error', async () => {
    world = await startGcpWorld({ settings: { requestTimeoutMs: 50 } });
    world.emulator.faults.add({ fault: 'slow', operation: 'instances.get', times: 1, delayMs: 500 });
    const result = await world.gcp.databaseFailover().describe({ id: 'aegis-db' });
    expect(result._unsafeUnwrapErr()).toMatchObject({ kind: 'unavailable', retryable: true });
  });

  it('a dropped connection is a retryable unavailable error', async () => {
    world = await startGcpWorld();
    world.emulator.faults.add({ fault: 'drop', operation: 'resourceRecordSets.get', times: 1 });
    const result = await world.gcp
      .dnsProvider()
      .getRecordSet({ zone: 'aegis-zone', name: 'api.aegis.io.', type: 'CNAME' });
    expect(result._unsafeUnwrapErr()).toMatchObject({ kind: 'unavailable', retryable: true });
  });

  it('refuses handles issued by another provider', async () => {
    world = await startGcpWorld();
    const foreign = {
      provider: 'aws.route53',
      operation: 'ChangeResourceRecordSets',
      startedAt: 0,
      id: 'C1',
    };
    const wait = { timeoutMs: 1_000 };
    expect((await world.gcp.dnsProvider().waitForChange(foreign, wait))._unsafeUnwrapErr().kind).toBe(
      'invalid-input',
    );
    expect((await world.gcp.databaseFailover().waitForWriter(foreign, wait))._unsafeUnwrapErr().kind).toBe(
      'invalid-input',
    );
    expect((await world.gcp.clusterScaler().waitForPool(foreign, wait))._unsafeUnwrapErr().kind).toBe(
      'invalid-input',
    );
    expect(world.emulator.requests.count()).toBe(0);
  });
});
