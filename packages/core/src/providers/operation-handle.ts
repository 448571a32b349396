/**
 * A started remote change, as plain JSON so the executor can journal it and a
 * resumed run can keep waiting on the same operation instead of starting another.
 */
export interface OperationHandle {
  /** The provider id that issued it, e.g. `aws.route53`. */
  provider: string;
  /** The cloud's operation, e.g. `ChangeResourceRecordSets`, `SwitchoverGlobalCluster`. */
  operation: string;
  /** The cloud's id of the change or operation, when it has one. */
  id?: string;
  /** Clock time when the change was accepted. */
  startedAt: number;
  /** Opaque, JSON-serialisable resume state (an Azure poller's `serialize()`, a GKE operation name...). */
  state?: string;
  /** Anything else the provider needs to wait on it (a resource ref, the target region...). Plain JSON. */
  detail?: Record<string, unknown>;
}

/**
 * What an `ensure*` call returns: what was there, and whether anything had to change.
 *
 * The contract every provider keeps:
 * - the world already matches: `changed: false`, no handle, no mutating call;
 * - an operation towards the same desired state is already in flight (a resumed
 *   run): no new mutating call; either `changed: true` with a handle to that
 *   operation, or `changed: false` when the service already reads as the desired
 *   state (DNS record APIs do while the change propagates);
 * - an operation towards a different state is in flight: a `conflict` error;
 * - a `wait*` that finds no operation behind its handle (the request that would have
 *   started it failed, its answer lost with it) errs `not-found` with `retryable: true`:
 *   the executor then observes and calls `ensure*` again instead of waiting on it again;
 * - an `invalid-input`, `not-found`, `precondition-failed` or `unauthorized` error
 *   means nothing was changed; after `timeout`, `unavailable` or `unexpected` the
 *   caller cannot know, and observes again.
 */
export interface EnsureResult<TObserved> {
  /** The state observed before acting. The executor keeps it to undo the step. */
  before: TObserved;
  /** False when the world already matched the desired state: no mutating call was made. */
  changed: boolean;
  /** Present when `changed`: wait on it to know the change has taken effect. */
  handle?: OperationHandle;
}
