import type { NodePoolRef } from '../providers/cluster/node-pool.js';
import type { PoolSize } from './action-spec.js';
import { type ActionOptions, actionStep } from './plan-step-options.js';
import type { ProviderName } from './refs.js';
import type { ActionStep } from './step.js';

/** What a scale step makes true of a pool. Unnamed sizes stay as they are. */
export interface ScalePoolFields {
  provider: ProviderName;
  pool: NodePoolRef;
  /** A node count, or a share of another pool (`{ percentOf: { provider, pool }, percent: 100 }`). */
  desired?: PoolSize;
  min?: number;
  max?: number;
  /** Wait until this many nodes are ready. Default: the desired count. */
  minReady?: number;
  /** Wait for the update to finish before the step ends. Default true. */
  waitForReady?: boolean;
}

/**
 * Cluster actions.
 *
 * @example
 * scale.pool('scale-dr', { provider: 'eks-dr', pool: { cluster: 'dr', pool: 'general' }, desired: 6, min: 3, max: 12 })
 * scale.pool('match-primary', {
 *   provider: 'eks-dr',
 *   pool: { cluster: 'dr', pool: 'general' },
 *   desired: { percentOf: { provider: 'eks-prod', pool: { cluster: 'prod', pool: 'general' } }, percent: 100 },
 * })
 */
export const scale = {
  /** Sizes a node pool, absolutely or relative to another pool. */
  pool: (id: string, fields: ScalePoolFields, options?: ActionOptions): ActionStep =>
    actionStep(
      id,
      {
        type: 'scale',
        provider: fields.provider,
        pool: { ...fields.pool },
        desired: typeof fields.desired === 'object' ? structuredClone(fields.desired) : fields.desired,
        min: fields.min,
        max: fields.max,
        minReady: fields.minReady,
        waitForReady: fields.waitForReady,
      },
      options,
    ),
};
