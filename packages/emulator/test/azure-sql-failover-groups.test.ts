import { SqlManagementClient } from '@azure/arm-sql';
import { createPipelineRequest, type RestError } from '@azure/core-rest-pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { armFetch, azureSeed, emulatorHttpClient, fakeCredential, subscriptionId } from './azure-clients.js';

let emulator: Emulator;
let sql: SqlManagementClient;
let httpClient: ReturnType<typeof emulatorHttpClient>;

beforeAll(async () => {
  emulator = await startEmulator({
    timeScale: 0,
    seed: { azure: azureSeed() },
    durations: {
      'azure.sql.failover': 50_000,
      'azure.sql.forcedFailover': 20_000,
      'azure.sql.reseed': 120_000,
    },
  });
  httpClient = emulatorHttpClient(emulator.url);
  sql = new SqlManagementClient(fakeCredential, subscriptionId, { httpClient });
});
afterAll(() => emulator.stop());

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: RestError & { code?: string }) => error,
  );

describe('SQL failover groups through @azure/arm-sql', () => {
  it('shows each member server its own copy of the group, with mirrored roles', async () => {
    const east = await sql.failoverGroups.get('aegis-rg', 'aegis-sql', 'aegis-fog');
    const west = await sql.failoverGroups.get('AEGIS-DR-RG', 'Aegis-DR-Sql', 'AEGIS-FOG');
    expect(east.replicationRole).toBe('Primary');
    expect(east.location).toBe('East US');
    expect(east.replicationState).toBe('CATCH_UP');
    expect(east.partnerServers).toEqual([
      expect.objectContaining({ location: 'West US', replicationRole: 'Secondary' }),
    ]);
    expect(west.replicationRole).toBe('Secondary');
    expect(west.id).toMatch(/\/servers\/aegis-dr-sql\/failoverGroups\/aegis-fog$/);
    expect(west.databases).toHaveLength(2);
    expect(west.readWriteEndpoint).toEqual({
      failoverPolicy: 'Automatic',
      failoverWithDataLossGracePeriodMinutes: 60,
    });

    const listed = [];
    for await (const group of sql.failoverGroups.listByServer('aegis-dr-rg', 'aegis-dr-sql'))
      listed.push(group.name);
    expect(listed).toEqual(['aegis-fog']);
    expect((await sql.servers.get('aegis-dr-rg', 'aegis-dr-sql')).location).toBe('West US');
    expect(httpClient.sent.at(-2)?.url).toContain('api-version=2020-11-01-preview');
  });

  it('runs a planned failover as an LRO and swaps the roles when it completes', async () => {
    const poller = await sql.failoverGroups.beginFailover('aegis-dr-rg', 'aegis-dr-sql', 'aegis-fog');
    const state = poller.getOperationState() as unknown as { config: Record<string, string> };
    expect(state.config.operationLocation).toMatch(
      /^https:\/\/management\.azure\.com\/subscriptions\/.+\/providers\/Microsoft\.Sql\/locations\/westus\/failoverGroupAzureAsyncOperation\//,
    );
    expect(state.config.resourceLocation).toContain('/failoverGroupOperationResults/');
    expect(poller.isDone()).toBe(false);

    // The Location URL answers 202 while the operation runs.
    const locationPath = new URL(state.config.resourceLocation!).pathname;
    expect((await armFetch(emulator.url, 'GET', locationPath)).status).toBe(202);

    emulator.clock.advance(30_000);
    await poller.poll();
    expect(poller.isDone()).toBe(false);
    expect((await sql.failoverGroups.get('aegis-dr-rg', 'aegis-dr-sql', 'aegis-fog')).replicationRole).toBe(
      'Secondary',
    );

    emulator.clock.advance(20_000);
    await poller.poll();
    expect(poller.isDone()).toBe(true);
    expect(poller.getResult()?.replicationRole).toBe('Primary');
    expect((await sql.failoverGroups.get('aegis-rg', 'aegis-sql', 'aegis-fog')).replicationRole).toBe(
      'Secondary',
    );
    expect((await armFetch(emulator.url, 'GET', locationPath)).status).toBe(200);

    const operations = emulator.requests.list({ service: 'azure.arm' }).map((entry) => entry.operation);
    expect(operations).toContain('FailoverGroups_GetAsyncOperation');
    expect(operations).toContain('FailoverGroups_GetOperationResult');
    expect(emulator.requests.list({ operation: 'FailoverGroups_Failover' })[0]).toMatchObject({
      mutating: true,
      status: 202,
    });
  });

  it('rejects a failover issued on the primary and a second one while the first runs', async () => {
    const onPrimary = await rejection(
      sql.failoverGroups.beginFailover('aegis-dr-rg', 'aegis-dr-sql', 'aegis-fog'),
    );
    expect(onPrimary.statusCode).toBe(400);
    expect(onPrimary.code).toBe('FailoverGroupFailoverRequestOnPrimary');

    const first = await sql.failoverGroups.beginFailover('aegis-rg', 'aegis-sql', 'aegis-fog');
    const busy = await rejection(
      sql.failoverGroups.beginForceFailoverAllowDataLoss('aegis-rg', 'aegis-sql', 'aegis-fog'),
    );
    expect(busy.statusCode).toBe(409);
    expect(busy.code).toBe('FailoverGroupBusy');
    emulator.clock.advance(50_000);
    await first.poll();
    expect(first.getResult()?.replicationRole).toBe('Primary');
  });

  it('fails a planned failover when the primary is down; a forced one succeeds and suspends replication', async () => {
    const planned = await sql.failoverGroups.beginFailover('aegis-dr-rg', 'ledger-dr-sql', 'ledger-fog');
    emulator.clock.advance(50_000);
    const failed = await rejection(planned.poll());
    expect(String((failed as Error).message)).toContain('FailoverGroupFailoverFailed');
    expect((await sql.failoverGroups.get('aegis-dr-rg', 'ledger-dr-sql', 'ledger-fog')).replicationRole).toBe(
      'Secondary',
    );

    const forced = await sql.failoverGroups.beginForceFailoverAllowDataLoss(
      'aegis-dr-rg',
      'ledger-dr-sql',
      'ledger-fog',
    );
    emulator.clock.advance(20_000);
    await forced.poll();
    expect(forced.isDone()).toBe(true);
    const after = await sql.failoverGroups.get('aegis-dr-rg', 'ledger-dr-sql', 'ledger-fog');
    expect(after.replicationRole).toBe('Primary');
    expect(after.replicationState).toBe('SUSPENDED');
    expect(after.partnerServers?.[0]?.replicationRole).toBe('Secondary');
  });

  it('serves tryPlannedBeforeForcedFailover from api-version 2023-02-01-preview through the client pipeline', async () => {
    const path = `/subscriptions/${subscriptionId}/resourceGroups/aegis-rg/providers/Microsoft.Sql/servers/ledger-sql/failoverGroups/ledger-fog/tryPlannedBeforeForcedFailover`;
    const send = (apiVersion: string) =>
      sql.pipeline.sendRequest(
        httpClient,
        createPipelineRequest({
          url: `https://management.azure.com${path}?api-version=${apiVersion}`,
          method: 'POST',
        }),
      );
    for (const tooOld of ['2020-11-01-preview', '2022-11-01-preview']) {
      const old = await send(tooOld);
      expect(old.status).toBe(400);
      expect(JSON.parse(old.bodyAsText ?? '{}').error.code).toBe('InvalidApiVersionParameter');
    }

    // After the forced failover ledger-sql is the secondary, so a failback is issued on it.
    // The first api-version whose REST spec has the operation.
    const accepted = await send('2023-02-01-preview');
    expect(accepted.status).toBe(202);
    expect(accepted.headers.get('azure-asyncoperation')).toMatch(/^https:\/\//);
    expect(accepted.headers.get('location')).toContain('/failoverGroupOperationResults/');
    expect(accepted.headers.get('retry-after')).toBe('10');
    emulator.clock.advance(50_000);
    const status = await armFetch(
      emulator.url,
      'GET',
      new URL(accepted.headers.get('azure-asyncoperation')!).pathname,
    );
    // ledger-sql itself is unavailable: the failover cannot make it primary.
    expect(status.body).toMatchObject({ status: 'Failed', error: { code: 'FailoverGroupFailoverFailed' } });
  });

  it('never completes a stuck failover', async () => {
    emulator.faults.add({ fault: 'stuck', operation: 'FailoverGroups_Failover', times: 1 });
    const poller = await sql.failoverGroups.beginFailover('aegis-dr-rg', 'aegis-dr-sql', 'aegis-fog');
    emulator.clock.advance(10 * 60_000);
    await poller.poll();
    expect(poller.getOperationState().status).toBe('running');
    expect((await sql.failoverGroups.get('aegis-dr-rg', 'aegis-dr-sql', 'aegis-fog')).replicationRole).toBe(
      'Secondary',
    );
  });

  it('answers missing scopes and resources with the ARM 404s', async () => {
    const group = await rejection(sql.failoverGroups.get('aegis-rg', 'aegis-sql', 'nope'));
    expect(group.statusCode).toBe(404);
    expect(group.code).toBe('ResourceNotFound');
    const server = await rejection(sql.failoverGroups.get('aegis-rg', 'ghost', 'aegis-fog'));
    expect(server.code).toBe('ResourceNotFound');
    expect(server.message).toContain("'Microsoft.Sql/servers/ghost'");
    expect((await rejection(sql.failoverGroups.get('no-rg', 'aegis-sql', 'aegis-fog'))).code).toBe(
      'ResourceGroupNotFound',
    );
    const other = new SqlManagementClient(fakeCredential, 'not-a-subscription', { httpClient });
    expect((await rejection(other.failoverGroups.get('aegis-rg', 'aegis-sql', 'aegis-fog'))).code).toBe(
      'SubscriptionNotFound',
    );
    const failover = await rejection(sql.failoverGroups.beginFailover('aegis-rg', 'aegis-sql', 'nope'));
    expect(failover.statusCode).toBe(404);
  });
});
