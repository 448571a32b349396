import type { FailoverResult, Time } from '@failover/core';
import { connectionFromAccess, type KubernetesClusterAccess } from '@failover/kubernetes';

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
  const read = () =>
    connection.call('readNamespacedDeployment', () =>
      connection.apps().readNamespacedDeployment({ namespace: 'shop', name: 'checkout' }),
    );
  return { issued, read };
}
