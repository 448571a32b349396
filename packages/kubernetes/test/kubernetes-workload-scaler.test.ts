import type { Emulator } from '@failover/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkloadScaler, type KubernetesWorkloadScaler, type WorkloadRef } from '../src/index.js';
import { connectToEmulator, emulatorTime, startKubernetesEmulator } from './kubernetes-emulator.js';

let emulator: Emulator;
let scaler: KubernetesWorkloadScaler;
const checkout: WorkloadRef = { kind: 'Deployment', namespace: 'shop', name: 'checkout' };
const ledger: WorkloadRef = { kind: 'StatefulSet', namespace: 'shop', name: 'ledger' };

beforeAll(async () => {
  let server: string;
  ({ emulator, server } = await startKubernetesEmulator(
    {
      name: 'dr-west',
      workloads: [
        { kind: 'Deployment', name: 'checkout', namespace: 'shop', replicas: 1 },
        { kind: 'StatefulSet', name: 'ledger', namespace: 'shop', replicas: 1 },
        { kind: 'Deployment', name: 'web', namespace: 'edge', replicas: 0, labels: { tier: 'front' } },
        { kind: 'Deployment', name: 'static', namespace: 'edge', replicas: 2, labels: { tier: 'front' } },
        { kind: 'Deployment', name: 'api', namespace: 'edge', replicas: 1, labels: { tier: 'back' } },
      ],
    },
    { 'kubernetes.podReady': 10_000, 'kubernetes.controllerSync': 1_000 },
  ));
  const time = emulatorTime(emulator);
  const connection = connectToEmulator(server);
  scaler = createWorkloadScaler(connection, { time, pollIntervalMs: 2_000 });
});
afterAll(() => emulator.stop());

const mutations = () => emulator.requests.count({ cloud: 'kubernetes', mutating: true });

describe('scaling a Deployment by name', () => {
  it('scales, records before, and waits until every pod is ready', async () => {
    const outcome = (await scaler.ensure(checkout, 4))._unsafeUnwrap();
    expect(outcome).toEqual({
      changed: true,
      before: { replicas: 1 },
      handle: { ref: checkout, replicas: 4 },
    });
    const start = emulator.clock.now();
    const reads = emulator.requests.count({ cloud: 'kubernetes', mutating: false });
    const done = (
      await scaler.wait(outcome.handle, { timeoutMs: 120_000, expectedDurationMs: 30_000 })
    )._unsafeUnwrap();
    expect(done).toMatchObject({
      replicas: 4,
      readyReplicas: 4,
      availableReplicas: 4,
      observedGeneration: 2,
    });
    // Three more pods at 10 s each: core's schedule looks at 0, 67, 85, 95 and 100 % of the 30 s expected.
    expect(emulator.clock.now() - start).toBe(30_000);
    expect(emulator.requests.count({ cloud: 'kubernetes', mutating: false }) - reads).toBeLessThanOrEqual(5);
  });

  it('sends nothing when the workload already has the replicas', async () => {
    const before = mutations();
    const outcome = (await scaler.ensure(checkout, 4))._unsafeUnwrap();
    expect(outcome).toMatchObject({ changed: false, before: { replicas: 4 } });
    expect(mutations()).toBe(before);
  });

  it('makes no mutating call on a dry run, but says it would change', async () => {
    const before = mutations();
    expect((await scaler.ensure(checkout, 6, { dryRun: true }))._unsafeUnwrap().changed).toBe(true);
    expect(mutations()).toBe(before);
    expect((await scaler.observe(checkout))._unsafeUnwrap().replicas).toBe(4);
  });

  it('with minReady, stops waiting once that many pods are ready', async () => {
    const outcome = (await scaler.ensure(checkout, 8))._unsafeUnwrap();
    const start = emulator.clock.now();
    const done = (
      await scaler.wait(outcome.handle, { timeoutMs: 120_000, minReady: 6, expectedDurationMs: 20_000 })
    )._unsafeUnwrap();
    expect(done.readyReplicas).toBe(6);
    expect(emulator.clock.now() - start).toBe(20_000);
  });

  it('times out as an error, never ok, when the rollout is not done by the deadline', async () => {
    const outcome = (await scaler.ensure(checkout, 12))._unsafeUnwrap();
    const error = (await scaler.wait(outcome.handle, { timeoutMs: 15_000 }))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'timeout', operation: 'waitForRollout' });
    expect(error.message).toMatch(/ready/);
  });

  it('undo restores the recorded replicas', async () => {
    (await scaler.undo(checkout, { replicas: 1 }))._unsafeUnwrap();
    expect((await scaler.observe(checkout))._unsafeUnwrap().replicas).toBe(1);
  });

  it('prechecks: a negative target or a missing workload fails before any change', async () => {
    const before = mutations();
    expect((await scaler.ensure(checkout, -1))._unsafeUnwrapErr().kind).toBe('invalid-input');
    const missing = { ...checkout, name: 'gone' };
    expect((await scaler.ensure(missing, 3))._unsafeUnwrapErr().kind).toBe('not-found');
    expect(mutations()).toBe(before);
  });

  it('rides out a throttled read while waiting', async () => {
    const outcome = (await scaler.ensure(checkout, 2))._unsafeUnwrap();
    emulator.faults.add({ fault: 'throttle', operation: 'readDeployment', times: 2 });
    expect((await scaler.wait(outcome.handle, { timeoutMs: 60_000 }))._unsafeUnwrap().readyReplicas).toBe(2);
  });
});

describe('StatefulSets and label selectors', () => {
  it('waits for a StatefulSet creating its pods one at a time', async () => {
    const outcome = (await scaler.ensure(ledger, 3))._unsafeUnwrap();
    const done = (await scaler.wait(outcome.handle, { timeoutMs: 120_000 }))._unsafeUnwrap();
    expect(done).toMatchObject({ replicas: 3, readyReplicas: 3, statusReplicas: 3 });
  });

  it('scales every workload a selector picks, each with its own before', async () => {
    const outcomes = (
      await scaler.ensureAll({ kind: 'Deployment', namespace: 'edge', labelSelector: 'tier=front' }, 3)
    )._unsafeUnwrap();
    expect(outcomes.map((o) => [o.handle.ref.name, o.before.replicas, o.changed])).toEqual([
      ['static', 2, true],
      ['web', 0, true],
    ]);
    expect(
      (await scaler.observe({ kind: 'Deployment', namespace: 'edge', name: 'api' }))._unsafeUnwrap().replicas,
    ).toBe(1);
  });

  it('fails as not-found when the selector picks nothing', async () => {
    const error = (
      await scaler.ensureAll({ kind: 'StatefulSet', namespace: 'edge', labelSelector: 'tier=front' }, 3)
    )._unsafeUnwrapErr();
    expect(error.kind).toBe('not-found');
  });
});
