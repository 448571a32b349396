import type {
  CallOptions,
  EnsureResult,
  FailoverResult,
  OperationHandle,
  ResourceCheckObservation,
  ResourceCheckOptions,
  ResourceWaitOptions,
} from '@failover/core';

/**
 * What the Kubernetes resource provider asks of each kind it handles, the
 * `ResourceProviderV1` contract narrowed to one kind's own shapes.
 */
export interface KubernetesKindHandler<TRef, TObserved, TDesired, TCondition = never> {
  observe(ref: TRef, options?: CallOptions): FailoverResult<TObserved>;
  matches(desired: TDesired, observed: TObserved): boolean;
  precheck(ref: TRef, desired: TDesired, observed: TObserved, options?: CallOptions): FailoverResult<void>;
  ensure(ref: TRef, desired: TDesired, options?: CallOptions): FailoverResult<EnsureResult<TObserved>>;
  wait(handle: OperationHandle, options: ResourceWaitOptions): FailoverResult<TObserved>;
  restoreOf(before: TObserved): TDesired;
  check?(
    ref: TRef,
    condition: TCondition,
    options?: ResourceCheckOptions,
  ): FailoverResult<ResourceCheckObservation>;
}
