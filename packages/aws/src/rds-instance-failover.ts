import type { RDSClient } from '@aws-sdk/client-rds';
import {
  type CallOptions,
  cancelledError,
  type DatabaseCapabilities,
  type DatabaseDesiredState,
  type DatabaseFailoverV1,
  type DatabaseMember,
  type DatabaseRef,
  type DatabaseReprotectV1,
  type DatabaseTopology,
  type EnsureResult,
  FailoverError,
  type FailoverResult,
  type OperationHandle,
  type ReplicationLagObservation,
  type WaitOptions,
} from '@failover/core';
import { awsPollUntil, awsSend, runAwsMethod } from './aws-call.js';
import type { AwsClients } from './aws-clients.js';
import { type AwsErrorContext, awsFailure } from './aws-error.js';
import { awsExpectedDurationMs } from './aws-expected-durations.js';
import { sendOrFindInFlight } from './aws-lost-answer.js';
import type { AwsResourceAccess } from './aws-settings.js';
import {
  check,
  checkDatabaseDesiredState,
  isAwsRegion,
  isNonEmptyString,
  isObject,
  resolveRegion,
} from './aws-validate.js';
import { describeRdsInstance } from './rds-describe-instance.js';
import { createRdsInstanceReprotect } from './rds-instance-reprotect.js';
import { readReplicaLagSamples } from './rds-replica-lag.js';
import { memberStatus, parseRdsArn } from './rds-status.js';
import { azMemberId, decideRdsWriter } from './rds-writer-decision.js';

const provider = 'aws.rds';

/** Options of `rdsInstanceFailover()`. */
export interface RdsInstanceFailoverOptions extends AwsResourceAccess {
  /** Region of the source instance (`ref.id`). Default: the factory's `region`. */
  region?: string;
  /** First poll delay of `waitForWriter`. Default 10 000 ms. */
  pollIntervalMs?: number;
}

/**
 * An RDS instance `DatabaseFailoverV1` with reprotect (`DatabaseReprotectV1`: a read
 * replica re-created after a promotion), plus the SDK client as an escape hatch.
 */
export interface RdsInstanceFailover extends DatabaseFailoverV1, DatabaseReprotectV1 {
  readonly provider: 'aws.rds';
  getClient(region: string): Promise<RDSClient>;
}

const capabilities: DatabaseCapabilities = { modes: ['planned', 'forced'], replicationLag: false };

/** The old source when its region does not answer: still a writer as far as anyone knows. */
const unreachable = (id: string, region: string): DatabaseMember => ({
  id,
  region,
  role: 'writer',
  status: 'unavailable',
  rawStatus: 'unreachable',
});

/**
 * RDS (non-Aurora) instances: `ref.id` is the source instance. Members are its
 * Multi-AZ primary and standby (`<id>@<zone>`, same region) and its read
 * replicas (ids, or ARNs across regions). Naming the standby as `memberId`
 * forces a Multi-AZ failover (RebootDBInstance with ForceFailover: synchronous
 * replication, so no data loss, allowed as `planned`). A writer in another
 * region promotes that region's read replica (PromoteReadReplica: only
 * `forced`, since writes not yet replicated are lost).
 */
export function createRdsInstanceFailover(
  clients: AwsClients,
  options: RdsInstanceFailoverOptions = {},
): RdsInstanceFailover {
  const { time, settings } = clients.runtime;

  const run = <T>(
    operation: string,
    call: unknown,
    fn: (context: AwsErrorContext, call: CallOptions) => Promise<T>,
  ) => runAwsMethod(provider, operation, call, fn);

  const describeInstance = (identifier: string, region: string, call: CallOptions) =>
    describeRdsInstance(clients, identifier, region, call);

  /** The source instance with its standby and its replicas (each read in its own region). */
  async function observe(instanceId: string, region: string, call: CallOptions, context: AwsErrorContext) {
    const source = await describeInstance(instanceId, region, call);
    if (!source) throw awsFailure('not-found', context, `DB instance ${instanceId} not found in ${region}.`);
    const rawStatus = source.DBInstanceStatus;
    const members: DatabaseMember[] = [];
    const base = { region, status: memberStatus(rawStatus), ...(rawStatus !== undefined && { rawStatus }) };
    if (source.MultiAZ && source.AvailabilityZone && source.SecondaryAvailabilityZone) {
      const primaryZone = source.AvailabilityZone;
      const standbyZone = source.SecondaryAvailabilityZone;
      members.push({ ...base, id: azMemberId(instanceId, primaryZone), zone: primaryZone, role: 'writer' });
      members.push({ ...base, id: azMemberId(instanceId, standbyZone), zone: standbyZone, role: 'reader' });
    } else {
      members.push({
        ...base,
        id: instanceId,
        ...(source.AvailabilityZone !== undefined && { zone: source.AvailabilityZone }),
        role: 'writer',
      });
    }
    const replicas = await Promise.all(
      (source.ReadReplicaDBInstanceIdentifiers ?? []).map(async (replica): Promise<DatabaseMember> => {
        const arn = parseRdsArn(replica);
        const replicaRegion = arn?.region ?? region;
        try {
          const found = await describeInstance(arn?.id ?? replica, replicaRegion, call);
          const status = found?.DBInstanceStatus;
          return {
            id: replica,
            region: replicaRegion,
            ...(found?.AvailabilityZone !== undefined && { zone: found.AvailabilityZone }),
            role: 'reader',
            status: memberStatus(status),
            ...(status !== undefined && { rawStatus: status }),
          };
        } catch (thrown) {
          if (
            FailoverError.isInstance(thrown) &&
            (thrown.kind === 'unavailable' || thrown.kind === 'not-found')
          ) {
            return {
              id: replica,
              region: replicaRegion,
              role: 'reader',
              status: 'unavailable',
              rawStatus: thrown.kind === 'unavailable' ? 'unreachable' : 'not-found',
            };
          }
          throw thrown;
        }
      }),
    );
    members.push(...replicas);
    const topology: DatabaseTopology = {
      id: instanceId,
      members,
      failoverInProgress: rawStatus === 'rebooting',
      ...(rawStatus !== undefined && { rawStatus }),
    };
    return { source, topology };
  }

  const self: RdsInstanceFailover = {
    specificationVersion: 'v1',
    kind: 'database',
    provider,
    capabilities,

    getClient: async (region) => (await clients.get('rds', region)).client,

    ...createRdsInstanceReprotect(clients, options),

    describe(ref: DatabaseRef, call?: CallOptions): FailoverResult<DatabaseTopology> {
      return run('describe', call, async (context, callOptions) => {
        const sourceId = checkSourceRef(ref, context);
        const region = resolveRegion(context, options.region, settings.region);
        return (await observe(sourceId, region, callOptions, context)).topology;
      });
    },

    // Read replicas' lag from CloudWatch's ReplicaLag (the Multi-AZ standby is synchronous
    // and has none). `describe` does not carry it, so `capabilities.replicationLag` stays
    // false: replication-lag checks read the topology; the RPO gate reads this.
    observeReplicationLag(ref: DatabaseRef, call?: CallOptions): FailoverResult<ReplicationLagObservation> {
      return run('observeReplicationLag', call, async (context, callOptions) => {
        const sourceId = checkSourceRef(ref, context);
        const region = resolveRegion(context, options.region, settings.region);
        const { topology } = await observe(sourceId, region, callOptions, context);
        const samples = await readReplicaLagSamples(clients, topology, 5 * 60_000, callOptions);
        return { specificationVersion: 'v1', databaseId: sourceId, observedAt: time.now(), samples };
      });
    },

    ensureWriter(
      ref: DatabaseRef,
      desired: DatabaseDesiredState,
      call?: CallOptions,
    ): FailoverResult<EnsureResult<DatabaseTopology>> {
      return run('ensureWriter', call, async (context, callOptions) => {
        const sourceId = checkSourceRef(ref, context);
        checkDesired(desired, context);
        const region = resolveRegion(context, options.region, settings.region);
        let observed: Awaited<ReturnType<typeof observe>>;
        try {
          observed = await observe(sourceId, region, callOptions, context);
        } catch (thrown) {
          // The source's region is down: a named replica elsewhere can still be promoted.
          const sourceDown = FailoverError.isInstance(thrown) && thrown.kind === 'unavailable';
          if (!sourceDown || desired.memberId === undefined || desired.region === region) throw thrown;
          return promoteWithoutSource(sourceId, region, desired.memberId, desired, callOptions, context);
        }
        const { topology } = observed;
        const decision = decideRdsWriter(sourceId, region, topology, desired, context);
        switch (decision.action) {
          case 'none':
            return { before: topology, changed: false };
          case 'wait-multi-az':
            return {
              before: topology,
              changed: true,
              handle: multiAzHandle(sourceId, region, decision.zone, true),
            };
          case 'multi-az-failover':
            return failOverMultiAz(sourceId, region, decision.zone, topology, callOptions);
          case 'find-promoted': {
            const found = await findPromoted(
              sourceId,
              region,
              decision.memberId,
              desired,
              context,
              callOptions,
            );
            if (found === 'done') return { before: topology, changed: false };
            if (found) return { before: topology, changed: true, handle: found };
            throw awsFailure(
              'precondition-failed',
              context,
              `${sourceId} has no read replica ${decision.memberId} in ${desired.region}.`,
            );
          }
          case 'promote':
            return promote(
              sourceId,
              region,
              parseRdsArn(decision.replica.id)?.id ?? decision.replica.id,
              desired.region,
              topology,
              callOptions,
            );
        }
      });
    },

    precheckWriter(
      ref: DatabaseRef,
      desired: DatabaseDesiredState,
      observed: DatabaseTopology,
      call?: CallOptions,
    ): FailoverResult<void> {
      return run('precheckWriter', call, async (context, callOptions) => {
        const sourceId = checkSourceRef(ref, context);
        checkDesired(desired, context);
        check(
          isObject(observed) && Array.isArray(observed.members),
          context,
          'The observed topology must be one describe() returned.',
          'observed',
        );
        const region = resolveRegion(context, options.region, settings.region);
        const decision = decideRdsWriter(sourceId, region, observed, desired, context);
        if (decision.action !== 'find-promoted') return;
        const found = await findPromoted(sourceId, region, decision.memberId, desired, context, callOptions);
        if (found === undefined) {
          throw awsFailure(
            'precondition-failed',
            context,
            `${sourceId} has no read replica ${decision.memberId} in ${desired.region}.`,
          );
        }
      });
    },

    waitForWriter(handle: OperationHandle, wait: WaitOptions): FailoverResult<DatabaseTopology> {
      return run('waitForWriter', wait, async (context, callOptions) => {
        check(
          isObject(handle) && handle.provider === provider && isObject(handle.detail),
          context,
          `The handle is not an ${provider} handle.`,
          'handle',
        );
        const { kind, sourceId, sourceRegion, instanceId, region, zone, adopted } = handle.detail as Record<
          string,
          unknown
        >;
        check(
          kind === 'multi-az' || kind === 'promote',
          context,
          'The handle names no failover kind.',
          'handle.detail.kind',
        );
        check(
          isNonEmptyString(sourceId) &&
            isAwsRegion(sourceRegion) &&
            isNonEmptyString(instanceId) &&
            isAwsRegion(region),
          context,
          'The handle lacks its target.',
          'handle.detail',
        );
        check(
          isObject(wait) && typeof wait.timeoutMs === 'number' && wait.timeoutMs >= 0,
          context,
          'waitForWriter needs a timeoutMs.',
          'timeoutMs',
        );

        const poll = async () => {
          const instance = await describeInstance(instanceId, region, callOptions);
          const status = instance?.DBInstanceStatus ?? 'unknown';
          const done =
            status === 'available' &&
            (kind === 'multi-az'
              ? instance?.AvailabilityZone === zone
              : !instance?.ReadReplicaSourceDBInstanceIdentifier);
          if (!done && adopted === true && status === 'available' && kind === 'multi-az') {
            // The reboot we found in flight was not a failover: the primary stayed where it was.
            throw awsFailure(
              'conflict',
              context,
              `The reboot of ${instanceId} in flight ended with its primary in ${instance?.AvailabilityZone}, not ${String(zone)}; ensure again.`,
              { retryable: true },
            );
          }
          if (!done) return { done: false as const, status };
          if (kind === 'multi-az')
            return {
              done: true as const,
              value: (await observe(sourceId, sourceRegion, callOptions, context)).topology,
            };
          // The promoted replica writes now; its old source is still a writer until it is fenced.
          const promoted: DatabaseMember = {
            id: instanceId,
            region,
            ...(instance?.AvailabilityZone !== undefined && { zone: instance.AvailabilityZone }),
            role: 'writer',
            status: 'available',
            rawStatus: status,
          };
          try {
            const rest = (await observe(sourceId, sourceRegion, callOptions, context)).topology;
            return { done: true as const, value: { ...rest, members: [...rest.members, promoted] } };
          } catch {
            return {
              done: true as const,
              value: {
                id: sourceId,
                members: [unreachable(sourceId, sourceRegion), promoted],
                failoverInProgress: false,
              },
            };
          }
        };
        return awsPollUntil<DatabaseTopology>({
          time,
          context,
          wait: {
            ...wait,
            expectedDurationMs:
              wait.expectedDurationMs ??
              (kind === 'multi-az'
                ? awsExpectedDurationMs.rdsMultiAzFailover
                : awsExpectedDurationMs.rdsPromote),
          },
          intervalMs: options.pollIntervalMs ?? 10_000,
          ...(Number.isFinite(handle.startedAt) && { startedAt: handle.startedAt }),
          ...(callOptions.abortSignal && { abortSignal: callOptions.abortSignal }),
          poll,
        });
      });
    },
  };

  function checkSourceRef(ref: unknown, context: AwsErrorContext): string {
    check(
      isObject(ref) && isNonEmptyString(ref.id),
      context,
      'The database ref needs the DB instance identifier as id.',
      'id',
    );
    return ref.id;
  }

  function checkDesired(desired: unknown, context: AwsErrorContext): asserts desired is DatabaseDesiredState {
    checkDatabaseDesiredState(desired, context, 'memberId must be a member id.');
    const zone = (desired as DatabaseDesiredState).zone;
    check(
      zone === undefined || isNonEmptyString(zone),
      context,
      'zone must be an availability zone.',
      'zone',
    );
  }

  function multiAzHandle(sourceId: string, region: string, zone: string, adopted: boolean): OperationHandle {
    return {
      provider,
      operation: 'RebootDBInstance',
      id: sourceId,
      startedAt: time.now(),
      detail: {
        kind: 'multi-az',
        sourceId,
        sourceRegion: region,
        instanceId: sourceId,
        region,
        zone,
        ...(adopted && { adopted: true }),
      },
    };
  }

  function promoteHandle(sourceId: string, sourceRegion: string, replicaId: string, region: string) {
    return {
      provider,
      operation: 'PromoteReadReplica',
      id: replicaId,
      startedAt: time.now(),
      detail: { kind: 'promote', sourceId, sourceRegion, instanceId: replicaId, region },
    } satisfies OperationHandle;
  }

  async function failOverMultiAz(
    sourceId: string,
    region: string,
    zone: string,
    before: DatabaseTopology,
    call: CallOptions,
  ): Promise<EnsureResult<DatabaseTopology>> {
    abortCheck(call);
    const handle = await sendOrFindInFlight(
      async () => {
        await awsSend<unknown, 'rds'>(
          clients,
          { provider, region, service: 'rds', operation: 'RebootDBInstance', mutating: true },
          (sdk) => new sdk.RebootDBInstanceCommand({ DBInstanceIdentifier: sourceId, ForceFailover: true }),
          call,
        );
        return multiAzHandle(sourceId, region, zone, false);
      },
      // The answer was lost: the reboot we sent is in flight, or already done, if the instance says so.
      async () => {
        const source = await describeInstance(sourceId, region, call);
        return source?.DBInstanceStatus === 'rebooting' || source?.AvailabilityZone === zone
          ? multiAzHandle(sourceId, region, zone, false)
          : undefined;
      },
    );
    return { before, changed: true, handle };
  }

  async function promote(
    sourceId: string,
    sourceRegion: string,
    replicaId: string,
    region: string,
    before: DatabaseTopology,
    call: CallOptions,
  ): Promise<EnsureResult<DatabaseTopology>> {
    abortCheck(call);
    const handle = await sendOrFindInFlight(
      async () => {
        await awsSend<unknown, 'rds'>(
          clients,
          { provider, region, service: 'rds', operation: 'PromoteReadReplica', mutating: true },
          (sdk) => new sdk.PromoteReadReplicaCommand({ DBInstanceIdentifier: replicaId }),
          call,
        );
        return promoteHandle(sourceId, sourceRegion, replicaId, region);
      },
      // The answer was lost: the replica shows the promotion under way, or done.
      async () => {
        const replica = await describeInstance(replicaId, region, call);
        const started =
          replica !== undefined &&
          (replica.DBInstanceStatus !== 'available' || !replica.ReadReplicaSourceDBInstanceIdentifier);
        return started ? promoteHandle(sourceId, sourceRegion, replicaId, region) : undefined;
      },
    );
    return { before, changed: true, handle };
  }

  /**
   * A replica its source no longer lists: `done` when it stands alone, available and
   * (if named) in the desired zone; a handle when its promotion is still finishing.
   */
  async function findPromoted(
    sourceId: string,
    sourceRegion: string,
    memberId: string,
    desired: DatabaseDesiredState,
    context: AwsErrorContext,
    call: CallOptions,
  ): Promise<'done' | OperationHandle | undefined> {
    const replicaId = parseRdsArn(memberId)?.id ?? memberId;
    const promoted = await describeInstance(replicaId, desired.region, call).catch(() => undefined);
    if (!promoted || promoted.ReadReplicaSourceDBInstanceIdentifier) return undefined;
    if (desired.zone !== undefined && promoted.AvailabilityZone !== desired.zone) {
      throw awsFailure(
        'precondition-failed',
        context,
        `${replicaId} writes in ${promoted.AvailabilityZone ?? 'an unknown zone'}, not in ${desired.zone}.`,
      );
    }
    if (promoted.DBInstanceStatus === 'available') return 'done';
    return promoteHandle(sourceId, sourceRegion, replicaId, desired.region);
  }

  /** The unplanned path: the source does not answer, so the replica is found by its own id in the target region. */
  async function promoteWithoutSource(
    sourceId: string,
    sourceRegion: string,
    memberId: string,
    desired: DatabaseDesiredState,
    call: CallOptions,
    context: AwsErrorContext,
  ): Promise<EnsureResult<DatabaseTopology>> {
    const replicaId = parseRdsArn(memberId)?.id ?? memberId;
    const replica = await describeInstance(replicaId, desired.region, call);
    if (!replica)
      throw awsFailure('not-found', context, `DB instance ${replicaId} not found in ${desired.region}.`);
    const status = replica.DBInstanceStatus;
    const standalone = !replica.ReadReplicaSourceDBInstanceIdentifier;
    const before: DatabaseTopology = {
      id: sourceId,
      members: [
        unreachable(sourceId, sourceRegion),
        {
          id: memberId,
          region: desired.region,
          ...(replica.AvailabilityZone !== undefined && { zone: replica.AvailabilityZone }),
          role: standalone ? 'writer' : 'reader',
          status: memberStatus(status),
          ...(status !== undefined && { rawStatus: status }),
        },
      ],
      failoverInProgress: false,
    };
    if (desired.zone !== undefined && replica.AvailabilityZone !== desired.zone) {
      throw awsFailure(
        'precondition-failed',
        context,
        `${replicaId} runs in ${replica.AvailabilityZone ?? 'an unknown zone'}; a promotion keeps it there, not in ${desired.zone}.`,
      );
    }
    if (standalone && status === 'available') return { before, changed: false };
    // Standing alone but not yet available: our promotion is finishing; wait on it.
    if (standalone)
      return {
        before,
        changed: true,
        handle: promoteHandle(sourceId, sourceRegion, replicaId, desired.region),
      };
    if (desired.mode !== 'forced') {
      throw awsFailure(
        'precondition-failed',
        context,
        `Promoting read replica ${replicaId} can lose writes not yet replicated; it needs mode 'forced'.`,
      );
    }
    if (status !== 'available')
      throw awsFailure(
        'precondition-failed',
        context,
        `Read replica ${replicaId} is ${status}, not available.`,
      );
    return promote(sourceId, sourceRegion, replicaId, desired.region, before, call);
  }

  function abortCheck(call: CallOptions): void {
    if (call.abortSignal?.aborted) throw cancelledError(provider, 'ensureWriter', call.abortSignal.reason);
  }

  return self;
}
