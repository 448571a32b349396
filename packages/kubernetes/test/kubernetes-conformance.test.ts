import type { ResourceJson } from '@failover/core';
import { type Emulator, type KubernetesSeed, startEmulator } from '@failover/emulator';
import { runResourceProviderConformance } from '@failover/testing/conformance';
import { kubernetesResources } from '../src/index.js';
import { connectToEmulator } from './kubernetes-emulator.js';

// The resource conformance suite against the emulated API server through the real
// @kubernetes/client-node, once per kind the provider handles. Reads are not retried
// inside a call (no deadline is passed): the kit checks throttling surfaces as an error.

type Cluster = NonNullable<KubernetesSeed['clusters']>[number];

const world: Cluster = {
  name: 'dr-west',
  workloads: [
    { kind: 'Deployment', name: 'checkout', namespace: 'shop', replicas: 2, env: { DB_HOST: 'db-east' } },
    { kind: 'StatefulSet', name: 'ledger', namespace: 'shop', replicas: 1, labels: { tier: 'data' } },
  ],
  hpas: [
    {
      name: 'checkout',
      namespace: 'shop',
      target: { kind: 'Deployment', name: 'checkout' },
      minReplicas: 2,
      maxReplicas: 8,
    },
  ],
  configMaps: [{ namespace: 'shop', name: 'settings', data: { DB_HOST: 'db-east' } }],
  velero: { backups: [{ name: 'hourly-1', schedule: 'hourly', completedAgoMs: 20 * 60_000 }] },
};

/** The emulator operation each provider method's first request is. */
function suite(
  name: string,
  fixture: {
    resource: ResourceJson;
    seeded: ResourceJson;
    change: ResourceJson;
    missing: ResourceJson;
    refusals?: Array<{ title: string; kind: 'invalid-input'; desired: () => ResourceJson }>;
    conditions?: { holds: ResourceJson; fails: ResourceJson };
  },
  operations: { read: string; mutate: string },
) {
  runResourceProviderConformance({
    name: `kubernetes ${name} on the emulator`,
    timeouts: { retryAfterMs: 2_000 },
    async setup() {
      const emulator: Emulator = await startEmulator({
        // A scaled clock: the executor cases run several waits at once.
        timeScale: 100,
        durations: { 'kubernetes.podReady': 10_000, 'kubernetes.hpaSync': 15_000 },
        seed: { kubernetes: { clusters: [world] } },
      });
      const connection = connectToEmulator(`${emulator.endpoint('kubernetes.apps')}/dr-west`);
      return {
        provider: kubernetesResources({ connection, time: emulator.clock, podReadyMs: 10_000 }),
        fixture,
        faults: {
          throttle: (operation, options) => {
            emulator.faults.add({
              fault: 'throttle',
              service: 'kubernetes.apps',
              operation: operation === 'ensureResource' ? operations.read : operations.read,
              times: options.count,
              retryAfterSeconds: options.retryAfterMs / 1000,
            });
          },
          loseAnswer: () => {
            emulator.faults.add({
              fault: 'applied-then-500',
              service: 'kubernetes.apps',
              operation: operations.mutate,
              times: 1,
            });
          },
        },
        mutatingCalls: () => emulator.requests.count({ cloud: 'kubernetes', mutating: true }),
        time: emulator.clock,
        teardown: () => emulator.stop(),
      };
    },
  });
}

suite(
  'Deployment scale',
  {
    resource: { kind: 'Deployment', namespace: 'shop', name: 'checkout' },
    seeded: { replicas: 2 },
    change: { replicas: 4 },
    missing: { kind: 'Deployment', namespace: 'shop', name: 'gone' },
    refusals: [{ title: 'negative replicas', kind: 'invalid-input', desired: () => ({ replicas: -1 }) }],
  },
  { read: 'readDeployment', mutate: 'patchDeploymentScale' },
);

suite(
  'Deployment env var',
  {
    resource: { kind: 'Deployment', namespace: 'shop', name: 'checkout' },
    seeded: { env: { DB_HOST: 'db-east' } },
    change: { env: { DB_HOST: 'db-west' } },
    missing: { kind: 'Deployment', namespace: 'shop', name: 'gone' },
  },
  { read: 'readDeployment', mutate: 'patchDeployment' },
);

suite(
  'StatefulSet by label selector',
  {
    resource: { kind: 'StatefulSet', namespace: 'shop', labelSelector: 'tier=data' },
    seeded: { replicas: 1 },
    change: { replicas: 3 },
    missing: { kind: 'StatefulSet', namespace: 'shop', labelSelector: 'tier=none' },
  },
  { read: 'listStatefulSet', mutate: 'patchStatefulSetScale' },
);

suite(
  'HPA minReplicas',
  {
    resource: { kind: 'HorizontalPodAutoscaler', namespace: 'shop', name: 'checkout' },
    seeded: { minReplicas: 2 },
    change: { minReplicas: 4 },
    missing: { kind: 'HorizontalPodAutoscaler', namespace: 'shop', name: 'gone' },
    refusals: [{ title: 'above maxReplicas', kind: 'invalid-input', desired: () => ({ minReplicas: 9 }) }],
  },
  { read: 'readHorizontalPodAutoscaler', mutate: 'patchHorizontalPodAutoscaler' },
);

suite(
  'ConfigMap key with a rollout',
  {
    resource: {
      kind: 'ConfigMap',
      namespace: 'shop',
      name: 'settings',
      rollout: [{ kind: 'Deployment', name: 'checkout' }],
    },
    seeded: { data: { DB_HOST: 'db-east' } },
    change: { data: { DB_HOST: 'db-west' } },
    missing: { kind: 'ConfigMap', namespace: 'shop', name: 'gone' },
  },
  // Its ensure makes two changes (the data, then the readers' template stamp); the kit's lost
  // answer is the last one's. The data patch's lost answer is in kubernetes-resources.test.ts.
  { read: 'readConfigMap', mutate: 'patchDeployment' },
);
