import type { FailoverResult } from '../../result.js';
import type { CallOptions, WaitOptions } from '../call-options.js';
import type { EnsureResult, OperationHandle } from '../operation-handle.js';
import type { ProviderIdentity } from '../provider-kind.js';
import type { ClusterCapabilities } from './cluster-capabilities.js';
import type { NodePool, NodePoolDesiredState, NodePoolRef } from './node-pool.js';

/**
 * Node pools of a Kubernetes service. `ensureSize` is idempotent and rejects
 * bounds that are inconsistent (min > desired, desired > max) as `invalid-input`
 * before any mutating call.
 */
export interface ClusterScalerV1 extends ProviderIdentity<'cluster'> {
  readonly capabilities: ClusterCapabilities;

  /** Sizes, readiness and status of a pool. A missing pool is `not-found`. */
  describePool(ref: NodePoolRef, options?: CallOptions): FailoverResult<NodePool>;

  /** Makes the pool's desired/min/max match `desired` (unnamed fields stay); no call when they already do. */
  ensureSize(
    ref: NodePoolRef,
    desired: NodePoolDesiredState,
    options?: CallOptions,
  ): FailoverResult<EnsureResult<NodePool>>;

  /** Waits until the update finished and at least `minReady` nodes are ready (default: the desired count). */
  waitForPool(
    handle: OperationHandle,
    options: WaitOptions & { minReady?: number },
  ): FailoverResult<NodePool>;

  /**
   * Optional, read-only: would `ensureSize(ref, desired)` be refused, given the observed
   * pool? Errs with the kind `ensureSize` would return and never mutates.
   */
  precheckSize?(
    ref: NodePoolRef,
    desired: NodePoolDesiredState,
    observed: NodePool,
    options?: CallOptions,
  ): FailoverResult<void>;
}
