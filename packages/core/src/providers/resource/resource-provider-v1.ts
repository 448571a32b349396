import type { FailoverResult } from '../../result.js';
import type { CallOptions } from '../call-options.js';
import type { EnsureResult, OperationHandle } from '../operation-handle.js';
import type { ProviderIdentity } from '../provider-kind.js';
import type { ResourceCheckObservation, ResourceCheckOptions } from './resource-check.js';
import type { ResourceJson } from './resource-json.js';
import type { ResourceDifference } from './resource-matches.js';
import type { ResourceWaitOptions } from './resource-wait-options.js';

/**
 * The open step kind: any resource the core does not know (Kubernetes workloads,
 * Velero restores, a feature flag...), with the same contract as the built-in kinds:
 * observe, pre-check, ensure (idempotent; returns `before` and a handle), wait; a
 * rollback undoes by ensuring the state derived from `before`. References, states and
 * conditions are plain JSON the provider defines (see `ResourceJson`): the executor
 * journals, diffs and reports them without knowing their shape.
 *
 * The type parameters are for authors; the executor and a provider registry see
 * `AnyResourceProviderV1`. Methods (not function-valued fields), so a provider typed with
 * its own shapes is still assignable to it.
 *
 * @typeParam TRef which resource, e.g. `{ namespace, kind, name }`
 * @typeParam TObserved the resource as observed (what `before` is)
 * @typeParam TDesired what a step makes true; fields it leaves out stay as they are
 * @typeParam TCondition what a `check.resource` step asks of the resource
 */
export interface ResourceProviderV1<
  TRef extends object = ResourceJson,
  TObserved extends object = ResourceJson,
  TDesired extends object = ResourceJson,
  TCondition extends object = ResourceJson,
> extends ProviderIdentity<'resource'> {
  /** The resource as it is now. A missing resource is `not-found`. Read-only. */
  observeResource(ref: TRef, options?: CallOptions): FailoverResult<TObserved>;

  /**
   * Optional: whether `observed` already is `desired` (then no call is made).
   * Default: every field `desired` names deep-equals the same field of `observed`
   * (`resourceMatches`). Must agree with what `ensureResource` considers done.
   */
  matches?(desired: TDesired, observed: TObserved): boolean;

  /**
   * Optional: the fields a dry-run shows as changing, when `observed` is not yet `desired`
   * (e.g. a percentage resolved to replicas: `replicas.api: 3 -> 6`). Default: the fields of
   * `desired` that differ from `observed` (`resourceDifferences`).
   */
  differences?(desired: TDesired, observed: TObserved): ResourceDifference[];

  /**
   * Makes the resource `desired`, idempotently (see `EnsureResult`): no mutating call
   * when it already is; a resumed run finding its own operation in flight gets a handle
   * to it; an operation towards another state in flight is a `conflict`. A refusal
   * (`invalid-input`, `precondition-failed`, `unsupported`) changes nothing.
   */
  ensureResource(
    ref: TRef,
    desired: TDesired,
    options?: CallOptions,
  ): FailoverResult<EnsureResult<TObserved>>;

  /**
   * Waits until the change behind `handle` has taken effect (and `options.until`
   * holds), returning the resource as then observed. A timeout is an error, never ok;
   * no operation behind the handle is `not-found`, retryable.
   */
  waitForResource(handle: OperationHandle, options: ResourceWaitOptions): FailoverResult<TObserved>;

  /**
   * Optional, read-only: would `ensureResource(ref, desired)` be refused, given the
   * observed resource? Errs with the kind `ensureResource` would return, never mutates.
   */
  precheckResource?(
    ref: TRef,
    desired: TDesired,
    observed: TObserved,
    options?: CallOptions,
  ): FailoverResult<void>;

  /**
   * Optional: the desired state that puts the resource back as `before` was (a
   * rollback). Default: `before` itself, which suits providers whose desired and
   * observed states share their fields.
   */
  restoreOf?(before: TObserved): TDesired;

  /**
   * Optional: evaluates a `check.resource` condition by observing only. A condition
   * that does not hold is ok with `passed: false`; an error means the observation failed.
   * A provider without it cannot be named by a check step (plan validation says so).
   */
  checkResource?(
    ref: TRef,
    condition: TCondition,
    options?: ResourceCheckOptions,
  ): FailoverResult<ResourceCheckObservation>;
}

/**
 * A resource provider whatever its own shapes: what a provider registry holds and the
 * executor calls (it passes the plan's JSON through and treats what comes back as JSON).
 */
export type AnyResourceProviderV1 = ResourceProviderV1<object, object, object, object>;
