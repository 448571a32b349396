import { type ApiCall, createMemoryCapacityRecords, type ResourceProviderV1 } from '@failover/core';
import type { Emulator } from '@failover/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configDataHash, kubernetesResources } from '../src/index.js';
import { connectToEmulator, emulatorTime } from './kubernetes-emulator.js';

let emulator: Emulator;
let west: ResourceProviderV1;
const capacity = createMemoryCapacityRecords();
const minute = 60_000;
const checkout = { kind: 'Deployment', namespace: 'shop', name: 'checkout' };

beforeAll(async () => {
  const { startEmulator } = await import('@failover/emulator');
  emulator = await startEmulator({
    timeScale: 0,
    durations: { 'kubernetes.podReady': 10_000, 'kubernetes.controllerSync': 1_000 },
    seed: {
      kubernetes: {
        clusters: [
          {
            name: 'prod-east',
            region: 'us-east-1',
            workloads: [
              { kind: 'Deployment', name: 'checkout', namespace: 'shop', replicas: 6 },
              { kind: 'Deployment', name: 'web', namespace: 'edge', replicas: 4, labels: { tier: 'front' } },
              {
                kind: 'Deployment',
                name: 'static',
                namespace: 'edge',
                replicas: 2,
                labels: { tier: 'front' },
              },
            ],
          },
          {
            name: 'dr-west',
            workloads: [
              {
                kind: 'Deployment',
                name: 'checkout',
                namespace: 'shop',
                replicas: 1,
                env: { DB_HOST: 'db-east' },
              },
              { kind: 'Deployment', name: 'web', namespace: 'edge', replicas: 0, labels: { tier: 'front' } },
              {
                kind: 'Deployment',
                name: 'static',
                namespace: 'edge',
                replicas: 1,
                labels: { tier: 'front' },
              },
            ],
            hpas: [
              {
                name: 'checkout',
                namespace: 'shop',
                target: { kind: 'Deployment', name: 'checkout' },
                maxReplicas: 10,
              },
            ],
            configMaps: [{ namespace: 'shop', name: 'checkout-settings', data: { DB_HOST: 'db-east' } }],
            velero: {
              backups: [{ name: 'hourly-1', schedule: 'hourly', completedAgoMs: 20 * minute }],
            },
          },
        ],
      },
    },
  });
  const base = emulator.endpoint('kubernetes.apps');
  const time = emulatorTime(emulator);
  west = kubernetesResources({
    connection: connectToEmulator(`${base}/dr-west`),
    source: { connection: connectToEmulator(`${base}/prod-east`), name: 'prod-east' },
    capacity,
    time,
    podReadyMs: 10_000,
    hpaSyncMs: 15_000,
    veleroRestoreMs: 62_000,
  });
});
afterAll(() => emulator.stop());

const mutations = () => emulator.requests.count({ cloud: 'kubernetes', mutating: true });
const ensureAndWait = async (
  ref: Record<string, unknown>,
  desired: Record<string, unknown>,
  until?: Record<string, unknown>,
) => {
  const ensured = (await west.ensureResource(ref, desired))._unsafeUnwrap();
  if (!ensured.handle) return { ensured, observed: undefined };
  const observed = (
    await west.waitForResource(ensured.handle, { timeoutMs: 10 * minute, ...(until && { until }) })
  )._unsafeUnwrap();
  return { ensured, observed };
};

describe('workloads as resources', () => {
  it('scales to a percentage of the source cluster, records the source, and waits for the rollout', async () => {
    const { ensured, observed } = await ensureAndWait(checkout, { percentOfSource: 50 });
    expect(ensured.before).toMatchObject({ replicas: { checkout: 1 }, sourceReplicas: { checkout: 6 } });
    expect(observed).toMatchObject({
      replicas: { checkout: 3 },
      readyReplicas: { checkout: 3 },
      rolledOut: { checkout: true },
    });
    expect(west.matches?.({ percentOfSource: 50 }, observed as never)).toBe(true);
    expect(ensured.before).toMatchObject({ percentOfSource: 16 });
    expect(observed).toMatchObject({ percentOfSource: 50 });
    expect(capacity.list()).toContainEqual(
      expect.objectContaining({
        pool: { cluster: 'prod-east', pool: 'Deployment/shop/checkout' },
        desired: 6,
      }),
    );
  });

  it('falls back to the recorded replicas when the source cluster is dark', async () => {
    const lift = emulator.blackouts.add({ cloud: 'kubernetes', region: 'us-east-1' });
    const observed = (await west.observeResource(checkout))._unsafeUnwrap();
    lift();
    expect(observed).toMatchObject({ sourceReplicas: { checkout: 6 } });
    expect(String(observed.sourceRecorded)).toMatch(/prod-east could not be read/);
  });

  it('an ensure that already holds sends nothing; undo (restoreOf before) scales back', async () => {
    const before = mutations();
    const again = (await west.ensureResource(checkout, { replicas: 3 }))._unsafeUnwrap();
    expect(again.changed).toBe(false);
    expect(mutations()).toBe(before);
    const restore = west.restoreOf?.({ replicas: { checkout: 1 }, readyReplicas: {}, rolledOut: {} }) ?? {};
    const { observed } = await ensureAndWait(checkout, restore);
    expect(observed).toMatchObject({ replicas: { checkout: 1 } });
  });

  it('a label selector scales each workload it picks; minReady ends the wait early', async () => {
    const selector = { kind: 'Deployment', namespace: 'edge', labelSelector: 'tier=front' };
    const { ensured, observed } = await ensureAndWait(selector, { percentOfSource: 100 }, { minReady: 1 });
    expect(ensured.before).toMatchObject({ replicas: { static: 1, web: 0 } });
    expect(observed?.replicas).toEqual({ static: 2, web: 4 });
  });

  it('sets an env var and waits for the new template to roll out; undo puts the old value back', async () => {
    const { ensured, observed } = await ensureAndWait(checkout, { env: { DB_HOST: 'db-west' } });
    expect(ensured.before).toMatchObject({ env: { DB_HOST: 'db-east' } });
    expect(observed).toMatchObject({ env: { DB_HOST: 'db-west' }, rolledOut: { checkout: true } });
    const undo = west.restoreOf?.(ensured.before) ?? {};
    const restored = await ensureAndWait(checkout, undo);
    expect(restored.observed).toMatchObject({ env: { DB_HOST: 'db-east' } });
  });

  it('reports every request through onApiCall', async () => {
    const calls: ApiCall[] = [];
    (await west.observeResource(checkout, { onApiCall: (call) => calls.push(call) }))._unsafeUnwrap();
    expect(calls.map((c) => c.operation)).toEqual(['readNamespacedDeployment', 'readNamespacedDeployment']);
    expect(calls.every((c) => !c.mutating)).toBe(true);
  });
});

describe('HPAs, ConfigMaps and Velero as resources', () => {
  it('raises an HPA minReplicas and waits for the controller to scale its target', async () => {
    const ref = { kind: 'HorizontalPodAutoscaler', namespace: 'shop', name: 'checkout' };
    const { ensured, observed } = await ensureAndWait(ref, { minReplicas: 4 });
    expect(ensured.before).toMatchObject({ minReplicas: 1 });
    expect(observed).toMatchObject({ minReplicas: 4, targetReplicas: 4 });
    const undo = west.restoreOf?.(ensured.before) ?? {};
    expect(undo).toEqual({ minReplicas: 1, exact: true });
  });

  it('sets a ConfigMap key and rolls the workload that reads it, once', async () => {
    const ref = {
      kind: 'ConfigMap',
      namespace: 'shop',
      name: 'checkout-settings',
      rollout: [{ kind: 'Deployment', name: 'checkout' }],
    };
    const { observed } = await ensureAndWait(ref, { data: { DB_HOST: 'db-west' } });
    expect(observed).toMatchObject({
      data: { DB_HOST: 'db-west' },
      rolledFor: { checkout: configDataHash({ DB_HOST: 'db-west' }) },
      rolledOut: { checkout: true },
    });
    const before = mutations();
    expect((await west.ensureResource(ref, { data: { DB_HOST: 'db-west' } }))._unsafeUnwrap().changed).toBe(
      false,
    );
    expect(mutations()).toBe(before);
  });

  it('a data patch whose answer was lost leaves the rollout owed: the retry rolls the readers, the data is not sent again', async () => {
    const ref = {
      kind: 'ConfigMap',
      namespace: 'shop',
      name: 'checkout-settings',
      rollout: [{ kind: 'Deployment', name: 'checkout' }],
    };
    emulator.faults.add({
      fault: 'applied-then-500',
      service: 'kubernetes.apps',
      operation: 'patchConfigMap',
      times: 1,
    });
    const lost = await west.ensureResource(ref, { data: { DB_HOST: 'db-central' } });
    expect(lost._unsafeUnwrapErr()).toMatchObject({ kind: 'unavailable', retryable: true });
    const observed = (await west.observeResource(ref))._unsafeUnwrap();
    expect(observed).toMatchObject({
      data: { DB_HOST: 'db-central' },
      pendingRollout: configDataHash({ DB_HOST: 'db-central' }),
    });
    expect(west.matches?.({ data: { DB_HOST: 'db-central' } }, observed)).toBe(false);
    const patches = () => emulator.requests.count({ cloud: 'kubernetes', operation: 'patchConfigMap' });
    const sentBefore = patches();
    const { observed: done } = await ensureAndWait(ref, { data: { DB_HOST: 'db-central' } });
    expect(patches()).toBe(sentBefore);
    expect(done).toMatchObject({
      rolledFor: { checkout: configDataHash({ DB_HOST: 'db-central' }) },
      rolledOut: { checkout: true },
    });
  });

  it('checks the latest backup against the RPO, and restores it once', async () => {
    const backup = { kind: 'Backup', schedule: 'hourly' };
    expect((await west.checkResource?.(backup, {}, { rpoMs: 30 * minute }))?._unsafeUnwrap().passed).toBe(
      true,
    );
    const stale = (await west.checkResource?.(backup, { maxAgeMs: 10 * minute }))?._unsafeUnwrap();
    expect(stale).toMatchObject({ passed: false });
    expect(stale?.summary).toMatch(/more than the 600 s/);

    const restore = { kind: 'Restore', schedule: 'hourly' };
    const desired = { restored: true, maxBackupAgeMs: 30 * minute, includedNamespaces: ['shop'] };
    const creates = mutations();
    const first = (await west.ensureResource(restore, desired))._unsafeUnwrap();
    // Its answer lost: the next attempt finds the restore in flight and waits on it, creating nothing.
    const second = (await west.ensureResource(restore, desired))._unsafeUnwrap();
    expect(second.handle?.id).toBe(first.handle?.id);
    expect(mutations()).toBe(creates + 1);
    const done = (await west.waitForResource(first.handle!, { timeoutMs: 10 * minute }))._unsafeUnwrap();
    expect(west.matches?.(desired, done)).toBe(true);
    expect((await west.ensureResource(restore, desired))._unsafeUnwrap().changed).toBe(false);
    expect(() => west.restoreOf?.(done)).toThrow(/cannot be undone/);
  });

  it('refuses a restore from a backup older than allowed, before any change', async () => {
    const creates = mutations();
    const error = (
      await west.ensureResource(
        { kind: 'Restore', schedule: 'hourly' },
        { restored: true, maxBackupAgeMs: minute },
      )
    )._unsafeUnwrapErr();
    expect(error.kind).toBe('precondition-failed');
    expect(mutations()).toBe(creates);
  });
});
