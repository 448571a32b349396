import type { Emulator } from '@failover/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createHpaRaiser,
  createWorkloadScaler,
  type HpaRef,
  type KubernetesHpaRaiser,
  type KubernetesWorkloadScaler,
} from '../src/index.js';
import { connectToEmulator, emulatorTime, startKubernetesEmulator } from './kubernetes-emulator.js';

let emulator: Emulator;
let hpas: KubernetesHpaRaiser;
let scaler: KubernetesWorkloadScaler;
const checkout: HpaRef = { namespace: 'shop', name: 'checkout' };

beforeAll(async () => {
  let server: string;
  ({ emulator, server } = await startKubernetesEmulator(
    {
      name: 'dr-west',
      workloads: [{ kind: 'Deployment', name: 'checkout', namespace: 'shop', replicas: 2 }],
      hpas: [
        {
          name: 'checkout',
          namespace: 'shop',
          target: { kind: 'Deployment', name: 'checkout' },
          minReplicas: 2,
          maxReplicas: 10,
        },
      ],
    },
    { 'kubernetes.podReady': 10_000, 'kubernetes.hpaSync': 15_000 },
  ));
  const time = emulatorTime(emulator);
  const connection = connectToEmulator(server);
  hpas = createHpaRaiser(connection);
  scaler = createWorkloadScaler(connection, { time, pollIntervalMs: 1_000 });
});
afterAll(() => emulator.stop());

const mutations = () => emulator.requests.count({ cloud: 'kubernetes', mutating: true });

describe('raising an HPA minReplicas', () => {
  it('refuses a target above maxReplicas before any change', async () => {
    const before = mutations();
    expect((await hpas.ensureMinReplicas(checkout, 11))._unsafeUnwrapErr()).toMatchObject({
      kind: 'invalid-input',
      path: 'minReplicas',
    });
    expect(mutations()).toBe(before);
  });

  it('raises it; the HPA controller scales the Deployment at its next sync, and the wait sees the rollout through', async () => {
    const outcome = (await hpas.ensureMinReplicas(checkout, 5))._unsafeUnwrap();
    expect(outcome).toEqual({
      changed: true,
      before: { minReplicas: 2 },
      handle: { ref: { kind: 'Deployment', namespace: 'shop', name: 'checkout' }, replicas: 5 },
    });
    const start = emulator.clock.now();
    const done = (
      await scaler.wait(outcome.handle, { timeoutMs: 120_000, expectedDurationMs: 45_000 })
    )._unsafeUnwrap();
    expect(done).toMatchObject({ replicas: 5, readyReplicas: 5 });
    // 15 s until the HPA sync, then three pods at 10 s each.
    expect(emulator.clock.now() - start).toBeGreaterThanOrEqual(45_000);
    expect(emulator.clock.now() - start).toBeLessThanOrEqual(47_000);
  });

  it('never lowers it, and sends nothing when it is already high enough', async () => {
    const before = mutations();
    expect((await hpas.ensureMinReplicas(checkout, 3))._unsafeUnwrap()).toMatchObject({
      changed: false,
      before: { minReplicas: 5 },
    });
    expect(mutations()).toBe(before);
  });

  it('undo sets the recorded minReplicas back', async () => {
    (await hpas.undo(checkout, { minReplicas: 2 }))._unsafeUnwrap();
    expect((await hpas.observe(checkout))._unsafeUnwrap().minReplicas).toBe(2);
  });

  it('maps a missing HPA to not-found', async () => {
    expect((await hpas.observe({ namespace: 'shop', name: 'nope' }))._unsafeUnwrapErr().kind).toBe(
      'not-found',
    );
  });
});
