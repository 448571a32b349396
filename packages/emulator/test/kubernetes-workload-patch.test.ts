import { AppsV1Api, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';

let emulator: Emulator;
let apps: AppsV1Api;
const checkout = { name: 'checkout', namespace: 'shop' };
const strategic = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);
const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

beforeAll(async () => {
  emulator = await startEmulator({
    timeScale: 0,
    durations: { 'kubernetes.podReady': 10_000, 'kubernetes.controllerSync': 1_000 },
    seed: {
      kubernetes: {
        clusters: [
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
              { kind: 'StatefulSet', name: 'ledger', namespace: 'shop', replicas: 2 },
            ],
          },
        ],
      },
    },
  });
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: 'c', server: `${emulator.endpoint('kubernetes.apps')}/dr-west`, skipTLSVerify: true }],
    users: [{ name: 'u', token: 'test-token' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  apps = config.makeApiClient(AppsV1Api);
});
afterAll(() => emulator.stop());

const envOf = async () =>
  (await apps.readNamespacedDeployment(checkout)).spec?.template.spec?.containers[0]?.env ?? [];

describe('patching a Deployment', () => {
  it('a strategic merge patch merges the container and its env by name, and starts a rollout', async () => {
    const patched = await apps.patchNamespacedDeployment(
      {
        ...checkout,
        body: {
          spec: {
            template: {
              spec: {
                containers: [
                  { name: 'checkout', env: [{ name: 'DB_HOST', value: 'db.us-west-2.internal' }] },
                ],
              },
            },
          },
        },
      },
      strategic,
    );
    expect(patched.metadata?.generation).toBe(2);
    expect(await envOf()).toEqual([
      { name: 'DB_HOST', value: 'db.us-west-2.internal' },
      { name: 'MODE', value: 'live' },
    ]);
    // Before the controller observes it, the status is the old generation's.
    expect((await apps.readNamespacedDeployment(checkout)).status).toMatchObject({
      observedGeneration: 1,
      updatedReplicas: 3,
    });
    emulator.clock.advance(10_000);
    // One new pod ready, one surging: 4 pods, 2 of them updated.
    expect((await apps.readNamespacedDeployment(checkout)).status).toMatchObject({
      observedGeneration: 2,
      replicas: 4,
      updatedReplicas: 2,
      readyReplicas: 3,
    });
    emulator.clock.advance(20_000);
    expect((await apps.readNamespacedDeployment(checkout)).status).toMatchObject({
      observedGeneration: 2,
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
    });
  });

  it('$patch: delete removes one env entry; a patch that changes nothing keeps the generation', async () => {
    await apps.patchNamespacedDeployment(
      {
        ...checkout,
        body: {
          spec: {
            template: {
              spec: { containers: [{ name: 'checkout', env: [{ name: 'MODE', $patch: 'delete' }] }] },
            },
          },
        },
      },
      strategic,
    );
    expect(await envOf()).toEqual([{ name: 'DB_HOST', value: 'db.us-west-2.internal' }]);
    const generation = (await apps.readNamespacedDeployment(checkout)).metadata?.generation;
    await apps.patchNamespacedDeployment(
      {
        ...checkout,
        body: {
          spec: {
            template: {
              spec: {
                containers: [
                  { name: 'checkout', env: [{ name: 'DB_HOST', value: 'db.us-west-2.internal' }] },
                ],
              },
            },
          },
        },
      },
      strategic,
    );
    expect((await apps.readNamespacedDeployment(checkout)).metadata?.generation).toBe(generation);
  });

  it('a JSON merge patch replaces the containers list whole', async () => {
    await apps.patchNamespacedDeployment(
      {
        ...checkout,
        body: { spec: { template: { metadata: { annotations: { 'example.com/restartedAt': 't1' } } } } },
      },
      merge,
    );
    const template = (await apps.readNamespacedDeployment(checkout)).spec?.template;
    expect(template?.metadata?.annotations).toEqual({ 'example.com/restartedAt': 't1' });
    await apps.patchNamespacedDeployment(
      {
        ...checkout,
        body: { spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'x:1' }] } } } },
      },
      merge,
    );
    const containers = (await apps.readNamespacedDeployment(checkout)).spec?.template.spec?.containers;
    expect(containers?.map((c) => c.name)).toEqual(['sidecar']);
  });

  it('refuses a stale resourceVersion with 409 Conflict, and a JSON patch with 415', async () => {
    const conflict = await apps
      .patchNamespacedDeployment(
        { ...checkout, body: { metadata: { resourceVersion: '1' }, spec: { replicas: 5 } } },
        merge,
      )
      .catch((error: { code?: number }) => error);
    expect((conflict as { code?: number }).code).toBe(409);
    const media = await apps
      .patchNamespacedDeployment(
        { ...checkout, body: [{ op: 'replace', path: '/spec/replicas', value: 5 }] },
        setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
      )
      .catch((error: { code?: number }) => error);
    expect((media as { code?: number }).code).toBe(415);
    expect((await apps.readNamespacedDeployment(checkout)).spec?.replicas).toBe(3);
  });

  it('a StatefulSet rolls its pods over one at a time, with a new updateRevision', async () => {
    const ledger = { name: 'ledger', namespace: 'shop' };
    await apps.patchNamespacedStatefulSet(
      {
        ...ledger,
        body: {
          spec: {
            template: { spec: { containers: [{ name: 'ledger', env: [{ name: 'A', value: '1' }] }] } },
          },
        },
      },
      strategic,
    );
    emulator.clock.advance(1_000);
    const rolling = (await apps.readNamespacedStatefulSet(ledger)).status;
    expect(rolling?.updateRevision).not.toBe(rolling?.currentRevision);
    expect(rolling?.updatedReplicas ?? 0).toBe(0);
    emulator.clock.advance(20_000);
    const done = (await apps.readNamespacedStatefulSet(ledger)).status;
    expect(done).toMatchObject({ updatedReplicas: 2, readyReplicas: 2, observedGeneration: 2 });
    expect(done?.updateRevision).toBe(done?.currentRevision);
  });
});
