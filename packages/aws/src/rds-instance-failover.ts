import type { DBInstance, DescribeDBInstancesCommandOutput, RDSClient } from '@aws-sdk/client-rds';
import {
  type CallOptions,
  cancelledError,
  type DatabaseCapabilities,
  type DatabaseDesiredState,
  type DatabaseFailoverV1,
  type DatabaseMember,
  type DatabaseRef,
  type DatabaseTopology,
  type EnsureResult,
  FailoverError,
  type FailoverResult,
  type OperationHandle,
  type WaitOptions,
} from '@failover/core';
import { awsPollUntil, awsSend, runAwsMethod } from './aws-call.js';
import type { AwsClients } from './aws-clients.js';
import { type AwsErrorContext, awsFailure } from './aws-error.js';
import type { AwsResourceAccess } from './aws-settings.js';
import {
  check,
  checkDatabaseDesiredState,
  isAwsRegion,
  isNonEmptyString,
  isObject,
  resolveRegion,
} from './aws-validate.js';
import { memberStatus, parseRdsArn } from './rds-status.js';

const provider = 'aws.rds';

/** Options of `rdsInstanceFailover()`. */
export interface RdsInstanceFailoverOptions extends AwsResourceAccess {
  /** Region of the source instance (`ref.id`). Default: the factory's `region`. */
  region?: string;
  /** First poll delay of `waitForWriter`. Default 10 000 ms. */
  pollIntervalMs?: number;
}

/** An RDS instance `DatabaseFailoverV1`, plus the SDK client as an escape hatch. */
export interface RdsInstanceFailover extends DatabaseFailoverV1 {
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

/** A member id of a Multi-AZ instance: `<instance>@<availability zone>`. */
const azMemberId = (instance: string, zone: string) => `${instance}@${zone}`;

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

  async function describeInstance(
    identifier: string,
    region: string,
    call: CallOptions,
  ): Promise<DBInstance | undefined> {
    const out = await awsSend<DescribeDBInstancesCommandOutput, 'rds'>(
      clients,
      { provider, region, service: 'rds', operation: 'DescribeDBInstances', mutating: false },
      (sdk) => new sdk.DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier }),
      call,
    );
    return out.DBInstances?.[0];
  }

  /** The source instance with its standby and its replicas (each read in its own region). */
  async function observe(instanceId: string, region: string, call: CallOptions, context: AwsErrorContext) {
    const source = await describeInstance(instanceId, region, call);
    if (!source) throw awsFailure('not-found', context, `DB instance ${instanceId} not found in ${region}.`);
    const rawStatus = source.DBInstanceStatus;
    const members: DatabaseMember[] = [];
    const base = { region, status: memberStatus(rawStatus), ...(rawStatus !== undefined && { rawStatus }) };
    if (source.MultiAZ && source.AvailabilityZone && source.SecondaryAvailabilityZone) {
      members.push({ ...base, id: azMemberId(instanceId, source.AvailabilityZone), role: 'writer' });
      members.push({ ...base, id: azMemberId(instanceId, source.SecondaryAvailabilityZone), role: 'reader' });
    } else {
      members.push({ ...base, id: instanceId, role: 'writer' });
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

    describe(ref: DatabaseRef, call?: CallOptions): FailoverResult<DatabaseTopology> {
      return run('describe', call, async (context, callOptions) => {
        check(
          isObject(ref) && isNonEmptyString(ref.id),
          context,
          'The database ref needs the DB instance identifier as id.',
          'id',
        );
        const region = resolveRegion(context, options.region, settings.region);
        return (await observe(ref.id, region, callOptions, context)).topology;
      });
    },

    ensureWriter(
      ref: DatabaseRef,
      desired: DatabaseDesiredState,
      call?: CallOptions,
    ): FailoverResult<EnsureResult<DatabaseTopology>> {
      return run('ensureWriter', call, async (context, callOptions) => {
        check(
          isObject(ref) && isNonEmptyString(ref.id),
          context,
          'The database ref needs the DB instance identifier as id.',
          'id',
        );
        checkDatabaseDesiredState(desired, context, 'memberId must be a member id.');
        const region = resolveRegion(context, options.region, settings.region);
        const memberId = desired.memberId;
        let observed: Awaited<ReturnType<typeof observe>>;
        try {
          observed = await observe(ref.id, region, callOptions, context);
        } catch (thrown) {
          // The source's region is down: a named replica elsewhere can still be promoted.
          const sourceDown = FailoverError.isInstance(thrown) && thrown.kind === 'unavailable';
          if (!sourceDown || memberId === undefined || desired.region === region) throw thrown;
          return promoteWithoutSource(ref.id, region, memberId, desired, callOptions, context);
        }
        const { source, topology } = observed;

        // Multi-AZ: a member id `<id>@<zone>` (or just the zone) names where the primary should run.
        const zone = memberId?.startsWith(`${ref.id}@`) ? memberId.slice(ref.id.length + 1) : memberId;
        const zones = [source.AvailabilityZone, source.SecondaryAvailabilityZone];
        if (zone !== undefined && source.MultiAZ && zones.includes(zone)) {
          check(
            desired.region === region,
            context,
            `${ref.id} runs in ${region}; its zone ${zone} is not in ${desired.region}.`,
            'region',
          );
          if (source.AvailabilityZone === zone) return { before: topology, changed: false };
          if (source.DBInstanceStatus !== 'available') {
            throw awsFailure(
              'precondition-failed',
              context,
              `${ref.id} is ${source.DBInstanceStatus}, not available.`,
            );
          }
          abortCheck(callOptions);
          await awsSend<unknown, 'rds'>(
            clients,
            { provider, region, service: 'rds', operation: 'RebootDBInstance', mutating: true },
            (sdk) => new sdk.RebootDBInstanceCommand({ DBInstanceIdentifier: ref.id, ForceFailover: true }),
            callOptions,
          );
          return {
            before: topology,
            changed: true,
            handle: {
              provider,
              operation: 'RebootDBInstance',
              id: ref.id,
              startedAt: time.now(),
              detail: {
                kind: 'multi-az',
                sourceId: ref.id,
                sourceRegion: region,
                instanceId: ref.id,
                region,
                zone,
              },
            },
          };
        }

        const writer = topology.members.find((member) => member.role === 'writer');
        if (memberId === undefined && writer?.region === desired.region)
          return { before: topology, changed: false };

        const matches = (id: string) =>
          memberId === undefined || id === memberId || parseRdsArn(id)?.id === memberId;
        const candidates = topology.members.filter(
          (member) =>
            member.role === 'reader' &&
            member.region === desired.region &&
            member.id.indexOf('@') < 0 &&
            matches(member.id),
        );
        if (candidates.length === 0) {
          // A promoted replica is no longer listed by its source: done if it stands alone.
          if (memberId !== undefined) {
            const promoted = await describeInstance(
              parseRdsArn(memberId)?.id ?? memberId,
              desired.region,
              callOptions,
            ).catch(() => undefined);
            if (
              promoted &&
              !promoted.ReadReplicaSourceDBInstanceIdentifier &&
              promoted.DBInstanceStatus === 'available'
            ) {
              return { before: topology, changed: false };
            }
          }
          throw awsFailure(
            'precondition-failed',
            context,
            `${ref.id} has no read replica${memberId ? ` ${memberId}` : ''} in ${desired.region}.`,
          );
        }
        check(
          candidates.length === 1,
          context,
          `${ref.id} has several read replicas in ${desired.region}; name one as memberId.`,
          'memberId',
        );
        const target = candidates[0]!;
        if (desired.mode !== 'forced') {
          throw awsFailure(
            'precondition-failed',
            context,
            `Promoting read replica ${target.id} can lose writes not yet replicated; it needs mode 'forced'.`,
          );
        }
        if (target.status !== 'available') {
          throw awsFailure(
            'precondition-failed',
            context,
            `Read replica ${target.id} is ${target.rawStatus ?? target.status}, not available.`,
          );
        }
        return promote(
          ref.id,
          region,
          parseRdsArn(target.id)?.id ?? target.id,
          desired.region,
          topology,
          callOptions,
        );
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
        const { kind, sourceId, sourceRegion, instanceId, region, zone } = handle.detail as Record<
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
          wait,
          intervalMs: options.pollIntervalMs ?? 10_000,
          ...(callOptions.abortSignal && { abortSignal: callOptions.abortSignal }),
          poll,
        });
      });
    },
  };

  async function promote(
    sourceId: string,
    sourceRegion: string,
    replicaId: string,
    region: string,
    before: DatabaseTopology,
    call: CallOptions,
  ): Promise<EnsureResult<DatabaseTopology>> {
    abortCheck(call);
    await awsSend<unknown, 'rds'>(
      clients,
      { provider, region, service: 'rds', operation: 'PromoteReadReplica', mutating: true },
      (sdk) => new sdk.PromoteReadReplicaCommand({ DBInstanceIdentifier: replicaId }),
      call,
    );
    return {
      before,
      changed: true,
      handle: {
        provider,
        operation: 'PromoteReadReplica',
        id: replicaId,
        startedAt: time.now(),
        detail: { kind: 'promote', sourceId, sourceRegion, instanceId: replicaId, region },
      },
    };
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
          role: standalone ? 'writer' : 'reader',
          status: memberStatus(status),
          ...(status !== undefined && { rawStatus: status }),
        },
      ],
      failoverInProgress: false,
    };
    if (standalone && status === 'available') return { before, changed: false };
    if (standalone)
      throw awsFailure(
        'precondition-failed',
        context,
        `${replicaId} is not a read replica and is ${status}.`,
      );
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
