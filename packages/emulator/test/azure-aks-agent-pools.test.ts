import { ContainerServiceClient, restorePoller } from '@azure/arm-containerservice';
import type { RestError } from '@azure/core-rest-pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { azureSeed, emulatorHttpClient, fakeCredential, subscriptionId } from './azure-clients.js';

let emulator: Emulator;
let aks: ContainerServiceClient;
let httpClient: ReturnType<typeof emulatorHttpClient>;

beforeAll(async () => {
  emulator = await startEmulator({
    timeScale: 0,
    seed: { azure: azureSeed({ lroUrls: 'relative' }) },
    durations: { 'azure.aks.agentPoolUpdate': 90_000 },
  });
  httpClient = emulatorHttpClient(emulator.url);
  aks = new ContainerServiceClient(fakeCredential, subscriptionId, { httpClient });
});
afterAll(() => emulator.stop());

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: RestError & { code?: string }) => error,
  );

describe('AKS agent pools through @azure/arm-containerservice', () => {
  it('reads the cluster, its pools and one pool', async () => {
    const cluster = await aks.managedClusters.get('aegis-dr-rg', 'aegis-dr-aks');
    expect(cluster.location).toBe('West US 2');
    expect(cluster.agentPoolProfiles?.map((pool) => pool.name)).toContain('agentpool');
    const names = [];
    for await (const pool of aks.agentPools.list('aegis-dr-rg', 'aegis-dr-aks')) names.push(pool.name);
    expect(names).toEqual(['system', 'agentpool', 'burst', 'broken']);
    const pool = await aks.agentPools.get('aegis-dr-rg', 'aegis-dr-aks', 'agentpool');
    expect(pool).toMatchObject({
      count: 2,
      enableAutoScaling: false,
      provisioningState: 'Succeeded',
      powerState: { code: 'Running' },
    });
    const burst = await aks.agentPools.get('aegis-dr-rg', 'aegis-dr-aks', 'burst');
    expect(burst).toMatchObject({ enableAutoScaling: true, minCount: 1, maxCount: 5, count: 1 });
  });

  it('scales a pool through its LRO, and a poller restored from serialised state finishes it', async () => {
    const pool = await aks.agentPools.get('aegis-dr-rg', 'aegis-dr-aks', 'agentpool');
    const poller = aks.agentPools.createOrUpdate('aegis-dr-rg', 'aegis-dr-aks', 'agentpool', {
      ...pool,
      count: 6,
    });
    await poller.submitted();
    const serialized = await poller.serialize();
    expect(JSON.parse(serialized).state.config.operationLocation).toMatch(
      /^\/subscriptions\/.+\/providers\/Microsoft\.ContainerService\/locations\/westus2\/operations\/.+api-version=2016-03-30$/,
    );
    const during = await aks.agentPools.get('aegis-dr-rg', 'aegis-dr-aks', 'agentpool');
    // A PUT to an existing pool reads `Updating` (scaling included), as the service answers.
    expect(during).toMatchObject({ count: 6, provisioningState: 'Updating' });
    await poller.poll();
    expect(poller.isDone).toBe(false);

    emulator.clock.advance(90_000);
    const restored = restorePoller(aks, serialized, aks.agentPools.createOrUpdate);
    await restored.poll();
    expect(restored.isDone).toBe(true);
    expect(restored.result).toMatchObject({ count: 6, provisioningState: 'Succeeded' });
    // The final GET is the pool URL, on the https host the client uses.
    expect(httpClient.sent.at(-1)).toMatchObject({ method: 'GET' });
    expect(httpClient.sent.at(-1)?.url).toMatch(
      /^https:\/\/management\.azure\.com\/.+\/agentPools\/agentpool\?/,
    );
    expect(emulator.requests.list({ operation: 'AgentPools_CreateOrUpdate' })[0]).toMatchObject({
      mutating: true,
      status: 200,
    });
  });

  it('moves the autoscaler bounds', async () => {
    const burst = await aks.agentPools.get('aegis-dr-rg', 'aegis-dr-aks', 'burst');
    const poller = aks.agentPools.createOrUpdate('aegis-dr-rg', 'aegis-dr-aks', 'burst', {
      ...burst,
      minCount: 4,
      maxCount: 8,
      count: 4,
    });
    await poller.submitted();
    emulator.clock.advance(90_000);
    await poller.poll();
    expect(poller.result).toMatchObject({
      minCount: 4,
      maxCount: 8,
      count: 4,
      provisioningState: 'Succeeded',
    });
  });

  it('validates counts and bounds the way AKS does, without changing the pool', async () => {
    const pool = await aks.agentPools.get('aegis-dr-rg', 'aegis-dr-aks', 'agentpool');
    const burst = await aks.agentPools.get('aegis-dr-rg', 'aegis-dr-aks', 'burst');
    const put = (name: string, body: object) =>
      rejection(aks.agentPools.createOrUpdate('aegis-dr-rg', 'aegis-dr-aks', name, body).submitted());

    expect((await put('agentpool', { ...pool, count: 1001 })).code).toBe('InvalidParameter');
    expect((await put('agentpool', { ...pool, minCount: 1, maxCount: 3 })).code).toBe('InvalidParameter');
    expect((await put('burst', { ...burst, count: 9 })).code).toBe('InvalidParameter');
    expect((await put('burst', { ...burst, minCount: 6, maxCount: 5 })).code).toBe('InvalidParameter');
    expect((await put('system', { vmSize: 'Standard_DS2_v2', mode: 'System', count: 0 })).code).toBe(
      'InvalidParameter',
    );
    expect((await put('agentpool', { ...pool, vmSize: 'Standard_D8s_v5' })).code).toBe(
      'PropertyChangeNotAllowed',
    );
    expect(emulator.requests.list({ operation: 'AgentPools_CreateOrUpdate' }).at(-1)?.status).toBe(400);
    expect(await aks.agentPools.get('aegis-dr-rg', 'aegis-dr-aks', 'agentpool')).toMatchObject({
      count: pool.count,
      eTag: pool.eTag,
    });
  });

  it('refuses a second update while one runs, and a stale if-match', async () => {
    const pool = await aks.agentPools.get('aegis-dr-rg', 'aegis-dr-aks', 'agentpool');
    const stale = await rejection(
      aks.agentPools
        .createOrUpdate(
          'aegis-dr-rg',
          'aegis-dr-aks',
          'agentpool',
          { ...pool, count: 3 },
          { ifMatch: 'old-etag' },
        )
        .submitted(),
    );
    expect(stale.statusCode).toBe(412);
    const first = aks.agentPools.createOrUpdate('aegis-dr-rg', 'aegis-dr-aks', 'agentpool', {
      ...pool,
      count: 3,
    });
    await first.submitted();
    const second = await rejection(
      aks.agentPools
        .createOrUpdate('aegis-dr-rg', 'aegis-dr-aks', 'agentpool', { ...pool, count: 4 })
        .submitted(),
    );
    expect(second.statusCode).toBe(409);
    expect(second.code).toBe('OperationNotAllowed');
    emulator.clock.advance(90_000);
    await first.poll();
    expect(first.result?.count).toBe(3);
  });

  it('ends an update Failed with the error when the pool is set to fail', async () => {
    const pool = await aks.agentPools.get('aegis-dr-rg', 'aegis-dr-aks', 'broken');
    const poller = aks.agentPools.createOrUpdate('aegis-dr-rg', 'aegis-dr-aks', 'broken', {
      ...pool,
      count: 5,
    });
    await poller.submitted();
    emulator.clock.advance(90_000);
    const failure = await rejection(poller.poll());
    expect(String((failure as Error).message)).toContain('QuotaExceeded');
    expect((await aks.agentPools.get('aegis-dr-rg', 'aegis-dr-aks', 'broken')).provisioningState).toBe(
      'Failed',
    );
  });

  it('answers an unknown pool or cluster with a 404', async () => {
    expect((await rejection(aks.agentPools.get('aegis-dr-rg', 'aegis-dr-aks', 'nope'))).statusCode).toBe(404);
    const cluster = await rejection(aks.managedClusters.get('aegis-dr-rg', 'nope'));
    expect(cluster.statusCode).toBe(404);
    expect(cluster.code).toBe('ResourceNotFound');
  });
});
