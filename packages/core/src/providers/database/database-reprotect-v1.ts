import type { FailoverResult } from '../../result.js';
import type { CallOptions, WaitOptions } from '../call-options.js';
import type { EnsureResult, OperationHandle } from '../operation-handle.js';
import type { DatabaseRef } from './database-topology.js';

/**
 * The replica a reprotect re-creates: in `region`, named `replicaId`, replicating from
 * the current writer. Used after a promotion that broke replication for good (an RDS
 * `PromoteReadReplica`, a Cloud SQL `promoteReplica` without `failover`, an Aurora detach).
 */
export interface DatabaseReplicaSpec {
  /** The region the replica must be in (the original region, on the way back). */
  region: string;
  /** The cloud's name for the replica (RDS DB instance identifier, Cloud SQL instance name). */
  replicaId: string;
  /**
   * The writer the replica must replicate from: its region and the cloud's id for it (the
   * member the failover promoted). Without `memberId`, the adapter finds the writer of
   * `ref` in `writer.region` when it can.
   */
  writer: { region: string; memberId?: string };
  /**
   * Also designate the replica as the writer's switchover target (Cloud SQL's DR replica),
   * so a planned switchover back can go to it. A service without such a designation
   * refuses it with `invalid-input`.
   */
  designate?: boolean;
  /** Provider-specific options, keyed by provider id (e.g. `{ 'aws.rds': { instanceClass } }`). */
  providerOptions?: Record<string, Record<string, unknown>>;
}

/** The replica as observed: absent, a replica of the writer, or something else of that name. */
export interface DatabaseReplicaState {
  /** The contract version this observation follows. */
  readonly specificationVersion: 'v1';
  replicaId: string;
  region: string;
  /** The writer as found (its cloud id), when it was. */
  writerId?: string;
  /**
   * - `absent`: no resource of that name in the region;
   * - `creating`: it exists, replicates (or will) from the writer, not yet available;
   * - `replicating`: available and replicating from the writer;
   * - `foreign`: a resource of that name that is not a replica of the writer (refused, never deleted).
   */
  state: 'absent' | 'creating' | 'replicating' | 'foreign';
  /** Whether the writer designates it as its switchover target, where the service has that notion. */
  designated?: boolean;
  /** What it replicates from, as the service says (for `foreign`: why it is refused). */
  replicatesFrom?: string;
  /** The cloud's own status word, for humans. */
  rawStatus?: string;
}

/**
 * Optional capability of a database provider (contract v1): re-creates replication
 * towards a region once a forced promotion has broken it. Every method is idempotent:
 * `ensureReplica` observes first and creates the replica only when absent; an existing
 * replica of the writer still being created is waited on (a lost answer never creates a
 * second one); a resource of that name that is not a replica of the writer is refused
 * with `precondition-failed` and never deleted.
 */
export interface DatabaseReprotectV1 {
  /** The version of this capability the provider implements. */
  readonly reprotectVersion: 'v1';

  /** The replica as it is now. Read-only. */
  observeReplica(
    ref: DatabaseRef,
    spec: DatabaseReplicaSpec,
    options?: CallOptions,
  ): FailoverResult<DatabaseReplicaState>;

  /** Creates the replica when absent (and designates it when asked); see `EnsureResult`. */
  ensureReplica(
    ref: DatabaseRef,
    spec: DatabaseReplicaSpec,
    options?: CallOptions,
  ): FailoverResult<EnsureResult<DatabaseReplicaState>>;

  /**
   * Waits until the replica behind `handle` is available and replicating from the writer
   * (and designated, when that was asked). A timeout is an error; no replica at all is
   * `not-found`, retryable (the create was lost: ensure again).
   */
  waitForReplica(handle: OperationHandle, options: WaitOptions): FailoverResult<DatabaseReplicaState>;
}

/** Whether a provider has the reprotect capability (v1). */
export function hasDatabaseReprotect<T extends object>(provider: T): provider is T & DatabaseReprotectV1 {
  return (
    (provider as Partial<DatabaseReprotectV1>).reprotectVersion === 'v1' &&
    typeof (provider as Partial<DatabaseReprotectV1>).ensureReplica === 'function'
  );
}

/** Whether an observed replica is done: replicating from the writer, and designated when asked. */
export function replicaMatches(
  state: DatabaseReplicaState,
  spec: Pick<DatabaseReplicaSpec, 'designate'>,
): boolean {
  return state.state === 'replicating' && (spec.designate !== true || state.designated === true);
}
