import type { FailoverResult } from '../../result.js';
import type { CallOptions, WaitOptions } from '../call-options.js';
import type { EnsureResult, OperationHandle } from '../operation-handle.js';
import type { ProviderIdentity } from '../provider-kind.js';
import type { DatabaseCapabilities } from './database-capabilities.js';
import type { DatabaseDesiredState } from './database-desired-state.js';
import type { DatabaseRef, DatabaseTopology } from './database-topology.js';
import type { ReplicationLagObservation } from './replication-lag.js';

/**
 * A replicated database whose writer can move between regions. `ensureWriter`
 * is idempotent: when the writer is already in the region it makes no mutating call.
 */
export interface DatabaseFailoverV1 extends ProviderIdentity<'database'> {
  readonly capabilities: DatabaseCapabilities;

  /** Members, roles, status and lag. A missing database is `not-found`. */
  describe(ref: DatabaseRef, options?: CallOptions): FailoverResult<DatabaseTopology>;

  /**
   * Moves the writer to `desired.region` with the given mode. Fails with
   * `precondition-failed` when no available member is in that region, or when
   * `planned` is impossible (e.g. the writer is unreachable).
   */
  ensureWriter(
    ref: DatabaseRef,
    desired: DatabaseDesiredState,
    options?: CallOptions,
  ): FailoverResult<EnsureResult<DatabaseTopology>>;

  /** Waits until the target member is the writer and available. */
  waitForWriter(handle: OperationHandle, options: WaitOptions): FailoverResult<DatabaseTopology>;

  /**
   * Optional, read-only: would `ensureWriter(ref, desired)` be refused, given the observed
   * topology? Errs with the kind `ensureWriter` would return and never mutates.
   */
  precheckWriter?(
    ref: DatabaseRef,
    desired: DatabaseDesiredState,
    observed: DatabaseTopology,
    options?: CallOptions,
  ): FailoverResult<void>;

  /**
   * Optional, read-only (contract v1 of the lag reading): the replication lag of each
   * replicating member, with when the cloud measured it. (`capabilities.replicationLag`
   * says whether `describe` carries the lag, which `replication-lag` checks read; an
   * adapter may have this method without it.) A member the cloud reports nothing for is
   * left out (unknown, not zero). Monitoring that does not answer is an error here
   * (unlike `describe`, which only leaves lag unset), so a caller can tell
   * "no lag" from "could not read".
   */
  observeReplicationLag?(ref: DatabaseRef, options?: CallOptions): FailoverResult<ReplicationLagObservation>;
}
