import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmulatorHttpClient } from '../src/index.js';
import { type AzureWorld, startAzureWorld } from './azure-emulator.js';
import { type RecordedRequest, recordingHttpClient } from './recording-http-client.js';

let world: AzureWorld;
beforeEach(async () => {
  world = await startAzureWorld({ lroUrls: 'relative' });
});
afterEach(() => world.stop());

const agentpool = { cluster: 'aegis-dr-rg/aegis-dr-aks', pool: 'agentpool', region: 'westus2' };
const burst = { cluster: 'aegis-dr-rg/aegis-dr-aks', pool: 'burst' };
const wait = { timeoutMs: 30 * 60_000 };

describe('azure.aks agent pools', () => {
  it('describes a manual and an autoscaled pool', async () => {
    const aks = world.azure.clusterScaler();
    expect((await aks.describePool(agentpool))._unsafeUnwrap()).toEqual({
      cluster: 'aegis-dr-rg/aegis-dr-aks',
      pool: 'agentpool',
      region: 'westus2',
      desired: 2,
      min: 0,
      max: 1000,
      ready: 2,
      autoscaling: false,
      status: 'ready',
      rawStatus: 'Succeeded/Running',
    });
    expect((await aks.describePool(burst))._unsafeUnwrap()).toMatchObject({
      desired: 2,
      min: 1,
      max: 5,
      autoscaling: true,
    });
    const byId = `/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/aegis-dr-rg/providers/Microsoft.ContainerService/managedClusters/aegis-dr-aks`;
    expect((await aks.describePool({ cluster: byId, pool: 'system' }))._unsafeUnwrap()).toMatchObject({
      desired: 1,
      min: 1,
    });
  });

  it('scales the DR pool to 6 through the LRO, and a new process resumes the wait from the serialised poller', async () => {
    const aks = world.azure.clusterScaler();
    const ensured = (await aks.ensureSize(agentpool, { desired: 6 }))._unsafeUnwrap();
    expect(ensured).toMatchObject({ changed: true, before: { desired: 2 } });
    const put = world.emulator.requests.list({ operation: 'AgentPools_CreateOrUpdate' });
    expect(put.map((entry) => entry.status)).toEqual([200]);
    const state = JSON.parse(ensured.handle!.state!).state;
    expect(state.status).toBe('running');
    expect(state.config.operationLocation).toMatch(
      /\/Microsoft\.ContainerService\/locations\/westus2\/operations\//,
    );

    const during = (await aks.describePool(agentpool))._unsafeUnwrap();
    expect(during).toMatchObject({ desired: 6, ready: 0, status: 'scaling', rawStatus: 'Updating/Running' });

    // The first run waits, then stops at its deadline (a crash, a step timeout...).
    const journalled = JSON.parse(JSON.stringify(ensured.handle));
    expect((await aks.waitForPool(journalled, { timeoutMs: 20_000 }))._unsafeUnwrapErr().kind).toBe(
      'timeout',
    );
    // Another process picks the journal up and keeps waiting on the same operation.
    const resumed = (await world.freshAzure().clusterScaler().waitForPool(journalled, wait))._unsafeUnwrap();
    expect(resumed).toMatchObject({ desired: 6, ready: 6, status: 'ready' });
    expect(world.emulator.requests.count({ operation: 'AgentPools_CreateOrUpdate' })).toBe(1);
    expect(
      world.emulator.requests.count({ operation: 'ManagedClusters_GetOperationStatus' }),
    ).toBeGreaterThan(1);
    // Idempotent: asking again sends nothing.
    const before = world.mutatingCalls();
    expect((await aks.ensureSize(agentpool, { desired: 6 }))._unsafeUnwrap().changed).toBe(false);
    expect(world.mutatingCalls()).toBe(before);
  });

  it('moves the autoscaler bounds with the count on an autoscaled pool', async () => {
    const aks = world.azure.clusterScaler();
    const ensured = (await aks.ensureSize(burst, { desired: 6, min: 6, max: 10 }))._unsafeUnwrap();
    const pool = (await aks.waitForPool(ensured.handle!, wait))._unsafeUnwrap();
    expect(pool).toMatchObject({ desired: 6, min: 6, max: 10, autoscaling: true, ready: 6 });
  });

  it('rejects a count out of the pool bounds with a clear invalid-input and no mutation', async () => {
    const aks = world.azure.clusterScaler();
    const above = (await aks.ensureSize(burst, { desired: 9 }))._unsafeUnwrapErr();
    expect(above).toMatchObject({ kind: 'invalid-input', provider: 'azure.aks', path: 'desired' });
    expect(above.message).toContain('outside the bounds 1-5 of pool burst (asked: desired 9;');
    const manualBounds = (await aks.ensureSize(agentpool, { min: 3 }))._unsafeUnwrapErr();
    expect(manualBounds.message).toContain('no autoscaler');
    expect((await aks.ensureSize(agentpool, { desired: 1001 }))._unsafeUnwrapErr().kind).toBe(
      'invalid-input',
    );
    expect(
      (await aks.ensureSize({ ...agentpool, pool: 'system' }, { desired: 0 }))._unsafeUnwrapErr().kind,
    ).toBe('invalid-input');
    expect((await aks.ensureSize(agentpool, { desired: 2.5 }))._unsafeUnwrapErr().kind).toBe('invalid-input');
    expect(
      (await aks.ensureSize({ ...agentpool, pool: 'nope' }, { desired: 3 }))._unsafeUnwrapErr().kind,
    ).toBe('not-found');
    expect(
      (await aks.describePool({ cluster: 'aegis-dr-aks', pool: 'agentpool' }))._unsafeUnwrapErr(),
    ).toMatchObject({
      kind: 'invalid-input',
      path: 'ref.cluster',
    });
    expect(world.mutatingCalls()).toBe(0);
    expect((await aks.describePool(burst))._unsafeUnwrap()).toMatchObject({ desired: 2, min: 1, max: 5 });
  });

  it('reports an update that ends Failed as precondition-failed with the service error', async () => {
    const aks = world.azure.clusterScaler();
    const ensured = (await aks.ensureSize({ ...agentpool, pool: 'broken' }, { desired: 4 }))._unsafeUnwrap();
    const error = (await aks.waitForPool(ensured.handle!, wait))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'precondition-failed', provider: 'azure.aks', retryable: false });
    expect(error.message).toContain('QuotaExceeded');
  });

  it('survives 429 with Retry-After: in the SDK retry, and in the wait on the injected clock', async () => {
    const retrying = world.freshAzure({ retryOptions: { maxRetries: 2, retryDelayInMs: 1 } }).clusterScaler();
    world.emulator.faults.add({
      fault: 'throttle',
      operation: 'AgentPools_Get',
      times: 1,
      retryAfterSeconds: 0,
    });
    expect((await retrying.describePool(agentpool)).isOk()).toBe(true);

    const aks = world.azure.clusterScaler();
    const ensured = (await aks.ensureSize(agentpool, { desired: 3 }))._unsafeUnwrap();
    world.emulator.faults.add({
      fault: 'throttle',
      operation: 'ManagedClusters_GetOperationStatus',
      times: 2,
      retryAfterSeconds: 30,
    });
    const start = world.emulator.clock.now();
    expect((await aks.waitForPool(ensured.handle!, wait))._unsafeUnwrap()).toMatchObject({
      desired: 3,
      ready: 3,
    });
    expect(world.emulator.clock.now() - start).toBeGreaterThanOrEqual(60_000);
    const throttled = world.emulator.requests.list().filter((entry) => entry.fault === 'throttle');
    expect(throttled.map((entry) => entry.operation)).toEqual([
      'AgentPools_Get',
      'ManagedClusters_GetOperationStatus',
      'ManagedClusters_GetOperationStatus',
    ]);
  });

  it('while an update runs: the same sizes wait on it, other sizes are a conflict, neither sends a PUT', async () => {
    const aks = world.azure.clusterScaler();
    (await aks.ensureSize(agentpool, { desired: 3 }))._unsafeUnwrap();
    const puts = () => world.emulator.requests.count({ operation: 'AgentPools_CreateOrUpdate' });
    expect(puts()).toBe(1);

    const busy = (await aks.ensureSize(agentpool, { desired: 4 }))._unsafeUnwrapErr();
    expect(busy).toMatchObject({ kind: 'conflict', provider: 'azure.aks' });
    // A resumed run that lost its handle asks for the same sizes: it gets one that waits.
    const resumed = (await aks.ensureSize(agentpool, { desired: 3 }))._unsafeUnwrap();
    expect(resumed.changed).toBe(true);
    expect(resumed.handle!.state).toBeUndefined();
    expect((await aks.waitForPool(resumed.handle!, wait))._unsafeUnwrap()).toMatchObject({
      desired: 3,
      ready: 3,
    });
    expect(puts()).toBe(1);
  });

  it('moves only the bounds of an autoscaled pool: the count is clamped into them and AKS manages it', async () => {
    const recording = recordingHttpClient(createEmulatorHttpClient(world.emulator.url));
    const aks = world.freshAzure({ httpClient: recording }).clusterScaler();
    const idle = { cluster: 'aegis-dr-rg/aegis-dr-aks', pool: 'idle' };
    // Scaled to zero with min 0: new bounds 1-101 leave the current count (0) outside them.
    const ensured = (await aks.ensureSize(idle, { min: 1, max: 101 }))._unsafeUnwrap();
    expect(ensured.changed).toBe(true);
    const put = recording.requests.find((request) => request.method === 'PUT')!;
    expect(put.body).toMatchObject({
      properties: { enableAutoScaling: true, minCount: 1, maxCount: 101, count: 1 },
    });
    expect((await aks.waitForPool(ensured.handle!, wait))._unsafeUnwrap()).toMatchObject({
      min: 1,
      max: 101,
      desired: 1,
      status: 'ready',
    });
    // One bound that leaves the count outside is still refused, naming what was asked.
    const one = (await aks.ensureSize(burst, { min: 3 }))._unsafeUnwrapErr();
    expect(one.message).toContain('asked: min 3;');
    expect(one.message).toContain('or both min and max');
  });

  it('carries every setting of the pool back unchanged in its GET-modify-PUT', async () => {
    const recording = recordingHttpClient(createEmulatorHttpClient(world.emulator.url));
    const aks = world.freshAzure({ httpClient: recording }).clusterScaler();
    const tuned = { cluster: 'aegis-dr-rg/aegis-dr-aks', pool: 'tuned' };
    const ensured = (await aks.ensureSize(tuned, { desired: 3 }))._unsafeUnwrap();
    const [get, put] = recording.requests;
    expect(get!.method).toBe('GET');
    expect(put!.method).toBe('PUT');
    // The settings the service fixed at creation, and the ones it would reset if left out.
    expect((put!.body as { properties: Record<string, unknown> }).properties).toMatchObject({
      count: 3,
      osDiskType: 'Ephemeral',
      kubeletDiskType: 'Temporary',
      enableNodePublicIP: true,
      enableEncryptionAtHost: true,
      enableUltraSSD: true,
      enableFIPS: true,
      nodeImageVersion: 'AKSUbuntu-2204gen2fipscontainerd-202411.12.0',
      upgradeSettings: { maxSurge: '33%' },
    });
    // Read-only fields are not written back.
    for (const field of ['provisioningState', 'currentOrchestratorVersion', 'eTag'])
      expect((put!.body as { properties: Record<string, unknown> }).properties).not.toHaveProperty(field);
    expect((await aks.waitForPool(ensured.handle!, wait))._unsafeUnwrap()).toMatchObject({ ready: 3 });
  });

  it('guards the PUT with the eTag the GET returned: a change in between is a conflict, not an overwrite', async () => {
    const recording = recordingHttpClient(createEmulatorHttpClient(world.emulator.url));
    const aks = world.freshAzure({ httpClient: recording }).clusterScaler();
    const isPut = (request: RecordedRequest) => request.method === 'PUT';
    // Someone scales the pool between our GET and our PUT.
    recording.beforeNext(isPut, async (inner) => {
      const other = world.freshAzure({ httpClient: inner }).clusterScaler();
      (await other.ensureSize(agentpool, { desired: 5 }))._unsafeUnwrap();
    });
    const error = (await aks.ensureSize(agentpool, { desired: 4 }))._unsafeUnwrapErr();
    expect(error.kind).toBe('conflict');
    expect(error.message).toContain('412');
    const get = recording.requests[0]!;
    const put = recording.requests.filter(isPut).at(-1)!;
    expect(get.method).toBe('GET');
    expect(put.headers['if-match']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('PUTs a pool the service sends without an eTag with no If-Match: nothing to guard with, the last writer wins', async () => {
    const recording = recordingHttpClient(createEmulatorHttpClient(world.emulator.url));
    const aks = world.freshAzure({ httpClient: recording }).clusterScaler();
    const legacy = { cluster: 'aegis-dr-rg/aegis-dr-aks', pool: 'legacy' };
    const ensured = (await aks.ensureSize(legacy, { desired: 4 }))._unsafeUnwrap();
    const put = recording.requests.find((request) => request.method === 'PUT')!;
    expect(put.headers).not.toHaveProperty('if-match');
    expect((await aks.waitForPool(ensured.handle!, wait))._unsafeUnwrap()).toMatchObject({ ready: 4 });
  });

  it('an applied PUT whose answer is lost is waited on, never sent again', async () => {
    const recording = recordingHttpClient(createEmulatorHttpClient(world.emulator.url));
    const aks = world.freshAzure({ httpClient: recording }).clusterScaler();
    recording.loseNextAnswer((request) => request.method === 'PUT');
    const lost = (await aks.ensureSize(agentpool, { desired: 5 }))._unsafeUnwrapErr();
    expect(lost).toMatchObject({ kind: 'unavailable', retryable: true });
    // The executor's retry observes the update running towards the same sizes.
    const retried = (await aks.ensureSize(agentpool, { desired: 5 }))._unsafeUnwrap();
    expect(retried.changed).toBe(true);
    expect((await aks.waitForPool(retried.handle!, wait))._unsafeUnwrap()).toMatchObject({
      desired: 5,
      ready: 5,
    });
    expect(world.emulator.requests.count({ operation: 'AgentPools_CreateOrUpdate' })).toBe(1);
  });

  it('pre-checks what ensureSize would refuse, with no call', async () => {
    const aks = world.azure.clusterScaler();
    const observed = (await aks.describePool(burst))._unsafeUnwrap();
    const calls = world.emulator.requests.count();
    expect((await aks.precheckSize!(burst, { desired: 9 }, observed))._unsafeUnwrapErr().kind).toBe(
      'invalid-input',
    );
    expect((await aks.precheckSize!(burst, { min: 3, max: 1001 }, observed))._unsafeUnwrapErr().path).toBe(
      'max',
    );
    expect((await aks.precheckSize!(burst, { desired: 4 }, observed)).isOk()).toBe(true);
    expect(
      (await aks.precheckSize!(burst, { desired: 4 }, { ...observed, status: 'scaling' }))._unsafeUnwrapErr(),
    ).toMatchObject({ kind: 'conflict', retryable: true });
    expect(world.emulator.requests.count()).toBe(calls);
  });

  it('waits for the Retry-After of the PUT before the first poll of its operation', async () => {
    const recording = recordingHttpClient(createEmulatorHttpClient(world.emulator.url));
    const aks = world.freshAzure({ httpClient: recording }).clusterScaler();
    recording.addHeadersToNext((request) => request.method === 'PUT', { 'retry-after': '20' });
    const ensured = (await aks.ensureSize(agentpool, { desired: 3 }))._unsafeUnwrap();
    expect(ensured.handle!.detail).toMatchObject({ firstPollAfterMs: 20_000 });
    const put = world.emulator.requests.list({ operation: 'AgentPools_CreateOrUpdate' })[0]!;
    (await aks.waitForPool(ensured.handle!, wait))._unsafeUnwrap();
    const polls = world.emulator.requests.list({ operation: 'ManagedClusters_GetOperationStatus' });
    expect(polls[0]!.at - put.at).toBeGreaterThanOrEqual(20_000);
  });
});
