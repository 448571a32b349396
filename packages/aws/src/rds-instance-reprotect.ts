import type { DBInstance } from '@aws-sdk/client-rds';
import {
  type CallOptions,
  type DatabaseRef,
  type DatabaseReplicaSpec,
  type DatabaseReplicaState,
  type DatabaseReprotectV1,
  type EnsureResult,
  FailoverError,
  type FailoverResult,
  type OperationHandle,
  type WaitOptions,
} from '@failover/core';
import { awsPollUntil, awsSend, runAwsMethod } from './aws-call.js';
import type { AwsClients } from './aws-clients.js';
import { type AwsErrorContext, awsFailure } from './aws-error.js';
import { sendOrFindInFlight } from './aws-lost-answer.js';
import { check, isAwsRegion, isNonEmptyString, isObject } from './aws-validate.js';
import { describeRdsInstance } from './rds-describe-instance.js';
import { parseRdsArn } from './rds-status.js';

const provider = 'aws.rds';

/** A cross-region read replica is usually ready in tens of minutes (a snapshot, then a restore). */
const expectedCreateMs = 20 * 60_000;

/** Options of an RDS replica, under `providerOptions['aws.rds']`. */
interface RdsReplicaOptions {
  /** DB instance class of the replica. Default: the service's (the writer's class). */
  instanceClass?: string;
  /** Availability zone of the replica. Default: the service chooses. */
  availabilityZone?: string;
}

/**
 * Reprotect for RDS instances (`DatabaseReprotectV1`): after `PromoteReadReplica` broke
 * replication, `ensureReplica` creates a read replica of the promoted writer in the
 * original region (`CreateDBInstanceReadReplica`, sent to the replica's region, with the
 * writer's ARN as source across regions). It observes first: a replica of that name that
 * replicates from the writer is kept (or waited on while `creating`); anything else of
 * that name is refused, never deleted. A lost answer is found by describing the replica,
 * so it is never created twice.
 */
export function createRdsInstanceReprotect(
  clients: AwsClients,
  options: { pollIntervalMs?: number } = {},
): DatabaseReprotectV1 {
  const { time } = clients.runtime;

  async function describe(
    identifier: string,
    region: string,
    call: CallOptions,
  ): Promise<DBInstance | undefined> {
    try {
      return await describeRdsInstance(clients, identifier, region, call);
    } catch (thrown) {
      if (FailoverError.isInstance(thrown) && thrown.kind === 'not-found') return undefined;
      throw thrown;
    }
  }

  /** The writer the replica must follow: it exists in its region and replicates from nothing. */
  async function findWriter(spec: DatabaseReplicaSpec, call: CallOptions, context: AwsErrorContext) {
    const memberId = spec.writer.memberId;
    check(
      isNonEmptyString(memberId),
      context,
      'RDS needs the writer named (writer.memberId: the promoted instance).',
      'writer.memberId',
    );
    const id = parseRdsArn(memberId)?.id ?? memberId;
    const writer = await describe(id, spec.writer.region, call);
    if (!writer)
      throw awsFailure('not-found', context, `DB instance ${id} not found in ${spec.writer.region}.`);
    if (writer.ReadReplicaSourceDBInstanceIdentifier)
      throw awsFailure(
        'precondition-failed',
        context,
        `${id} still replicates from ${writer.ReadReplicaSourceDBInstanceIdentifier}: it is not the writer.`,
      );
    return { id, arn: writer.DBInstanceArn ?? '', status: writer.DBInstanceStatus };
  }

  async function observe(
    spec: DatabaseReplicaSpec,
    call: CallOptions,
    context: AwsErrorContext,
  ): Promise<DatabaseReplicaState> {
    const writer = await findWriter(spec, call, context);
    const replica = await describe(spec.replicaId, spec.region, call);
    const base = {
      specificationVersion: 'v1' as const,
      replicaId: spec.replicaId,
      region: spec.region,
      writerId: writer.id,
    };
    if (!replica) return { ...base, state: 'absent' };
    const source = replica.ReadReplicaSourceDBInstanceIdentifier;
    const status = replica.DBInstanceStatus;
    const fromWriter =
      source !== undefined &&
      (source === writer.arn || (spec.region === spec.writer.region && source === writer.id));
    return {
      ...base,
      state: !fromWriter ? 'foreign' : status === 'available' ? 'replicating' : 'creating',
      ...(source !== undefined && { replicatesFrom: source }),
      ...(status !== undefined && { rawStatus: status }),
    };
  }

  const handleOf = (spec: DatabaseReplicaSpec, writerId: string): OperationHandle => ({
    provider,
    operation: 'CreateDBInstanceReadReplica',
    id: spec.replicaId,
    startedAt: time.now(),
    detail: {
      kind: 'replica',
      replicaId: spec.replicaId,
      region: spec.region,
      writerId,
      writerRegion: spec.writer.region,
    },
  });

  return {
    reprotectVersion: 'v1',

    observeReplica(_ref: DatabaseRef, spec: DatabaseReplicaSpec, call?: CallOptions) {
      return runAwsMethod(provider, 'observeReplica', call, async (context, callOptions) => {
        checkSpec(spec, context);
        return observe(spec, callOptions, context);
      });
    },

    ensureReplica(
      _ref: DatabaseRef,
      spec: DatabaseReplicaSpec,
      call?: CallOptions,
    ): FailoverResult<EnsureResult<DatabaseReplicaState>> {
      return runAwsMethod(provider, 'ensureReplica', call, async (context, callOptions) => {
        checkSpec(spec, context);
        check(
          spec.designate !== true,
          context,
          'RDS instances have no switchover target to designate; a replica is promoted.',
          'designate',
        );
        const replicaOptions = readOptions(spec, context);
        const before = await observe(spec, callOptions, context);
        const writerId = before.writerId!;
        switch (before.state) {
          case 'replicating':
            return { before, changed: false };
          case 'creating':
            // Ours, from an earlier run or an answer that was lost: wait on it, never create another.
            return { before, changed: true, handle: handleOf(spec, writerId) };
          case 'foreign':
            throw awsFailure(
              'precondition-failed',
              context,
              `DB instance ${spec.replicaId} in ${spec.region} exists and is not a read replica of ${writerId} (it replicates from ${before.replicatesFrom ?? 'nothing'}); rename or remove it by hand, it is never deleted for you.`,
            );
        }
        if (callOptions.abortSignal?.aborted)
          throw awsFailure('cancelled', context, 'Aborted before CreateDBInstanceReadReplica.');
        const sameRegion = spec.region === spec.writer.region;
        const writer = await findWriter(spec, callOptions, context);
        const handle = await sendOrFindInFlight(
          async () => {
            await awsSend<unknown, 'rds'>(
              clients,
              {
                provider,
                region: spec.region,
                service: 'rds',
                operation: 'CreateDBInstanceReadReplica',
                mutating: true,
              },
              (sdk) =>
                new sdk.CreateDBInstanceReadReplicaCommand({
                  DBInstanceIdentifier: spec.replicaId,
                  // Across regions the source must be named by its ARN.
                  SourceDBInstanceIdentifier: sameRegion ? writer.id : writer.arn,
                  ...(replicaOptions.instanceClass && { DBInstanceClass: replicaOptions.instanceClass }),
                  ...(replicaOptions.availabilityZone && {
                    AvailabilityZone: replicaOptions.availabilityZone,
                  }),
                }),
              callOptions,
            );
            return handleOf(spec, writerId);
          },
          // The answer was lost: the replica shows up, replicating from the writer, if it was created.
          async () => {
            const again = await observe(spec, callOptions, context);
            return again.state === 'creating' || again.state === 'replicating'
              ? handleOf(spec, writerId)
              : undefined;
          },
        );
        return { before, changed: true, handle };
      });
    },

    waitForReplica(handle: OperationHandle, wait: WaitOptions): FailoverResult<DatabaseReplicaState> {
      return runAwsMethod(provider, 'waitForReplica', wait, async (context, callOptions) => {
        check(
          isObject(handle) && handle.provider === provider && isObject(handle.detail),
          context,
          `The handle is not an ${provider} handle.`,
          'handle',
        );
        const { kind, replicaId, region, writerId, writerRegion } = handle.detail as Record<string, unknown>;
        check(
          kind === 'replica' &&
            isNonEmptyString(replicaId) &&
            isAwsRegion(region) &&
            isNonEmptyString(writerId) &&
            isAwsRegion(writerRegion),
          context,
          'The handle lacks its replica or writer.',
          'handle.detail',
        );
        check(
          isObject(wait) && typeof wait.timeoutMs === 'number' && wait.timeoutMs >= 0,
          context,
          'waitForReplica needs a timeoutMs.',
          'timeoutMs',
        );
        const spec: DatabaseReplicaSpec = {
          replicaId,
          region,
          writer: { region: writerRegion, memberId: writerId },
        };
        return awsPollUntil<DatabaseReplicaState>({
          time,
          context,
          wait: { ...wait, expectedDurationMs: wait.expectedDurationMs ?? expectedCreateMs },
          intervalMs: options.pollIntervalMs ?? 30_000,
          ...(Number.isFinite(handle.startedAt) && { startedAt: handle.startedAt }),
          ...(callOptions.abortSignal && { abortSignal: callOptions.abortSignal }),
          poll: async () => {
            const state = await observe(spec, callOptions, context);
            if (state.state === 'absent')
              // The create was never applied (its request failed with its answer): ensure again.
              throw awsFailure('not-found', context, `No DB instance ${replicaId} in ${region}.`, {
                retryable: true,
              });
            if (state.state === 'foreign')
              throw awsFailure(
                'precondition-failed',
                context,
                `DB instance ${replicaId} replicates from ${state.replicatesFrom ?? 'nothing'}, not ${writerId}.`,
              );
            return state.state === 'replicating'
              ? { done: true, value: state }
              : { done: false, status: state.rawStatus ?? 'creating' };
          },
        });
      });
    },
  };
}

function checkSpec(spec: unknown, context: AwsErrorContext): asserts spec is DatabaseReplicaSpec {
  check(isObject(spec), context, 'The replica spec is missing.', 'spec');
  check(isAwsRegion(spec.region), context, `"${String(spec.region)}" is not an AWS region.`, 'region');
  check(
    isNonEmptyString(spec.replicaId),
    context,
    'replicaId must be a DB instance identifier.',
    'replicaId',
  );
  check(
    isObject(spec.writer) && isAwsRegion(spec.writer.region),
    context,
    'writer.region must be an AWS region.',
    'writer.region',
  );
}

function readOptions(spec: DatabaseReplicaSpec, context: AwsErrorContext): RdsReplicaOptions {
  const raw = spec.providerOptions?.[provider];
  if (raw === undefined) return {};
  check(
    isObject(raw),
    context,
    `providerOptions['${provider}'] must be an object.`,
    `providerOptions.${provider}`,
  );
  const { instanceClass, availabilityZone } = raw;
  check(
    instanceClass === undefined || isNonEmptyString(instanceClass),
    context,
    'instanceClass must be a DB instance class.',
    `providerOptions.${provider}.instanceClass`,
  );
  check(
    availabilityZone === undefined || isNonEmptyString(availabilityZone),
    context,
    'availabilityZone must be an availability zone.',
    `providerOptions.${provider}.availabilityZone`,
  );
  return {
    ...(instanceClass !== undefined && { instanceClass: instanceClass as string }),
    ...(availabilityZone !== undefined && { availabilityZone: availabilityZone as string }),
  };
}
