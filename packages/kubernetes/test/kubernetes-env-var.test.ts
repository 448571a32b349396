import type { Emulator } from '@failover/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEnvVarSetter,
  createWorkloadScaler,
  type EnvVarsRef,
  type KubernetesEnvVarSetter,
  type KubernetesWorkloadScaler,
} from '../src/index.js';
import { connectToEmulator, emulatorTime, startKubernetesEmulator } from './kubernetes-emulator.js';

let emulator: Emulator;
let env: KubernetesEnvVarSetter;
let scaler: KubernetesWorkloadScaler;
const checkout: EnvVarsRef = { workload: { kind: 'Deployment', namespace: 'shop', name: 'checkout' } };

beforeAll(async () => {
  let server: string;
  ({ emulator, server } = await startKubernetesEmulator(
    {
      name: 'dr-west',
      workloads: [
        {
          kind: 'Deployment',
          name: 'checkout',
          namespace: 'shop',
          replicas: 3,
          env: { DB_HOST: 'db.us-east-1.internal', MODE: 'live' },
        },
      ],
    },
    { 'kubernetes.podReady': 10_000, 'kubernetes.controllerSync': 1_000 },
  ));
  const connection = connectToEmulator(server);
  env = createEnvVarSetter(connection);
  scaler = createWorkloadScaler(connection, { time: emulatorTime(emulator) });
});
afterAll(() => emulator.stop());

const mutations = () => emulator.requests.count({ cloud: 'kubernetes', mutating: true });

describe('setting a Deployment env var', () => {
  it('sets it, keeps the others, and the wait sees the whole rollout of the new template', async () => {
    const outcome = (await env.ensureEnv(checkout, { DB_HOST: 'db.us-west-2.internal' }))._unsafeUnwrap();
    expect(outcome).toMatchObject({
      changed: true,
      before: { container: 'checkout', env: { DB_HOST: 'db.us-east-1.internal', MODE: 'live' } },
      handle: { replicas: 3, generation: 2 },
    });
    const start = emulator.clock.now();
    const done = (
      await scaler.wait(outcome.handle, { timeoutMs: 120_000, expectedDurationMs: 30_000 })
    )._unsafeUnwrap();
    // Three pods replaced one at a time, 10 s each: not done while old pods remain.
    expect(emulator.clock.now() - start).toBe(30_000);
    expect(done).toMatchObject({ observedGeneration: 2, updatedReplicas: 3, statusReplicas: 3 });
    expect((await env.observe(checkout))._unsafeUnwrap().env).toEqual({
      DB_HOST: 'db.us-west-2.internal',
      MODE: 'live',
    });
  });

  it('sends nothing when already set or on a dry run; null removes a variable', async () => {
    const before = mutations();
    expect(
      (await env.ensureEnv(checkout, { DB_HOST: 'db.us-west-2.internal' }))._unsafeUnwrap().changed,
    ).toBe(false);
    expect((await env.ensureEnv(checkout, { MODE: null }, { dryRun: true }))._unsafeUnwrap().changed).toBe(
      true,
    );
    expect(mutations()).toBe(before);
    (await env.ensureEnv(checkout, { MODE: null }))._unsafeUnwrap();
    expect((await env.observe(checkout))._unsafeUnwrap().env).toEqual({ DB_HOST: 'db.us-west-2.internal' });
  });

  it('refuses a container that does not exist before any change', async () => {
    const before = mutations();
    const error = (await env.ensureEnv({ ...checkout, container: 'sidecar' }, { A: '1' }))._unsafeUnwrapErr();
    expect(error.kind).toBe('invalid-input');
    expect(mutations()).toBe(before);
  });
});
