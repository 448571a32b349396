import type { AgentPool } from '@azure/arm-containerservice';
import { FailoverError, type NodePool, type NodePoolDesiredState, type NodePoolRef } from '@failover/core';

/** AKS's per-pool node limit; a pool without autoscaler is bounded by it (and by 1 for System pools). */
export const aksMaxCount = 1000;

const scalingStates = new Set([
  'creating',
  'updating',
  'scaling',
  'upgrading',
  'starting',
  'stopping',
  'deleting',
  'migrating',
]);

/**
 * An agent pool as a `NodePool`. ARM reports no ready-node count, so `ready`
 * is the count once the pool is `Succeeded` and `Running`, and 0 while an
 * update runs or the pool is stopped or failed (under-reporting is the safe
 * side for a readiness check; only the cluster's Kubernetes API counts Ready nodes,
 * and no adapter reads it yet).
 * A pool without autoscaler reports AKS's limits as its bounds.
 */
export function toNodePool(ref: NodePoolRef, pool: AgentPool): NodePool {
  const state = pool.provisioningState ?? '';
  const running = (pool.powerState?.code ?? 'Running') === 'Running';
  const succeeded = state === 'Succeeded';
  const autoscaling = pool.enableAutoScaling === true;
  const count = pool.count ?? 0;
  const floor = pool.mode === 'System' ? 1 : 0;
  return {
    cluster: ref.cluster,
    pool: ref.pool,
    ...(ref.region !== undefined && { region: ref.region }),
    desired: count,
    min: autoscaling ? (pool.minCount ?? floor) : floor,
    max: autoscaling ? (pool.maxCount ?? aksMaxCount) : aksMaxCount,
    ready: succeeded && running ? count : 0,
    autoscaling,
    status: succeeded
      ? running
        ? 'ready'
        : 'degraded'
      : state === 'Failed' || state === 'Canceled'
        ? 'degraded'
        : scalingStates.has(state.toLowerCase())
          ? 'scaling'
          : 'unknown',
    rawStatus: `${state || 'Unknown'}/${pool.powerState?.code ?? 'Unknown'}`,
  };
}

/** Rejects sizes that are not non-negative integers, before any request. */
export function checkSizeShape(desired: NodePoolDesiredState, provider: string): void {
  if (typeof desired !== 'object' || desired === null || Array.isArray(desired)) {
    throw invalid('The desired sizes must be an object with desired, min and/or max.', '', provider);
  }
  for (const field of ['desired', 'min', 'max'] as const) {
    const value = desired[field];
    if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
      throw invalid(`${field} must be a non-negative integer, not ${String(value)}.`, field, provider);
    }
  }
}

/**
 * The sizes to write: unnamed ones stay as they are, and the result must hold
 * `min <= desired <= max`. On an autoscaled pool `min`/`max` move the
 * autoscaler's bounds and `desired` sets the count inside them (AKS rejects a
 * count outside them); a pool without autoscaler has no bounds to move.
 */
export function resolvePoolSize(
  current: NodePool,
  desired: NodePoolDesiredState,
  provider: string,
): { desired: number; min: number; max: number } {
  if (!current.autoscaling && (desired.min !== undefined || desired.max !== undefined)) {
    const sameBounds =
      (desired.min === undefined || desired.min === current.min) &&
      (desired.max === undefined || desired.max === current.max);
    if (!sameBounds) {
      throw invalid(
        `Pool ${current.pool} has no autoscaler, so it has no min/max to set (its limits are ${current.min}-${current.max}). Enable autoscaling on the pool, or ask only for desired.`,
        desired.min !== undefined ? 'min' : 'max',
        provider,
      );
    }
  }
  const min = desired.min ?? current.min;
  const max = desired.max ?? current.max;
  if (min > max) throw invalid(`min ${min} is above max ${max}.`, 'min', provider);
  if (max > aksMaxCount)
    throw invalid(`max ${max} is above AKS's ${aksMaxCount} nodes per pool.`, 'max', provider);
  // Both bounds and no count on an autoscaled pool: the caller hands the autoscaler a new
  // range and AKS manages the count inside it, so the current count is carried over clamped
  // into the range (the PUT must carry a count within it). With one bound only, a count left
  // outside it is refused: it is unclear whether the other bound or the count should move.
  const rebounds =
    current.autoscaling &&
    desired.desired === undefined &&
    desired.min !== undefined &&
    desired.max !== undefined;
  const count = rebounds
    ? Math.min(max, Math.max(min, current.desired))
    : (desired.desired ?? current.desired);
  if (count < min || count > max) {
    const asked = [
      desired.desired !== undefined && `desired ${desired.desired}`,
      desired.min !== undefined && `min ${desired.min}`,
      desired.max !== undefined && `max ${desired.max}`,
    ].filter(Boolean);
    throw invalid(
      `A count of ${count} is outside the bounds ${min}-${max} of pool ${current.pool} (asked: ${asked.join(', ')}; the rest is the pool's current value). Pass desired inside the bounds${current.autoscaling ? ', or both min and max to let the autoscaler manage the count' : ''}.`,
      'desired',
      provider,
    );
  }
  return { desired: count, min, max };
}

// Fields the REST spec marks read-only; a GET-modify-PUT leaves them out. Everything else
// (osDiskType, kubeletDiskType, enableFIPS, nodeImageVersion, upgradeSettings…) goes back
// unchanged: AKS replaces the whole pool on PUT, and a left-out setting is a change.
const readOnly = [
  'id',
  'name',
  'type',
  'systemData',
  'eTag',
  'provisioningState',
  'currentOrchestratorVersion',
  'status',
] as const;

/** The PUT body: the pool as read, with the new sizes (AKS replaces the whole pool on PUT). */
export function poolUpdate(pool: AgentPool, sizes: { desired: number; min: number; max: number }): AgentPool {
  const body: Record<string, unknown> = { ...pool };
  for (const field of readOnly) delete body[field];
  body.count = sizes.desired;
  if (pool.enableAutoScaling) {
    body.minCount = sizes.min;
    body.maxCount = sizes.max;
  }
  // The service sends null for what a pool does not have; null is not a value to write back.
  return Object.fromEntries(
    Object.entries(body).filter(([, value]) => value !== undefined && value !== null),
  ) as AgentPool;
}

function invalid(message: string, path: string, provider: string): FailoverError {
  return new FailoverError({ kind: 'invalid-input', message, provider, operation: 'ensureSize', path });
}
