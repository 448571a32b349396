import type { FailoverResult, Time } from '@failover/core';
import { type Emulator, type EmulatorSeed, startEmulator } from '@failover/emulator';
import {
  connectionFromAccess,
  type KubernetesClusterAccess,
  type KubernetesConnection,
  kubernetesResources,
} from '@failover/kubernetes';

type ClusterSeed = NonNullable<NonNullable<EmulatorSeed['kubernetes']>['clusters']>[number];

/**
 * The emulator a cluster-access test reaches: the cloud's seed (the managed cluster) and the
 * cluster's API server, which serves the shop's checkout Deployment, on a stopped clock.
 */
export function startClusterEmulator(
  cloud: Omit<EmulatorSeed, 'kubernetes'>,
  cluster: Pick<ClusterSeed, 'name' | 'region' | 'auth'>,
): Promise<Emulator> {
  return startEmulator({
    timeScale: 0,
    durations: { 'kubernetes.podReady': 10_000 },
    seed: {
      ...cloud,
      kubernetes: {
        clusters: [
          {
            ...cluster,
            workloads: [{ kind: 'Deployment', name: 'checkout', namespace: 'shop', replicas: 1 }],
          },
        ],
      },
    },
  });
}

/** The kubernetes resources provider over a connection made from `access`. */
export function resourcesThrough(access: KubernetesClusterAccess, time: Time) {
  return kubernetesResources({ connection: connectionFromAccess(access, { time }), time });
}

/** A read of the shop's checkout Deployment through `connection`. */
export function readCheckout(connection: KubernetesConnection): FailoverResult<unknown> {
  return connection.call('readNamespacedDeployment', () =>
    connection.apps().readNamespacedDeployment({ namespace: 'shop', name: 'checkout' }),
  );
}

/**
 * A read of the checkout Deployment through `access`'s endpoint, with `token` (never expiring)
 * sent in place of the token `access` issues (which is still asked for).
 */
export function readCheckoutWithToken(
  access: KubernetesClusterAccess,
  token: string,
  time: Time,
): FailoverResult<unknown> {
  return readCheckout(
    connectionFromAccess(
      {
        cluster: access.cluster,
        endpoint: () => access.endpoint(),
        token: () => access.token().map(() => ({ token, expiresAt: Number.MAX_SAFE_INTEGER })),
      },
      { time },
    ),
  );
}

/**
 * A cluster access whose tokens are counted, and a read of the shop's checkout
 * Deployment through it: what the EKS, AKS and GKE renewal tests each drive.
 */
export function countedTokenReads(
  access: KubernetesClusterAccess,
  time: Time,
): { issued: string[]; read: () => FailoverResult<unknown> } {
  const issued: string[] = [];
  const connection = connectionFromAccess(
    {
      ...access,
      token: (options) =>
        access.token(options).map((token) => {
          issued.push(token.token);
          return token;
        }),
    },
    { time },
  );
  return { issued, read: () => readCheckout(connection) };
}
