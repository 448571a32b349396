import { FailoverError } from '../../errors/failover-error.js';
import { errAsync, type FailoverResult, okAsync } from '../../result.js';
import type { CallOptions } from '../call-options.js';
import type { EnsureResult, OperationHandle } from '../operation-handle.js';
import type { ResourceProviderV1 } from '../resource/resource-provider-v1.js';
import type { ResourceWaitOptions } from '../resource/resource-wait-options.js';
import type { DatabaseFailoverV1 } from './database-failover-v1.js';
import {
  type DatabaseReplicaSpec,
  type DatabaseReplicaState,
  type DatabaseReprotectV1,
  replicaMatches,
} from './database-reprotect-v1.js';
import type { DatabaseRef } from './database-topology.js';

/** Which replica a reprotect step is about: the database, and the replica to (re-)create. */
export type DatabaseReplicaRef = { database: DatabaseRef } & Omit<DatabaseReplicaSpec, 'designate'>;

/**
 * What a reprotect step makes true: the replica replicates from the writer (`state`),
 * and, with `designated`, the writer designates it as its switchover target. An empty
 * desired state asks for nothing (what a rollback ensures: the replica is kept).
 */
export interface DatabaseReplicaDesired {
  state?: 'replicating';
  designated?: true;
}

/**
 * A database provider's reprotect capability as an open-kind (`resource`) provider, so
 * a plan runs it as an action step with the executor's usual path: observe, compare,
 * pre-check (a `foreign` resource of that name is refused), ensure, wait, journal,
 * dry-run diff. Register it under its own name beside the database provider, e.g.
 * `{ db, 'db-reprotect': databaseReprotectResource(db) }`, and name that in
 * `failbackPlan`'s `reprotect` option. Its rollback keeps the replica: nothing is deleted.
 */
export function databaseReprotectResource(
  db: DatabaseFailoverV1 & DatabaseReprotectV1,
): ResourceProviderV1<DatabaseReplicaRef, DatabaseReplicaState, DatabaseReplicaDesired> {
  const provider = db.provider;
  const specOf = (ref: DatabaseReplicaRef, desired: DatabaseReplicaDesired): DatabaseReplicaSpec => {
    const { database: _database, ...spec } = ref;
    return { ...spec, ...(desired.designated === true && { designate: true }) };
  };
  const checkRef = (ref: DatabaseReplicaRef, operation: string): FailoverError | undefined => {
    const valid =
      typeof ref === 'object' &&
      ref !== null &&
      typeof ref.database?.id === 'string' &&
      typeof ref.region === 'string' &&
      typeof ref.replicaId === 'string' &&
      ref.replicaId !== '' &&
      typeof ref.writer?.region === 'string';
    return valid
      ? undefined
      : new FailoverError({
          kind: 'invalid-input',
          message: 'A reprotect resource needs database.id, region, replicaId and writer.region.',
          provider,
          operation,
        });
  };
  return {
    specificationVersion: 'v1',
    kind: 'resource',
    provider,

    observeResource(ref: DatabaseReplicaRef, options?: CallOptions): FailoverResult<DatabaseReplicaState> {
      const problem = checkRef(ref, 'observeReplica');
      if (problem) return errAsync(problem);
      return db.observeReplica(ref.database, specOf(ref, {}), options);
    },

    matches(desired: DatabaseReplicaDesired, observed: DatabaseReplicaState): boolean {
      if (desired.state === undefined && desired.designated === undefined) return true;
      return replicaMatches(observed, { ...(desired.designated === true && { designate: true }) });
    },

    precheckResource(
      ref: DatabaseReplicaRef,
      _desired: DatabaseReplicaDesired,
      observed: DatabaseReplicaState,
    ): FailoverResult<void> {
      return observed.state === 'foreign' ? errAsync(foreign(provider, ref, observed)) : okAsync(undefined);
    },

    ensureResource(
      ref: DatabaseReplicaRef,
      desired: DatabaseReplicaDesired,
      options?: CallOptions,
    ): FailoverResult<EnsureResult<DatabaseReplicaState>> {
      const problem = checkRef(ref, 'ensureReplica');
      if (problem) return errAsync(problem);
      // Nothing asked (a rollback): the replica stays as it is.
      if (desired.state === undefined && desired.designated === undefined)
        return db
          .observeReplica(ref.database, specOf(ref, {}), options)
          .map((before) => ({ before, changed: false }));
      return db.ensureReplica(ref.database, specOf(ref, desired), options);
    },

    waitForResource(
      handle: OperationHandle,
      options: ResourceWaitOptions,
    ): FailoverResult<DatabaseReplicaState> {
      return db.waitForReplica(handle, options);
    },

    restoreOf(): DatabaseReplicaDesired {
      return {};
    },
  };
}

function foreign(provider: string, ref: DatabaseReplicaRef, observed: DatabaseReplicaState): FailoverError {
  return new FailoverError({
    kind: 'precondition-failed',
    message: `${ref.replicaId} in ${ref.region} exists and is not a replica of the writer${observed.replicatesFrom ? ` (it replicates from ${observed.replicatesFrom})` : ''}; rename or remove it by hand, it is never deleted for you.`,
    provider,
    operation: 'ensureReplica',
  });
}
