import { err, FailoverError, ok, type Result } from '@failover/core';
import { kubernetesProvider } from './kubernetes-connection.js';

/** Replicas as an absolute count, or as a percentage of the source cluster's recorded replicas. */
export type ReplicaTarget = { replicas: number } | { percent: number; ofRecorded: number };

/**
 * The absolute replica count a target means. A percentage rounds up, so 50 %
 * of 3 is 2 and any non-zero percentage of a running workload keeps a pod.
 */
export function resolveReplicaTarget(target: ReplicaTarget): Result<number, FailoverError> {
  if ('replicas' in target) {
    return Number.isInteger(target.replicas) && target.replicas >= 0
      ? ok(target.replicas)
      : err(invalid(`replicas must be a non-negative integer, not ${target.replicas}`, 'replicas'));
  }
  if (!Number.isFinite(target.percent) || target.percent < 0)
    return err(invalid(`percent must be a non-negative number, not ${target.percent}`, 'percent'));
  if (!Number.isInteger(target.ofRecorded) || target.ofRecorded < 0)
    return err(
      invalid(`the recorded replicas must be a non-negative integer, not ${target.ofRecorded}`, 'ofRecorded'),
    );
  // Round away float noise first: 110 % of 10 is 11.000000000000002.
  const exact = Math.round(((target.percent * target.ofRecorded) / 100) * 1e9) / 1e9;
  return ok(Math.ceil(exact));
}

function invalid(message: string, path: string): FailoverError {
  return new FailoverError({
    kind: 'invalid-input',
    message,
    provider: kubernetesProvider,
    operation: 'precheck',
    path,
  });
}
