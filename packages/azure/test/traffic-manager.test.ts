import { resolveDnsDesiredState } from '@failover/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmulatorHttpClient } from '../src/index.js';
import { type AzureWorld, startAzureWorld } from './azure-emulator.js';
import { recordingHttpClient } from './recording-http-client.js';

let world: AzureWorld;
beforeEach(async () => {
  world = await startAzureWorld();
});
afterEach(() => world.stop());

const tm = { zone: 'aegis-rg', name: 'aegis-tm' };
const weighted = { zone: 'aegis-rg', name: 'aegis-weighted' };
const wait = { timeoutMs: 10 * 60_000 };

describe('azure.trafficmanager', () => {
  it('reads a Priority profile as a priority record set, with health from the monitor', async () => {
    const dns = world.azure.dnsProvider();
    const recordSet = (await dns.getRecordSet(tm))._unsafeUnwrap();
    expect(recordSet).toMatchObject({ name: 'aegis-tm', type: 'CNAME', ttl: 30, routing: 'priority' });
    expect(recordSet.targets).toEqual([
      {
        id: 'primary-endpoint',
        values: ['app-east.example.com'],
        weight: 1,
        priority: 1,
        enabled: true,
        health: 'healthy',
        location: 'East US',
      },
      {
        id: 'secondary-endpoint',
        values: ['app-west.example.com'],
        weight: 1,
        priority: 2,
        enabled: true,
        health: 'healthy',
        location: 'West US',
      },
    ]);
    expect(
      (await dns.getRecordSet({ name: 'aegis-weighted', zone: 'aegis-rg' }))._unsafeUnwrap().routing,
    ).toBe('weighted');
    expect(world.mutatingCalls()).toBe(0);
  });

  it('disables the primary endpoint with one PATCH (the runbook step) and waits for the standby to serve', async () => {
    const dns = world.azure.dnsProvider({ resourceGroup: 'aegis-rg' });
    const current = (await dns.getRecordSet({ name: 'aegis-tm' }))._unsafeUnwrap();
    const desired = resolveDnsDesiredState(current, {
      targets: { 'primary-endpoint': { enabled: false } },
    })._unsafeUnwrap();
    world.emulator.requests.clear();
    const ensured = (await dns.ensureRecordSet({ name: 'aegis-tm' }, desired))._unsafeUnwrap();
    expect(ensured.changed).toBe(true);
    expect(world.emulator.requests.list().map((entry) => [entry.operation, entry.status])).toEqual([
      ['Profiles_Get', 200],
      ['Endpoints_Update', 200],
    ]);
    expect(world.emulator.requests.list()[1]!.path).toMatch(/\/AzureEndpoints\/primary-endpoint$/);
    expect((await dns.waitForChange(ensured.handle!, wait)).isOk()).toBe(true);
    const after = (await dns.getRecordSet(tm))._unsafeUnwrap();
    expect(after.targets[0]).toMatchObject({ id: 'primary-endpoint', enabled: false, health: 'unknown' });
    // The same desired state again: observed, nothing sent.
    const before = world.mutatingCalls();
    expect((await dns.ensureRecordSet(tm, desired))._unsafeUnwrap()).toMatchObject({ changed: false });
    expect(world.mutatingCalls()).toBe(before);
  });

  it('waits until a re-enabled endpoint has been probed Online', async () => {
    const dns = world.azure.dnsProvider();
    const current = (await dns.getRecordSet(tm))._unsafeUnwrap();
    const off = resolveDnsDesiredState(current, {
      targets: { 'primary-endpoint': { enabled: false } },
    })._unsafeUnwrap();
    await dns.ensureRecordSet(tm, off);
    const on = resolveDnsDesiredState(off, {
      targets: { 'primary-endpoint': { enabled: true } },
    })._unsafeUnwrap();
    const ensured = (await dns.ensureRecordSet(tm, on))._unsafeUnwrap();
    const start = world.emulator.clock.now();
    expect((await dns.waitForChange(ensured.handle!, { ...wait, pollIntervalMs: 5_000 })).isOk()).toBe(true);
    // The probe takes 30 s on the emulator clock; the wait polled through it.
    expect(world.emulator.clock.now() - start).toBeGreaterThanOrEqual(30_000);
    expect((await dns.getRecordSet(tm))._unsafeUnwrap().targets[0]!.health).toBe('healthy');
  });

  it('makes the standby active by swapping priorities in one profile update, with no temporary priority', async () => {
    const recording = recordingHttpClient(createEmulatorHttpClient(world.emulator.url));
    const dns = world.freshAzure({ httpClient: recording }).dnsProvider();
    const current = (await dns.getRecordSet(tm))._unsafeUnwrap();
    const desired = resolveDnsDesiredState(current, { activeTarget: 'secondary-endpoint' })._unsafeUnwrap();
    world.emulator.requests.clear();
    const ensured = (await dns.ensureRecordSet(tm, desired))._unsafeUnwrap();
    // One PATCH of the profile carrying both endpoints with their final priorities.
    const mutating = world.emulator.requests.list({ mutating: true });
    expect(mutating.map((entry) => [entry.operation, entry.status])).toEqual([['Profiles_Update', 200]]);
    const patch = recording.requests.find((request) => request.method === 'PATCH')!;
    type SentEndpoint = { name: string; properties: Record<string, unknown> };
    const endpoints = (patch.body as { properties: { endpoints: SentEndpoint[] } }).properties.endpoints;
    expect(endpoints.map((endpoint) => [endpoint.name, endpoint.properties.priority])).toEqual([
      ['primary-endpoint', 2],
      ['secondary-endpoint', 1],
    ]);
    // Carried back as read: the resource id of an Azure endpoint, no read-only status, no nulls.
    expect(endpoints[0]!.properties).toMatchObject({
      targetResourceId: expect.stringContaining('/Microsoft.Web/sites/app-east'),
      endpointStatus: 'Enabled',
      endpointLocation: 'East US',
    });
    expect(endpoints[0]!.properties).not.toHaveProperty('endpointMonitorStatus');
    expect(Object.values(endpoints[0]!.properties)).not.toContain(null);
    expect((await dns.waitForChange(ensured.handle!, wait)).isOk()).toBe(true);
    const after = (await dns.getRecordSet(tm))._unsafeUnwrap();
    expect(after.targets.map((target) => [target.id, target.priority])).toEqual([
      ['primary-endpoint', 2],
      ['secondary-endpoint', 1],
    ]);
  });

  it('shifts weights (failback 10 % -> 50 % -> 100 %) and refuses weight 0', async () => {
    const dns = world.azure.dnsProvider();
    for (const [east, west] of [
      [90, 10],
      [50, 50],
    ] as const) {
      const current = (await dns.getRecordSet(weighted))._unsafeUnwrap();
      const desired = resolveDnsDesiredState(current, {
        targets: { east: { weight: east }, west: { weight: west } },
      })._unsafeUnwrap();
      const ensured = (await dns.ensureRecordSet(weighted, desired))._unsafeUnwrap();
      expect((await dns.waitForChange(ensured.handle!, wait)).isOk()).toBe(true);
      expect(
        (await dns.getRecordSet(weighted))._unsafeUnwrap().targets.map((target) => target.weight),
      ).toEqual([east, west]);
    }
    const current = (await dns.getRecordSet(weighted))._unsafeUnwrap();
    const before = world.mutatingCalls();
    const zero = await dns.ensureRecordSet(
      weighted,
      resolveDnsDesiredState(current, { activeTarget: 'west' })._unsafeUnwrap(),
    );
    expect(zero._unsafeUnwrapErr()).toMatchObject({ kind: 'invalid-input', path: 'targets[0].weight' });
    expect(zero._unsafeUnwrapErr().message).toContain('enabled: false');
    // 100 % to west: take east out of rotation instead.
    const all = resolveDnsDesiredState(current, { targets: { east: { enabled: false } } })._unsafeUnwrap();
    const ensured = (await dns.ensureRecordSet(weighted, all))._unsafeUnwrap();
    expect(world.mutatingCalls()).toBe(before + 1);
    expect((await dns.waitForChange(ensured.handle!, wait)).isOk()).toBe(true);
    expect(
      (await dns.getRecordSet(weighted))._unsafeUnwrap().targets.map((target) => target.enabled),
    ).toEqual([false, true]);
  });

  it('changes the TTL with one profile PATCH', async () => {
    const dns = world.azure.dnsProvider();
    const current = (await dns.getRecordSet(tm))._unsafeUnwrap();
    world.emulator.requests.clear();
    const ensured = (await dns.ensureRecordSet(tm, { ...current, ttl: 10 }))._unsafeUnwrap();
    expect(world.emulator.requests.list({ mutating: true }).map((entry) => entry.operation)).toEqual([
      'Profiles_Update',
    ]);
    expect((await dns.waitForChange(ensured.handle!, wait)).isOk()).toBe(true);
    expect((await dns.getRecordSet(tm))._unsafeUnwrap().ttl).toBe(10);
  });

  it('times out instead of reporting success when the new active endpoint is Degraded', async () => {
    const dns = world.azure.dnsProvider();
    const ref = { zone: 'aegis-rg', name: 'degraded-tm' };
    const current = (await dns.getRecordSet(ref))._unsafeUnwrap();
    const ensured = (
      await dns.ensureRecordSet(
        ref,
        resolveDnsDesiredState(current, { activeTarget: 'sick' })._unsafeUnwrap(),
      )
    )._unsafeUnwrap();
    const error = (await dns.waitForChange(ensured.handle!, { timeoutMs: 120_000 }))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'timeout', retryable: false });
    expect(error.message).toContain('endpoint sick is Degraded');
  });

  it('refuses what Traffic Manager cannot hold, before any request', async () => {
    const dns = world.azure.dnsProvider();
    const current = (await dns.getRecordSet(tm))._unsafeUnwrap();
    const before = world.mutatingCalls();
    const added = {
      ...current,
      targets: [...current.targets, { id: 'new', values: ['n.example.com'], enabled: true }],
    };
    expect((await dns.ensureRecordSet(tm, added))._unsafeUnwrapErr().kind).toBe('unsupported');
    const clash = { ...current, targets: current.targets.map((target) => ({ ...target, priority: 1 })) };
    expect((await dns.ensureRecordSet(tm, clash))._unsafeUnwrapErr().kind).toBe('invalid-input');
    const retarget = {
      ...current,
      targets: current.targets.map((target) => ({ ...target, values: ['elsewhere.example.com'] })),
    };
    expect((await dns.ensureRecordSet(tm, retarget))._unsafeUnwrapErr().kind).toBe('unsupported');
    expect((await dns.getRecordSet({ zone: 'aegis-rg', name: 'nope' }))._unsafeUnwrapErr().kind).toBe(
      'not-found',
    );
    expect((await dns.getRecordSet({ name: 'aegis-tm' }))._unsafeUnwrapErr()).toMatchObject({
      kind: 'invalid-input',
      path: 'ref.name',
    });
    expect(world.mutatingCalls()).toBe(before);
  });

  it('reads the nulls of external endpoints as absent, and retargets an external endpoint', async () => {
    const recording = recordingHttpClient(createEmulatorHttpClient(world.emulator.url));
    const dns = world.freshAzure({ httpClient: recording }).dnsProvider();
    // The service answers "targetResourceId": null, "endpointLocation": null on these.
    const current = (await dns.getRecordSet(weighted))._unsafeUnwrap();
    for (const target of current.targets) {
      expect(target).not.toHaveProperty('location');
      expect(Object.values(target)).not.toContain(null);
    }
    const desired = resolveDnsDesiredState(current, {
      targets: { west: { values: ['west-v2.example.com'] } },
    })._unsafeUnwrap();
    const ensured = (await dns.ensureRecordSet(weighted, desired))._unsafeUnwrap();
    expect(ensured.changed).toBe(true);
    const patch = recording.requests.find((request) => request.method === 'PATCH')!;
    expect(patch.url).toMatch(/\/ExternalEndpoints\/west\?api-version=2022-04-01$/);
    expect(patch.body).toEqual({ properties: { target: 'west-v2.example.com' } });
    (await dns.waitForChange(ensured.handle!, wait))._unsafeUnwrap();
    expect((await dns.getRecordSet(weighted))._unsafeUnwrap().targets[1]!.values).toEqual([
      'west-v2.example.com',
    ]);
    // An Azure-resource endpoint's target follows its resource: still refused.
    const tmNow = (await dns.getRecordSet(tm))._unsafeUnwrap();
    const retarget = resolveDnsDesiredState(tmNow, {
      targets: { 'primary-endpoint': { values: ['elsewhere.example.com'] } },
    })._unsafeUnwrap();
    expect((await dns.ensureRecordSet(tm, retarget))._unsafeUnwrapErr().kind).toBe('unsupported');
  });

  it('an applied update whose answer is lost is observed as done on retry, never sent again', async () => {
    const recording = recordingHttpClient(createEmulatorHttpClient(world.emulator.url));
    const dns = world.freshAzure({ httpClient: recording }).dnsProvider();
    const current = (await dns.getRecordSet(tm))._unsafeUnwrap();
    const desired = resolveDnsDesiredState(current, { activeTarget: 'secondary-endpoint' })._unsafeUnwrap();
    recording.loseNextAnswer((request) => request.method === 'PATCH');
    const lost = (await dns.ensureRecordSet(tm, desired))._unsafeUnwrapErr();
    expect(lost).toMatchObject({ kind: 'unavailable', retryable: true });
    const retried = (await dns.ensureRecordSet(tm, desired))._unsafeUnwrap();
    expect(retried.changed).toBe(false);
    expect(world.mutatingCalls()).toBe(1);
  });

  it('batches by profile: one call per profile that differs, one outcome per change', async () => {
    const dns = world.azure.dnsProvider();
    const batching = dns.batching!;
    expect(batching.batchKey(tm)).toBe(batching.batchKey({ name: 'aegis-tm', zone: 'AEGIS-RG' }));
    expect(batching.batchKey(tm)).not.toBe(batching.batchKey(weighted));
    const tmNow = (await dns.getRecordSet(tm))._unsafeUnwrap();
    const weightedNow = (await dns.getRecordSet(weighted))._unsafeUnwrap();
    const outcomes = (
      await batching.ensureRecordSets([
        {
          ref: tm,
          desired: resolveDnsDesiredState(tmNow, { activeTarget: 'secondary-endpoint' })._unsafeUnwrap(),
        },
        {
          ref: weighted,
          desired: resolveDnsDesiredState(weightedNow, {
            targets: { east: { weight: 50 }, west: { weight: 50 } },
          })._unsafeUnwrap(),
        },
        { ref: weighted, desired: weightedNow },
        {
          ref: { zone: 'aegis-rg', name: 'degraded-tm' },
          desired: (await dns.getRecordSet({ zone: 'aegis-rg', name: 'degraded-tm' }))._unsafeUnwrap(),
        },
      ])
    )._unsafeUnwrap();
    expect(outcomes.map((outcome) => (outcome.ok ? outcome.result.changed : outcome.error.kind))).toEqual([
      true,
      true,
      'invalid-input', // the same profile twice in one batch
      false,
    ]);
    expect(world.emulator.requests.list({ mutating: true }).map((entry) => entry.operation)).toEqual([
      'Profiles_Update',
      'Profiles_Update',
    ]);
  });

  it('pre-checks what ensureRecordSet would refuse: weight 0 or above 1000, priorities, retargeting a resource endpoint', async () => {
    const dns = world.azure.dnsProvider();
    const current = (await dns.getRecordSet(weighted))._unsafeUnwrap();
    const withTarget = (patch: Record<string, unknown>) => ({
      ...current,
      targets: current.targets.map((target, index) => (index === 0 ? { ...target, ...patch } : target)),
    });
    const kinds = async (desired: typeof current, ref = weighted) => {
      const result = await dns.precheckRecordSet!(ref, desired, current);
      return result.isOk() ? 'ok' : result.error.kind;
    };
    expect(await kinds(withTarget({ weight: 0 }))).toBe('invalid-input');
    expect(await kinds(withTarget({ weight: 1001 }))).toBe('invalid-input');
    expect(await kinds(withTarget({ priority: 0 }))).toBe('invalid-input');
    expect(await kinds(withTarget({ priority: 2 }))).toBe('invalid-input'); // shared with west
    expect(await kinds(withTarget({ weight: 1000 }))).toBe('ok');
    const tmNow = (await dns.getRecordSet(tm))._unsafeUnwrap();
    const retarget = {
      ...tmNow,
      targets: tmNow.targets.map((target, index) =>
        index === 0 ? { ...target, values: ['elsewhere.example.com'] } : target,
      ),
    };
    expect(await kinds(retarget, tm)).toBe('unsupported');
    expect(world.mutatingCalls()).toBe(0);
  });
});
