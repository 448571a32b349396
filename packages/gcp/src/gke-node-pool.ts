import type { NodePool } from '@failover/core';
import type { container_v1 } from '@googleapis/container';
import type { InstanceGroupManager } from './gke-instance-groups.js';

export type GkeNodePool = container_v1.Schema$NodePool;

/** GKE's limit of nodes per node pool per zone. */
export const maxNodesPerZone = 1000;

/** The autoscaler's bounds as totals, and whether it counts in totals or per zone. */
export interface GkeBounds {
  min: number;
  max: number;
  unit: 'total' | 'per-zone';
}

/** The zones a pool's counts are spread over (one for a zonal pool). */
export const zonesOf = (pool: GkeNodePool, groups: InstanceGroupManager[]): number =>
  pool.locations?.length || groups.length || 1;

/** Autoscaler bounds as totals; a fixed-size pool reads as 0 to GKE's per-zone limit. */
export function boundsOf(pool: GkeNodePool, zones: number): GkeBounds {
  const autoscaling = pool.autoscaling;
  if (!autoscaling?.enabled) return { min: 0, max: maxNodesPerZone * zones, unit: 'per-zone' };
  if (autoscaling.totalMaxNodeCount)
    return { min: autoscaling.totalMinNodeCount ?? 0, max: autoscaling.totalMaxNodeCount, unit: 'total' };
  return {
    min: (autoscaling.minNodeCount ?? 0) * zones,
    max: (autoscaling.maxNodeCount ?? 0) * zones,
    unit: 'per-zone',
  };
}

/**
 * A GKE node pool as the interface sees it. Counts are totals across the
 * pool's zones; `zones` says how many (a regional pool is sized per zone).
 * `desired` is the sum of the instance groups' target sizes and `ready` the
 * instances running with no pending action (Compute Engine's view: a VM is
 * up, which is not yet a Kubernetes node reporting Ready).
 */
export function toNodePool(
  ref: { cluster: string; pool: string; location: string },
  pool: GkeNodePool,
  groups: InstanceGroupManager[],
): NodePool {
  const zones = zonesOf(pool, groups);
  const bounds = boundsOf(pool, zones);
  const desired = groups.reduce((sum, group) => sum + (group.targetSize ?? 0), 0);
  const ready = groups.reduce((sum, group) => sum + (group.currentActions?.none ?? 0), 0);
  const settled = groups.every(
    (group) =>
      group.status?.isStable !== false && !group.currentActions?.creating && !group.currentActions?.deleting,
  );
  return {
    cluster: ref.cluster,
    pool: ref.pool,
    region: ref.location,
    desired,
    min: bounds.min,
    max: bounds.max,
    ready,
    autoscaling: pool.autoscaling?.enabled === true,
    status: statusOf(pool.status, settled),
    ...(pool.status && { rawStatus: pool.status }),
    zones,
  };
}

function statusOf(status: string | null | undefined, settled: boolean): NodePool['status'] {
  switch (status) {
    case 'RUNNING':
      return settled ? 'ready' : 'scaling';
    case 'PROVISIONING':
    case 'RECONCILING':
      return 'scaling';
    case 'RUNNING_WITH_ERROR':
    case 'ERROR':
    case 'STOPPING':
      return 'degraded';
    default:
      return 'unknown';
  }
}
