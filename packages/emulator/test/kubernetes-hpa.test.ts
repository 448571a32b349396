import {
  AppsV1Api,
  AutoscalingV2Api,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';

let emulator: Emulator;
let autoscaling: AutoscalingV2Api;
let apps: AppsV1Api;
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

beforeAll(async () => {
  emulator = await startEmulator({
    timeScale: 0,
    durations: { 'kubernetes.hpaSync': 15_000 },
    seed: {
      kubernetes: {
        clusters: [
          {
            name: 'dr-west',
            workloads: [{ kind: 'Deployment', name: 'checkout', namespace: 'shop', replicas: 2 }],
            hpas: [
              {
                name: 'checkout',
                namespace: 'shop',
                target: { kind: 'Deployment', name: 'checkout' },
                maxReplicas: 6,
              },
            ],
          },
        ],
      },
    },
  });
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: 'c', server: `${emulator.endpoint('kubernetes.apps')}/dr-west`, skipTLSVerify: true }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  autoscaling = config.makeApiClient(AutoscalingV2Api);
  apps = config.makeApiClient(AppsV1Api);
});
afterAll(() => emulator.stop());

describe('autoscaling/v2 HorizontalPodAutoscalers', () => {
  it('reads an HPA with a defaulted minReplicas and its target', async () => {
    const hpa = await autoscaling.readNamespacedHorizontalPodAutoscaler({
      name: 'checkout',
      namespace: 'shop',
    });
    expect(hpa.spec).toMatchObject({
      minReplicas: 1,
      maxReplicas: 6,
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'checkout' },
    });
    expect(hpa.status).toMatchObject({ currentReplicas: 2, desiredReplicas: 2 });
  });

  it('rejects minReplicas above maxReplicas with 422 and keeps the spec', async () => {
    await expect(
      autoscaling.patchNamespacedHorizontalPodAutoscaler(
        { name: 'checkout', namespace: 'shop', body: { spec: { minReplicas: 7 } } },
        mergePatch,
      ),
    ).rejects.toMatchObject({ code: 422 });
    expect(
      (await autoscaling.readNamespacedHorizontalPodAutoscaler({ name: 'checkout', namespace: 'shop' })).spec
        ?.minReplicas,
    ).toBe(1);
  });

  it('scales the target up to a raised minReplicas at the next controller sync, not before', async () => {
    await autoscaling.patchNamespacedHorizontalPodAutoscaler(
      { name: 'checkout', namespace: 'shop', body: { spec: { minReplicas: 4 } } },
      mergePatch,
    );
    const read = async () =>
      (await apps.readNamespacedDeployment({ name: 'checkout', namespace: 'shop' })).spec?.replicas;
    expect(await read()).toBe(2);
    emulator.clock.advance(14_000);
    expect(await read()).toBe(2);
    emulator.clock.advance(1_000);
    expect(await read()).toBe(4);
    const hpa = await autoscaling.readNamespacedHorizontalPodAutoscaler({
      name: 'checkout',
      namespace: 'shop',
    });
    expect(hpa.status?.desiredReplicas).toBe(4);
    expect(hpa.status?.lastScaleTime).toBeInstanceOf(Date);
  });
});
