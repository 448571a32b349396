import { AppsV1Api, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';

let emulator: Emulator;
let apps: AppsV1Api;

beforeAll(async () => {
  emulator = await startEmulator({
    timeScale: 0,
    durations: { 'kubernetes.podReady': 10_000 },
    seed: {
      kubernetes: {
        clusters: [
          {
            name: 'dr-west',
            workloads: [
              { kind: 'Deployment', name: 'checkout', namespace: 'shop', replicas: 2 },
              { kind: 'StatefulSet', name: 'ledger', namespace: 'shop', replicas: 1 },
              { kind: 'Deployment', name: 'web', namespace: 'edge', replicas: 1, labels: { tier: 'front' } },
              { kind: 'Deployment', name: 'api', namespace: 'edge', replicas: 1, labels: { tier: 'back' } },
            ],
          },
        ],
      },
    },
  });
  apps = clientFor('dr-west', 'test-token');
});
afterAll(() => emulator.stop());

function clientFor(cluster: string, token: string): AppsV1Api {
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [
      { name: cluster, server: `${emulator.endpoint('kubernetes.apps')}/${cluster}`, skipTLSVerify: true },
    ],
    users: [{ name: 'drill', token }],
    contexts: [{ name: 'drill', cluster, user: 'drill' }],
    currentContext: 'drill',
  });
  return config.makeApiClient(AppsV1Api);
}

describe('Kubernetes apps/v1 through @kubernetes/client-node', () => {
  it('reads a deployment with its ready replicas', async () => {
    const deployment = await apps.readNamespacedDeployment({ name: 'checkout', namespace: 'shop' });
    expect(deployment.spec?.replicas).toBe(2);
    expect(deployment.status?.readyReplicas).toBe(2);
  });

  it('scales a deployment through the scale subresource; pods become ready over time', async () => {
    await apps.patchNamespacedDeploymentScale(
      { name: 'checkout', namespace: 'shop', body: { spec: { replicas: 5 } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const scale = await apps.readNamespacedDeploymentScale({ name: 'checkout', namespace: 'shop' });
    expect(scale.spec?.replicas).toBe(5);
    expect(
      (await apps.readNamespacedDeployment({ name: 'checkout', namespace: 'shop' })).status?.readyReplicas,
    ).toBe(2);
    emulator.clock.advance(20_000);
    expect(
      (await apps.readNamespacedDeployment({ name: 'checkout', namespace: 'shop' })).status?.readyReplicas,
    ).toBe(4);
    emulator.clock.advance(10_000);
    expect(
      (await apps.readNamespacedDeployment({ name: 'checkout', namespace: 'shop' })).status?.readyReplicas,
    ).toBe(5);
    expect(emulator.requests.count({ cloud: 'kubernetes', mutating: true })).toBe(1);
  });

  it('replaces a statefulset scale and lists workloads', async () => {
    await apps.replaceNamespacedStatefulSetScale({
      name: 'ledger',
      namespace: 'shop',
      body: {
        apiVersion: 'autoscaling/v1',
        kind: 'Scale',
        metadata: { name: 'ledger', namespace: 'shop' },
        spec: { replicas: 0 },
      },
    });
    const list = await apps.listNamespacedStatefulSet({ namespace: 'shop' });
    expect(
      list.items.map((item) => [item.metadata?.name, item.spec?.replicas, item.status?.readyReplicas]),
      // readyReplicas is omitempty in StatefulSetStatus: zero is absent, not 0.
    ).toEqual([['ledger', 0, undefined]]);
  });

  it('answers a missing workload with a NotFound Status', async () => {
    await expect(apps.readNamespacedDeployment({ name: 'nope', namespace: 'shop' })).rejects.toMatchObject({
      code: 404,
    });
    const raw = await fetch(
      `${emulator.endpoint('kubernetes.apps')}/dr-west/apis/apps/v1/namespaces/shop/deployments/nope`,
      {
        headers: { authorization: 'Bearer t' },
      },
    );
    expect(await raw.json()).toMatchObject({ kind: 'Status', reason: 'NotFound', code: 404 });
  });

  it('rejects an invalid replica count with 422 and changes nothing', async () => {
    const response = await fetch(
      `${emulator.endpoint('kubernetes.apps')}/dr-west/apis/apps/v1/namespaces/shop/deployments/checkout/scale`,
      {
        method: 'PUT',
        headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
        body: JSON.stringify({ spec: { replicas: -1 } }),
      },
    );
    expect(response.status).toBe(422);
    expect(
      (await apps.readNamespacedDeploymentScale({ name: 'checkout', namespace: 'shop' })).spec?.replicas,
    ).toBe(5);
  });

  it('requires a bearer token', async () => {
    const response = await fetch(
      `${emulator.endpoint('kubernetes.apps')}/dr-west/apis/apps/v1/namespaces/shop/deployments`,
    );
    expect(response.status).toBe(401);
  });

  it('lists by equality label selector and rejects a selector it cannot parse', async () => {
    const list = await apps.listNamespacedDeployment({ namespace: 'edge', labelSelector: 'tier=front' });
    expect(list.items.map((item) => item.metadata?.name)).toEqual(['web']);
    await expect(
      apps.listNamespacedDeployment({ namespace: 'edge', labelSelector: 'tier in (front' }),
    ).rejects.toMatchObject({ code: 400 });
  });

  it('refuses a scale carrying a stale resourceVersion with 409 Conflict', async () => {
    const scale = await apps.readNamespacedDeploymentScale({ name: 'api', namespace: 'edge' });
    const stale = scale.metadata?.resourceVersion as string;
    await apps.replaceNamespacedDeploymentScale({
      name: 'api',
      namespace: 'edge',
      body: { metadata: { name: 'api', resourceVersion: stale }, spec: { replicas: 2 } },
    });
    await expect(
      apps.replaceNamespacedDeploymentScale({
        name: 'api',
        namespace: 'edge',
        body: { metadata: { name: 'api', resourceVersion: stale }, spec: { replicas: 9 } },
      }),
    ).rejects.toMatchObject({ code: 409 });
    expect(
      (await apps.readNamespacedDeploymentScale({ name: 'api', namespace: 'edge' })).spec?.replicas,
    ).toBe(2);
  });

  it('reports the old generation until the controller observes the change, then rollout progress', async () => {
    await apps.patchNamespacedDeploymentScale(
      { name: 'web', namespace: 'edge', body: { spec: { replicas: 3 } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const fresh = await apps.readNamespacedDeployment({ name: 'web', namespace: 'edge' });
    expect(fresh.metadata?.generation).toBe(2);
    expect(fresh.status).toMatchObject({ observedGeneration: 1, replicas: 1, readyReplicas: 1 });
    emulator.clock.advance(1_000);
    const observed = await apps.readNamespacedDeployment({ name: 'web', namespace: 'edge' });
    expect(observed.status).toMatchObject({
      observedGeneration: 2,
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 1,
      availableReplicas: 1,
      unavailableReplicas: 2,
    });
  });

  it('creates StatefulSet pods one at a time (OrderedReady)', async () => {
    await apps.patchNamespacedStatefulSetScale(
      { name: 'ledger', namespace: 'shop', body: { spec: { replicas: 3 } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    emulator.clock.advance(1_000);
    const status = (await apps.readNamespacedStatefulSet({ name: 'ledger', namespace: 'shop' })).status;
    expect(status).toMatchObject({ observedGeneration: 3, replicas: 1, availableReplicas: 0 });
    expect(status?.readyReplicas).toBeUndefined();
  });
});
