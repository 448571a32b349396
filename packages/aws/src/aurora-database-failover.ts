import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { GlobalCluster, RDSClient } from '@aws-sdk/client-rds';
import {
  type CallOptions,
  cancelledError,
  type DatabaseCapabilities,
  type DatabaseDesiredState,
  type DatabaseFailoverV1,
  type DatabaseMember,
  type DatabaseRef,
  type DatabaseTopology,
  databaseMatches,
  type EnsureResult,
  type FailoverResult,
  type OperationHandle,
  type ReplicationLagObservation,
  type WaitOptions,
} from '@failover/core';
import { createAuroraRegionReachability } from './aurora-region-reachability.js';
import {
  readReplicationLag,
  readReplicationLagSamples,
  withReplicationLag,
} from './aurora-replication-lag.js';
import {
  type AuroraClusterView,
  auroraProvider,
  describeCluster,
  describeGlobalCluster,
  globalTopology,
} from './aurora-topology.js';
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
import { parseRdsArn } from './rds-status.js';

const provider = auroraProvider;

/** Options of `databaseFailover()` (Aurora Global Database). */
export interface AuroraDatabaseFailoverOptions extends AwsResourceAccess {
  /** Region `describe` sends DescribeGlobalClusters to. Default: the factory's `region`. `ensureWriter` uses the target region. */
  region?: string;
  /** First poll delay of `waitForWriter`. Default 10 000 ms. */
  pollIntervalMs?: number;
  /**
   * Whether `describe` reads each secondary's replication lag from CloudWatch
   * (`AuroraGlobalDBReplicationLag`, one GetMetricData per secondary region), so plans can
   * check it before a failover. Default true. `false` makes no CloudWatch call and
   * declares `capabilities.replicationLag: false`.
   */
  replicationLag?: boolean;
  /** How far back `describe` looks for the newest lag datapoint. Default 300 000 ms; at least 60 000 (one period). */
  replicationLagWindowMs?: number;
  /**
   * How long reads of one member's region are retried (connections refused or reset, no DNS
   * answer, 5xx) before that member counts as unreachable, rather than until the step's
   * deadline: a dark primary region must not hold up a forced promotion sent to the survivor.
   * The region is then tried once per read until it answers again. Default 30 000 ms.
   */
  unreachableAfterMs?: number;
}

/** `providerOptions['aws.aurora']` of a desired state. */
export interface AuroraProviderOptions {
  /**
   * How `forced` moves the writer. `failover` (default): FailoverGlobalCluster
   * with AllowDataLoss. `detach`: RemoveFromGlobalCluster on the target, which
   * becomes a standalone writer — the runbook path when the primary region is
   * unreachable. The old primary keeps its writer role until fenced.
   */
  forcedStrategy?: 'failover' | 'detach';
}

/** An Aurora Global Database `DatabaseFailoverV1`, plus the SDK client as an escape hatch. */
export interface AuroraDatabaseFailover extends DatabaseFailoverV1 {
  readonly provider: 'aws.aurora';
  getClient(region: string): Promise<RDSClient>;
  /** The CloudWatch client `describe` reads replication lag with. */
  getCloudWatchClient(region: string): Promise<CloudWatchClient>;
}

/** Default of `replicationLagWindowMs`: five one-minute datapoints, so one late datapoint still leaves a recent one. */
const defaultLagWindowMs = 5 * 60_000;

type Strategy = 'switchover' | 'failover' | 'detach';

/**
 * Aurora Global Database: `ref.id` is the global cluster identifier. Planned =
 * SwitchoverGlobalCluster (no data loss); forced = FailoverGlobalCluster with
 * AllowDataLoss, or RemoveFromGlobalCluster with `forcedStrategy: 'detach'`.
 * Calls that act go to the target region, which is the one known to answer.
 * `describe` reports each secondary's replication lag from CloudWatch.
 */
export function createAuroraDatabaseFailover(
  clients: AwsClients,
  options: AuroraDatabaseFailoverOptions = {},
): AuroraDatabaseFailover {
  const { time, settings } = clients.runtime;
  const readsLag = options.replicationLag !== false;
  const capabilities: DatabaseCapabilities = { modes: ['planned', 'forced'], replicationLag: readsLag };

  const reachability = createAuroraRegionReachability(time, options.unreachableAfterMs);
  const topologyOf = (global: GlobalCluster, call: CallOptions) =>
    globalTopology(clients, global, call, reachability);

  const run = <T>(
    operation: string,
    call: unknown,
    fn: (context: AwsErrorContext, call: CallOptions) => Promise<T>,
  ) => runAwsMethod(provider, operation, call, fn);

  const checkRef = (ref: unknown, context: AwsErrorContext): string => {
    check(
      isObject(ref) && isNonEmptyString(ref.id),
      context,
      'The database ref needs the global cluster identifier as id.',
      'id',
    );
    return ref.id;
  };

  async function observe(globalId: string, region: string, call: CallOptions, context: AwsErrorContext) {
    const global = await describeGlobalCluster(clients, globalId, region, call, context);
    return { global, topology: await topologyOf(global, call) };
  }

  const self: AuroraDatabaseFailover = {
    specificationVersion: 'v1',
    kind: 'database',
    provider,
    capabilities,

    getClient: async (region) => (await clients.get('rds', region)).client,
    getCloudWatchClient: async (region) => (await clients.get('cloudwatch', region)).client,

    describe(ref: DatabaseRef, call?: CallOptions): FailoverResult<DatabaseTopology> {
      return run('describe', call, async (context, callOptions) => {
        const globalId = checkRef(ref, context);
        const region = resolveRegion(context, options.region, settings.region);
        const windowMs = options.replicationLagWindowMs ?? defaultLagWindowMs;
        check(
          Number.isFinite(windowMs) && windowMs >= 60_000,
          context,
          'replicationLagWindowMs must be at least 60000 (one CloudWatch period).',
          'replicationLagWindowMs',
        );
        const global = await describeGlobalCluster(clients, globalId, region, callOptions, context);
        if (!readsLag) return topologyOf(global, callOptions);
        // The lag comes from CloudWatch in each secondary's region, beside the clusters' own reads.
        const [topology, lags] = await Promise.all([
          topologyOf(global, callOptions),
          readReplicationLag(clients, global, windowMs, callOptions),
        ]);
        return withReplicationLag(topology, lags);
      });
    },

    observeReplicationLag(ref: DatabaseRef, call?: CallOptions): FailoverResult<ReplicationLagObservation> {
      return run('observeReplicationLag', call, async (context, callOptions) => {
        const globalId = checkRef(ref, context);
        const region = resolveRegion(context, options.region, settings.region);
        const windowMs = options.replicationLagWindowMs ?? defaultLagWindowMs;
        const global = await describeGlobalCluster(clients, globalId, region, callOptions, context);
        const samples = await readReplicationLagSamples(clients, global, windowMs, callOptions, true);
        return {
          specificationVersion: 'v1',
          databaseId: globalId,
          observedAt: time.now(),
          samples: [...samples].map(([memberId, sample]) => ({ memberId, ...sample })),
        };
      });
    },

    ensureWriter(
      ref: DatabaseRef,
      desired: DatabaseDesiredState,
      call?: CallOptions,
    ): FailoverResult<EnsureResult<DatabaseTopology>> {
      return run('ensureWriter', call, async (context, callOptions) => {
        const globalId = checkRef(ref, context);
        const strategy = checkDesired(desired, context);
        const region = desired.region;
        const { global, topology } = await observe(globalId, region, callOptions, context);
        const decision = decide(globalId, topology, desired, strategy, context);
        if (decision.action === 'none') return { before: topology, changed: false };
        if (decision.action === 'in-flight') {
          // A switchover or failover already under way: to our target, wait on it; elsewhere, a conflict.
          const adopted = inFlightHandle(globalId, global, desired);
          if (adopted) return { before: topology, changed: true, handle: adopted };
          throw awsFailure(
            'conflict',
            context,
            `Global cluster ${globalId} is ${topology.rawStatus ?? 'busy'} (to ${global.FailoverState?.ToDbClusterArn ?? 'another member'}); wait for it to finish.`,
            { retryable: true, retryAfterMs: 30_000 },
          );
        }
        if (decision.action === 'check-detached') {
          // After a detach the target is no longer a member: it is done if it stands alone as a writer.
          const detached = await standalone(decision.memberId, region, callOptions);
          if (detached?.status === 'available' && detached.hasWriter)
            return { before: topology, changed: false };
          if (detached !== undefined)
            return {
              before: topology,
              changed: true,
              handle: handleOf(globalId, strategy, detached.arn, region),
            };
          throw noTarget(globalId, desired, context);
        }
        const target = decision.target;
        if (callOptions.abortSignal?.aborted)
          throw cancelledError(provider, 'ensureWriter', callOptions.abortSignal.reason);

        const request = (operation: string) => ({
          provider,
          service: 'rds' as const,
          region,
          operation,
          mutating: true,
        });
        const send = async () => {
          if (strategy === 'switchover') {
            await awsSend<unknown, 'rds'>(
              clients,
              request('SwitchoverGlobalCluster'),
              (sdk) =>
                new sdk.SwitchoverGlobalClusterCommand({
                  GlobalClusterIdentifier: globalId,
                  TargetDbClusterIdentifier: target.id,
                }),
              callOptions,
            );
          } else if (strategy === 'failover') {
            await awsSend<unknown, 'rds'>(
              clients,
              request('FailoverGlobalCluster'),
              (sdk) =>
                new sdk.FailoverGlobalClusterCommand({
                  GlobalClusterIdentifier: globalId,
                  TargetDbClusterIdentifier: target.id,
                  AllowDataLoss: true,
                }),
              callOptions,
            );
          } else {
            await awsSend<unknown, 'rds'>(
              clients,
              request('RemoveFromGlobalCluster'),
              (sdk) =>
                new sdk.RemoveFromGlobalClusterCommand({
                  GlobalClusterIdentifier: globalId,
                  DbClusterIdentifier: target.id,
                }),
              callOptions,
            );
          }
          return handleOf(globalId, strategy, target.id, region);
        };
        // The answer was lost (or a re-sent request met our own operation): observe, and wait on it if it runs.
        const inFlight = async (): Promise<OperationHandle | undefined> => {
          if (strategy === 'detach') {
            const detached = await standalone(target.id, region, callOptions);
            return detached ? handleOf(globalId, strategy, target.id, region) : undefined;
          }
          const now = await describeGlobalCluster(clients, globalId, region, callOptions, context);
          const member = now.GlobalClusterMembers?.find((item) => item.DBClusterArn === target.id);
          return now.FailoverState?.ToDbClusterArn === target.id || member?.IsWriter
            ? handleOf(globalId, strategy, target.id, region)
            : undefined;
        };
        const handle = await sendOrFindInFlight(send, inFlight);
        return { before: topology, changed: true, handle };
      });
    },

    precheckWriter(
      ref: DatabaseRef,
      desired: DatabaseDesiredState,
      observed: DatabaseTopology,
      call?: CallOptions,
    ): FailoverResult<void> {
      return run('precheckWriter', call, async (context, callOptions) => {
        const globalId = checkRef(ref, context);
        const strategy = checkDesired(desired, context);
        check(
          isObject(observed) && Array.isArray(observed.members),
          context,
          'The observed topology must be one describe() returned.',
          'observed',
        );
        const decision = decide(globalId, observed, desired, strategy, context);
        if (decision.action !== 'check-detached') return;
        const detached = await standalone(decision.memberId, desired.region, callOptions);
        if (!detached) throw noTarget(globalId, desired, context);
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
        const { globalClusterId, targetArn, targetRegion, strategy } = handle.detail as Record<
          string,
          unknown
        >;
        check(
          isNonEmptyString(globalClusterId) && isNonEmptyString(targetArn) && isAwsRegion(targetRegion),
          context,
          'The handle lacks its target.',
          'handle.detail',
        );
        check(
          strategy === 'switchover' || strategy === 'failover' || strategy === 'detach',
          context,
          'The handle names no strategy.',
          'handle.detail.strategy',
        );
        check(
          isObject(wait) && typeof wait.timeoutMs === 'number' && wait.timeoutMs >= 0,
          context,
          'waitForWriter needs a timeoutMs.',
          'timeoutMs',
        );
        const targetId = parseRdsArn(targetArn)?.id ?? targetArn;

        const poll = async () => {
          if (strategy === 'detach') {
            const cluster = await describeCluster(clients, targetId, targetRegion, callOptions);
            if (
              cluster?.status !== 'available' ||
              !cluster.hasWriter ||
              cluster.globalClusterId !== undefined
            ) {
              return { done: false as const, ...(cluster?.status && { status: cluster.status }) };
            }
            return {
              done: true as const,
              value: await afterDetach(globalClusterId, cluster, callOptions, context),
            };
          }
          const global = await describeGlobalCluster(
            clients,
            globalClusterId,
            targetRegion,
            callOptions,
            context,
          );
          const member = global.GlobalClusterMembers?.find((item) => item.DBClusterArn === targetArn);
          if (!member?.IsWriter || global.FailoverState !== undefined) {
            return {
              done: false as const,
              status: global.FailoverState?.Status ?? global.Status ?? 'unknown',
            };
          }
          const topology = await topologyOf(global, callOptions);
          const target = topology.members.find((item) => item.id === targetArn);
          return target?.status === 'available' && !topology.failoverInProgress
            ? { done: true as const, value: topology }
            : { done: false as const, status: target?.rawStatus ?? 'unknown' };
        };

        return awsPollUntil<DatabaseTopology>({
          time,
          context,
          wait: {
            ...wait,
            expectedDurationMs:
              wait.expectedDurationMs ??
              (strategy === 'switchover'
                ? awsExpectedDurationMs.auroraSwitchover
                : strategy === 'failover'
                  ? awsExpectedDurationMs.auroraFailover
                  : awsExpectedDurationMs.auroraDetach),
          },
          intervalMs: options.pollIntervalMs ?? 10_000,
          ...(Number.isFinite(handle.startedAt) && { startedAt: handle.startedAt }),
          ...(callOptions.abortSignal && { abortSignal: callOptions.abortSignal }),
          poll,
        });
      });
    },
  };
  // Without CloudWatch reads (`replicationLag: false`) there is no lag to observe.
  if (!readsLag) delete self.observeReplicationLag;

  /** Validates a desired state and says how it moves the writer. */
  function checkDesired(desired: unknown, context: AwsErrorContext): Strategy {
    checkDatabaseDesiredState(desired, context, 'memberId must be a cluster identifier or ARN.');
    const state = desired as DatabaseDesiredState;
    check(
      state.zone === undefined || isNonEmptyString(state.zone),
      context,
      'zone must be an availability zone.',
      'zone',
    );
    const aurora = (state.providerOptions?.[provider] ?? {}) as AuroraProviderOptions;
    check(
      aurora.forcedStrategy === undefined ||
        aurora.forcedStrategy === 'failover' ||
        aurora.forcedStrategy === 'detach',
      context,
      `providerOptions['aws.aurora'].forcedStrategy must be 'failover' or 'detach'.`,
      "providerOptions['aws.aurora'].forcedStrategy",
    );
    return state.mode === 'planned' ? 'switchover' : (aurora.forcedStrategy ?? 'failover');
  }

  const memberMatches = (desired: DatabaseDesiredState, arn: string) =>
    desired.memberId === undefined || arn === desired.memberId || parseRdsArn(arn)?.id === desired.memberId;

  /**
   * Compares the whole desired state with the topology and says what to do, or throws
   * the error `ensureWriter` returns. Pure, so the pre-check and the run agree.
   */
  function decide(
    globalId: string,
    topology: DatabaseTopology,
    desired: DatabaseDesiredState,
    strategy: Strategy,
    context: AwsErrorContext,
  ):
    | { action: 'none' }
    | { action: 'in-flight' }
    | { action: 'check-detached'; memberId: string }
    | { action: 'start'; target: DatabaseMember } {
    if (desired.zone !== undefined) {
      // Members are regional clusters: the global database moves the writer between regions, not zones.
      throw awsFailure(
        'unsupported',
        context,
        `An Aurora global database moves its writer between regions; a writer zone (${desired.zone}) is not something it can ensure. Name the region and, if needed, the cluster as memberId.`,
      );
    }
    const region = desired.region;
    const writer = topology.members.find((member) => member.role === 'writer');
    if (!topology.failoverInProgress && databaseMatches(topology, { ...desired, memberId: undefined })) {
      if (writer && memberMatches(desired, writer.id)) return { action: 'none' };
    }
    if (topology.failoverInProgress) return { action: 'in-flight' };
    const target = topology.members.find(
      (member) => member.region === region && member.role === 'reader' && memberMatches(desired, member.id),
    );
    if (!target) {
      if (strategy === 'detach' && desired.memberId !== undefined)
        return { action: 'check-detached', memberId: desired.memberId };
      throw noTarget(globalId, desired, context);
    }
    if (target.status !== 'available') {
      throw awsFailure(
        'precondition-failed',
        context,
        `The ${region} member is ${target.rawStatus ?? target.status}, not available.`,
      );
    }
    if (strategy === 'switchover' && writer?.status !== 'available') {
      throw awsFailure(
        'precondition-failed',
        context,
        `A planned switchover needs the current writer available; the writer in ${writer?.region ?? 'no region'} is ${writer?.rawStatus ?? writer?.status ?? 'missing'}. Use mode 'forced'.`,
      );
    }
    return { action: 'start', target };
  }

  function noTarget(globalId: string, desired: DatabaseDesiredState, context: AwsErrorContext) {
    return awsFailure(
      'precondition-failed',
      context,
      `Global cluster ${globalId} has no ${desired.memberId ? `member ${desired.memberId}` : 'member'} in ${desired.region} that can take the writer role.`,
    );
  }

  function handleOf(
    globalId: string,
    strategy: Strategy,
    targetArn: string,
    region: string,
  ): OperationHandle {
    return {
      provider,
      operation:
        strategy === 'switchover'
          ? 'SwitchoverGlobalCluster'
          : strategy === 'failover'
            ? 'FailoverGlobalCluster'
            : 'RemoveFromGlobalCluster',
      id: globalId,
      startedAt: time.now(),
      detail: { globalClusterId: globalId, targetArn, targetRegion: region, strategy },
    };
  }

  /** A handle on the operation in flight, when it moves the writer where the desired state wants it. */
  function inFlightHandle(
    globalId: string,
    global: GlobalCluster,
    desired: DatabaseDesiredState,
  ): OperationHandle | undefined {
    const to = global.FailoverState?.ToDbClusterArn;
    if (!to || parseRdsArn(to)?.region !== desired.region || !memberMatches(desired, to)) return undefined;
    const strategy: Strategy = global.FailoverState?.IsDataLossAllowed ? 'failover' : 'switchover';
    return handleOf(globalId, strategy, to, desired.region);
  }

  async function standalone(
    memberId: string,
    region: string,
    call: CallOptions,
  ): Promise<AuroraClusterView | undefined> {
    const id = parseRdsArn(memberId)?.id ?? memberId;
    try {
      const cluster = await describeCluster(clients, id, region, call);
      return cluster?.globalClusterId === undefined ? cluster : undefined;
    } catch {
      return undefined;
    }
  }

  /** The detached cluster as the writer, beside what is left of the global cluster (its old writer, if it still answers). */
  async function afterDetach(
    globalId: string,
    detached: AuroraClusterView,
    call: CallOptions,
    context: AwsErrorContext,
  ): Promise<DatabaseTopology> {
    const writer = {
      id: detached.arn,
      region: detached.region,
      role: 'writer' as const,
      status: 'available' as const,
      rawStatus: detached.status ?? 'available',
    };
    try {
      const rest = await topologyOf(
        await describeGlobalCluster(clients, globalId, detached.region, call, context),
        call,
      );
      return { ...rest, id: globalId, members: [writer, ...rest.members] };
    } catch {
      return { id: globalId, members: [writer], failoverInProgress: false };
    }
  }

  return self;
}
