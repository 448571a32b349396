import {
  err,
  FailoverError,
  type NodePool,
  type NodePoolDesiredState,
  ok,
  type Result,
} from '@failover/core';
import type { container_v1 } from '@googleapis/container';
import type { InstanceGroupManager } from './gke-instance-groups.js';
import { boundsOf, type GkeNodePool, zonesOf } from './gke-node-pool.js';
import { type GkeSizeRounding, perZone } from './gke-sizing.js';

const provider = 'gcp.gke';

/** What `ensureSize` sends: autoscaler bounds, a per-zone node count, both or neither. */
export interface GkeSizePlan {
  bounds?: container_v1.Schema$NodePoolAutoscaling;
  nodeCount?: number;
  zones: number;
}

/**
 * Decides, from the pool as read, which calls bring it to `desired`. Pure, so the
 * pre-check and the run refuse exactly the same cases (inconsistent sizes, bounds on
 * a pool without autoscaler, totals that do not fit the zones).
 */
export function planPoolSize(
  poolName: string,
  observed: { pool: NodePool; raw: GkeNodePool; groups: InstanceGroupManager[] },
  desired: NodePoolDesiredState,
  rounding: GkeSizeRounding,
): Result<GkeSizePlan, FailoverError> {
  const { pool: before, raw, groups } = observed;
  const want = {
    desired: desired.desired ?? before.desired,
    min: desired.min ?? before.min,
    max: desired.max ?? before.max,
  };
  if (want.min > want.max)
    return err(invalidInput(provider, 'ensureSize', `min ${want.min} is above max ${want.max}.`, 'min'));
  if (want.desired > want.max)
    return err(
      invalidInput(provider, 'ensureSize', `desired ${want.desired} is above max ${want.max}.`, 'desired'),
    );
  if (want.desired < want.min)
    return err(
      invalidInput(provider, 'ensureSize', `desired ${want.desired} is below min ${want.min}.`, 'desired'),
    );

  const zones = zonesOf(raw, groups);
  const current = boundsOf(raw, zones);
  const boundsAsked = want.min !== before.min || want.max !== before.max;
  if (boundsAsked && !before.autoscaling)
    return err(
      invalidInput(
        provider,
        'ensureSize',
        `Node pool ${poolName} has no autoscaler, so it has no min/max to set (GKE bounds are autoscaler limits). Enable autoscaling on the pool, or ask only for desired.`,
        'min',
      ),
    );
  // Bounds in the unit the pool's autoscaler uses: exact totals, or per zone.
  let bounds: container_v1.Schema$NodePoolAutoscaling | undefined;
  if (boundsAsked) {
    if (current.unit === 'total') {
      bounds = { totalMinNodeCount: want.min, totalMaxNodeCount: want.max };
    } else {
      const min = perZone(want.min, zones, rounding, 'min');
      const max = perZone(want.max, zones, rounding, 'max');
      if (typeof min === 'string') return err(invalidInput(provider, 'ensureSize', min, 'min'));
      if (typeof max === 'string') return err(invalidInput(provider, 'ensureSize', max, 'max'));
      bounds = { minNodeCount: min, maxNodeCount: max };
    }
  }
  let nodeCount: number | undefined;
  if (desired.desired !== undefined) {
    const each = perZone(desired.desired, zones, rounding, 'desired');
    if (typeof each === 'string') return err(invalidInput(provider, 'ensureSize', each, 'desired'));
    const uniform = groups.length > 0 && groups.every((group) => group.targetSize === each);
    if (!uniform || each * zones !== before.desired) nodeCount = each;
  }
  return ok({ ...(bounds && { bounds }), ...(nodeCount !== undefined && { nodeCount }), zones });
}

const invalidInput = (_provider: string, operation: string, message: string, path: string) =>
  new FailoverError({ kind: 'invalid-input', message, provider, operation, path });
