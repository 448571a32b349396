import {
  AppsV1Api,
  AutoscalingV2Api,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  type V1DeploymentCondition,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';

let emulator: Emulator;
let apps: AppsV1Api;
let autoscaling: AutoscalingV2Api;
const namespace = 'shop';
const podReadyMs = 10_000;
const syncMs = 1_000;

beforeAll(async () => {
  emulator = await startEmulator({
    timeScale: 0,
    durations: { 'kubernetes.podReady': podReadyMs, 'kubernetes.controllerSync': syncMs },
    seed: {
      kubernetes: {
        clusters: [
          {
            name: 'dr-west',
            workloads: [
              { kind: 'Deployment', name: 'cart', namespace, replicas: 4 },
              { kind: 'Deployment', name: 'queue', namespace, replicas: 1 },
              { kind: 'Deployment', name: 'search', namespace, replicas: 2 },
              { kind: 'StatefulSet', name: 'ledger', namespace, replicas: 3 },
              { kind: 'Deployment', name: 'orders', namespace, replicas: 1 },
            ],
            hpas: [
              { name: 'orders', namespace, target: { kind: 'Deployment', name: 'orders' }, maxReplicas: 5 },
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
  apps = config.makeApiClient(AppsV1Api);
  autoscaling = config.makeApiClient(AutoscalingV2Api);
});
afterAll(() => emulator.stop());

const second = (ms: number) => Math.floor(ms / 1000) * 1000;

async function conditions(name: string) {
  const deployment = await apps.readNamespacedDeployment({ name, namespace });
  const byType = (type: string) => {
    const c = deployment.status?.conditions?.find((x) => x.type === type) as V1DeploymentCondition;
    return {
      status: c.status,
      reason: c.reason,
      message: c.message,
      updated: c.lastUpdateTime?.getTime(),
      transition: c.lastTransitionTime?.getTime(),
    };
  };
  return {
    types: deployment.status?.conditions?.map((c) => c.type),
    available: byType('Available'),
    progressing: byType('Progressing'),
    ready: deployment.status?.readyReplicas,
  };
}

const scale = (name: string, replicas: number) =>
  apps.patchNamespacedDeploymentScale(
    { name, namespace, body: { spec: { replicas } } },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );

describe('Deployment status.conditions, as the deployment controller sets them', () => {
  it('follows a scale-up: Available drops below the minimum then returns, Progressing moves only lastUpdateTime', async () => {
    const before = await conditions('cart');
    expect(before.types).toEqual(['Available', 'Progressing']);
    expect(before.available).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable' });
    expect(before.progressing).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable' });
    expect(before.progressing.message).toMatch(/^ReplicaSet "cart-[0-9a-f]+" has successfully progressed\.$/);
    const created = before.progressing.transition as number;

    const t0 = emulator.clock.now();
    await scale('cart', 8);
    // Not observed yet: the conditions are those of the previous generation.
    expect(await conditions('cart')).toEqual(before);

    emulator.clock.advance(syncMs);
    const observed = await conditions('cart');
    // maxUnavailable 25 % of 8 = 2: 4 ready < 6.
    expect(observed.available).toMatchObject({
      status: 'False',
      reason: 'MinimumReplicasUnavailable',
      transition: second(t0 + syncMs),
    });
    expect(observed.progressing).toMatchObject({
      status: 'True',
      reason: 'ReplicaSetUpdated',
      updated: second(t0 + syncMs),
      transition: created,
    });

    emulator.clock.advance(2 * podReadyMs - syncMs);
    const halfway = await conditions('cart');
    expect(halfway.ready).toBe(6);
    expect(halfway.available).toMatchObject({ status: 'True', transition: second(t0 + 2 * podReadyMs) });
    expect(halfway.progressing).toMatchObject({
      reason: 'ReplicaSetUpdated',
      updated: second(t0 + 2 * podReadyMs),
    });

    emulator.clock.advance(2 * podReadyMs);
    const done = await conditions('cart');
    expect(done.progressing).toMatchObject({
      status: 'True',
      reason: 'NewReplicaSetAvailable',
      updated: second(t0 + 4 * podReadyMs),
      transition: created,
    });
  });

  it('a template change creates a new ReplicaSet: NewReplicaSetCreated, then ReplicaSetUpdated, then NewReplicaSetAvailable', async () => {
    const oldName = (await conditions('search')).progressing.message;
    await apps.patchNamespacedDeployment(
      {
        name: 'search',
        namespace,
        body: { spec: { template: { metadata: { annotations: { restartedAt: 'now' } } } } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    emulator.clock.advance(syncMs);
    const created = await conditions('search');
    expect(created.progressing.reason).toBe('NewReplicaSetCreated');
    expect(created.progressing.message).toMatch(/^Created new replica set "search-[0-9a-f]+"$/);
    expect(created.progressing.message).not.toContain(String(/"(.*)"/.exec(oldName ?? '')?.[1]));
    expect(created.available.status).toBe('True');
    emulator.clock.advance(podReadyMs);
    expect((await conditions('search')).progressing.reason).toBe('ReplicaSetUpdated');
    emulator.clock.advance(podReadyMs);
    expect((await conditions('search')).progressing.reason).toBe('NewReplicaSetAvailable');
  });

  it('a scale under a `stuck` fault never gets its pods ready: ProgressDeadlineExceeded after 600 s; a later scale recovers', async () => {
    emulator.faults.add({
      fault: 'stuck',
      service: 'kubernetes.apps',
      operation: 'patchDeploymentScale',
      times: 1,
    });
    const t0 = emulator.clock.now();
    await scale('queue', 3);
    emulator.clock.advance(syncMs + 300_000);
    const waiting = await conditions('queue');
    expect(waiting.ready).toBe(1);
    expect(waiting.progressing).toMatchObject({ status: 'True', reason: 'ReplicaSetUpdated' });
    emulator.clock.advance(301_000);
    const timedOut = await conditions('queue');
    expect(timedOut.ready).toBe(1);
    expect(timedOut.progressing).toMatchObject({
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
      transition: second(t0 + syncMs + 600_000),
    });

    await scale('queue', 2);
    emulator.clock.advance(syncMs + podReadyMs);
    const recovered = await conditions('queue');
    expect(recovered.ready).toBe(2);
    expect(recovered.progressing).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable' });
  });

  it('an HPA raise under a `stuck` fault scales the target, whose new pods never become ready', async () => {
    emulator.faults.add({
      fault: 'stuck',
      service: 'kubernetes.apps',
      operation: 'patchHorizontalPodAutoscaler',
      times: 1,
    });
    await autoscaling.patchNamespacedHorizontalPodAutoscaler(
      { name: 'orders', namespace, body: { spec: { minReplicas: 3 } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    emulator.clock.advance(15_000 + syncMs + 10 * podReadyMs);
    const deployment = await apps.readNamespacedDeployment({ name: 'orders', namespace });
    expect(deployment.spec?.replicas).toBe(3);
    expect(deployment.status?.readyReplicas).toBe(1);
  });

  it('a StatefulSet reports its revisions and counts, and no conditions', async () => {
    const { status } = await apps.readNamespacedStatefulSet({ name: 'ledger', namespace });
    expect(status).toMatchObject({ replicas: 3, readyReplicas: 3, currentReplicas: 3, updatedReplicas: 3 });
    expect(status?.currentRevision).toMatch(/^ledger-[0-9a-f]+$/);
    expect(status?.updateRevision).toBe(status?.currentRevision);
    expect(status?.conditions).toBeUndefined();
  });
});
