import type {
  DescribeNodegroupCommandOutput,
  DescribeUpdateCommandOutput,
  EKSClient,
  Nodegroup,
  UpdateNodegroupConfigCommandOutput,
} from '@aws-sdk/client-eks';
import {
  type CallOptions,
  type ClusterCapabilities,
  type ClusterScalerV1,
  cancelledError,
  type EnsureResult,
  type FailoverResult,
  type NodePool,
  type NodePoolDesiredState,
  type NodePoolRef,
  type OperationHandle,
  type WaitOptions,
} from '@failover/core';
import { awsPollUntil, awsSend, runAwsMethod } from './aws-call.js';
import type { AwsClients } from './aws-clients.js';
import { type AwsErrorContext, awsFailure } from './aws-error.js';
import { awsExpectedDurationMs } from './aws-expected-durations.js';
import { sendOrFindInFlight } from './aws-lost-answer.js';
import type { AwsResourceAccess } from './aws-settings.js';
import { check, isAwsRegion, isNonEmptyString, isObject, resolveRegion } from './aws-validate.js';

const provider = 'aws.eks';

/** Options of `clusterScaler()`. */
export interface EksClusterScalerOptions extends AwsResourceAccess {
  /** Region of pools whose ref names none. Default: the factory's `region`. */
  region?: string;
  /** First poll delay of `waitForPool`. Default 10 000 ms. */
  pollIntervalMs?: number;
}

/** An EKS managed node group `ClusterScalerV1`, plus the SDK client as an escape hatch. */
export interface EksClusterScaler extends ClusterScalerV1 {
  readonly provider: 'aws.eks';
  getClient(region: string): Promise<EKSClient>;
}

const capabilities: ClusterCapabilities = { bounds: true, autoscaledPools: true };

interface Sizes {
  min: number;
  max: number;
  desired: number;
}

/**
 * EKS managed node groups. The EKS API reports no node readiness, so `ready`
 * is inferred: every desired node once the group is ACTIVE with no update in
 * flight, none while it updates, the unaffected ones when DEGRADED. For node
 * readiness proper, check the nodes through the Kubernetes API.
 */
export function createEksClusterScaler(
  clients: AwsClients,
  options: EksClusterScalerOptions = {},
): EksClusterScaler {
  const { time, settings } = clients.runtime;

  const run = <T>(
    operation: string,
    call: unknown,
    fn: (context: AwsErrorContext, call: CallOptions) => Promise<T>,
  ) => runAwsMethod(provider, operation, call, fn);

  function checkRef(
    ref: unknown,
    context: AwsErrorContext,
  ): { cluster: string; pool: string; region: string } {
    check(isObject(ref), context, 'The pool ref must be an object.');
    check(isNonEmptyString(ref.cluster), context, 'The pool ref needs the EKS cluster name.', 'cluster');
    check(isNonEmptyString(ref.pool), context, 'The pool ref needs the node group name.', 'pool');
    check(
      ref.region === undefined || typeof ref.region === 'string',
      context,
      'ref.region must be a string.',
      'region',
    );
    const region = resolveRegion(context, ref.region as string | undefined, options.region, settings.region);
    return { cluster: ref.cluster, pool: ref.pool, region };
  }

  async function describeNodegroup(
    cluster: string,
    pool: string,
    region: string,
    call: CallOptions,
  ): Promise<Nodegroup> {
    const out = await awsSend<DescribeNodegroupCommandOutput, 'eks'>(
      clients,
      { provider, region, service: 'eks', operation: 'DescribeNodegroup', mutating: false },
      (sdk) => new sdk.DescribeNodegroupCommand({ clusterName: cluster, nodegroupName: pool }),
      call,
    );
    if (!out.nodegroup)
      throw awsFailure(
        'not-found',
        { provider, operation: 'DescribeNodegroup' },
        `No node group ${pool} in ${cluster}.`,
      );
    return out.nodegroup;
  }

  function toPool(group: Nodegroup, region: string): NodePool {
    const scaling = group.scalingConfig ?? {};
    const desired = scaling.desiredSize ?? 0;
    const raw = group.status;
    const affected = new Set((group.health?.issues ?? []).flatMap((issue) => issue.resourceIds ?? [])).size;
    const status: NodePool['status'] =
      raw === 'ACTIVE'
        ? 'ready'
        : raw === 'UPDATING' || raw === 'CREATING'
          ? 'scaling'
          : raw === 'DEGRADED' || raw?.endsWith('FAILED')
            ? 'degraded'
            : 'unknown';
    const ready = status === 'ready' ? desired : status === 'degraded' ? Math.max(0, desired - affected) : 0;
    return {
      cluster: group.clusterName ?? '',
      pool: group.nodegroupName ?? '',
      region,
      desired,
      min: scaling.minSize ?? 0,
      max: scaling.maxSize ?? 0,
      ready,
      // EKS does not say whether a cluster autoscaler moves the desired size within the bounds.
      autoscaling: false,
      status,
      ...(raw !== undefined && { rawStatus: raw }),
    };
  }

  function checkSizes(sizes: Partial<Sizes>, context: AwsErrorContext, prefix: string): void {
    for (const key of ['min', 'max', 'desired'] as const) {
      const value = sizes[key];
      check(
        value === undefined || (Number.isInteger(value) && value >= 0),
        context,
        `${prefix}${key} must be a non-negative integer, not ${String(value)}.`,
        key,
      );
    }
    const { min, max, desired } = sizes;
    if (min !== undefined && max !== undefined)
      check(min <= max, context, `${prefix}min ${min} is greater than max ${max}.`, 'min');
    if (min !== undefined && desired !== undefined)
      check(min <= desired, context, `${prefix}min ${min} is greater than desired ${desired}.`, 'min');
    if (desired !== undefined && max !== undefined)
      check(desired <= max, context, `${prefix}desired ${desired} is greater than max ${max}.`, 'desired');
    if (max !== undefined)
      check(max >= 1, context, `${prefix}max must be at least 1 for an EKS node group.`, 'max');
  }

  /** The sizes to send: what the caller named over what was observed, each checked, or the `invalid-input` error. */
  function nextSizes(desired: unknown, before: NodePool, context: AwsErrorContext): Sizes {
    checkOwnSizes(desired, context);
    const want = desired as NodePoolDesiredState;
    const next: Sizes = {
      min: want.min ?? before.min,
      max: want.max ?? before.max,
      desired: want.desired ?? before.desired,
    };
    checkSizes(
      next,
      context,
      `With the current sizes (min ${before.min}, desired ${before.desired}, max ${before.max}): `,
    );
    return next;
  }

  /** What the caller named must hold on its own, before anything is sent. */
  function checkOwnSizes(desired: unknown, context: AwsErrorContext): void {
    check(isObject(desired), context, 'The desired sizes must be an object.');
    check(
      desired.min !== undefined || desired.max !== undefined || desired.desired !== undefined,
      context,
      'Name at least one of desired, min and max.',
    );
    checkSizes(desired, context, '');
  }

  function poolHandle(
    cluster: string,
    pool: string,
    region: string,
    next: Sizes,
    updateId: string | undefined,
  ): OperationHandle {
    return {
      provider,
      operation: 'UpdateNodegroupConfig',
      ...(updateId !== undefined && { id: updateId }),
      startedAt: time.now(),
      detail: { cluster, pool, region, ...next },
    };
  }

  const self: EksClusterScaler = {
    specificationVersion: 'v1',
    kind: 'cluster',
    provider,
    capabilities,

    getClient: async (region) => (await clients.get('eks', region)).client,

    describePool(ref: NodePoolRef, call?: CallOptions): FailoverResult<NodePool> {
      return run('describePool', call, async (context, callOptions) => {
        const { cluster, pool, region } = checkRef(ref, context);
        return toPool(await describeNodegroup(cluster, pool, region, callOptions), region);
      });
    },

    ensureSize(
      ref: NodePoolRef,
      desired: NodePoolDesiredState,
      call?: CallOptions,
    ): FailoverResult<EnsureResult<NodePool>> {
      return run('ensureSize', call, async (context, callOptions) => {
        const { cluster, pool, region } = checkRef(ref, context);
        checkOwnSizes(desired, context);
        const group = await describeNodegroup(cluster, pool, region, callOptions);
        const before = toPool(group, region);
        const next = nextSizes(desired, before, context);
        if (next.min === before.min && next.max === before.max && next.desired === before.desired) {
          // The sizes already read as desired; an update still in flight (ours, whose answer was lost) is waited on.
          if (before.status === 'scaling')
            return { before, changed: true, handle: poolHandle(cluster, pool, region, next, undefined) };
          return { before, changed: false };
        }
        if (callOptions.abortSignal?.aborted)
          throw cancelledError(provider, 'ensureSize', callOptions.abortSignal.reason);
        // All three values, so EKS checks the final triple rather than a mix of old and new.
        const handle = await sendOrFindInFlight(
          async () => {
            const out = await awsSend<UpdateNodegroupConfigCommandOutput, 'eks'>(
              clients,
              { provider, region, service: 'eks', operation: 'UpdateNodegroupConfig', mutating: true },
              (sdk) =>
                new sdk.UpdateNodegroupConfigCommand({
                  clusterName: cluster,
                  nodegroupName: pool,
                  scalingConfig: { minSize: next.min, maxSize: next.max, desiredSize: next.desired },
                }),
              callOptions,
            );
            return poolHandle(cluster, pool, region, next, out.update?.id);
          },
          // The answer was lost: if the group already carries our sizes, the update went through.
          async () => {
            const now = toPool(await describeNodegroup(cluster, pool, region, callOptions), region);
            return now.min === next.min && now.max === next.max && now.desired === next.desired
              ? poolHandle(cluster, pool, region, next, undefined)
              : undefined;
          },
        );
        return { before, changed: true, handle };
      });
    },

    precheckSize(
      ref: NodePoolRef,
      desired: NodePoolDesiredState,
      observed: NodePool,
      call?: CallOptions,
    ): FailoverResult<void> {
      return run('precheckSize', call, async (context) => {
        checkRef(ref, context);
        check(
          isObject(observed) && typeof observed.desired === 'number',
          context,
          'The observed pool must be one describePool() returned.',
          'observed',
        );
        nextSizes(desired, observed, context);
      });
    },

    waitForPool(
      handle: OperationHandle,
      wait: WaitOptions & { minReady?: number },
    ): FailoverResult<NodePool> {
      return run('waitForPool', wait, async (context, callOptions) => {
        check(
          isObject(handle) && handle.provider === provider && isObject(handle.detail),
          context,
          `The handle is not an ${provider} handle.`,
          'handle',
        );
        const { cluster, pool, region } = handle.detail as Record<string, unknown>;
        check(
          isNonEmptyString(cluster) && isNonEmptyString(pool) && isAwsRegion(region),
          context,
          'The handle lacks its node group.',
          'handle.detail',
        );
        check(
          isObject(wait) && typeof wait.timeoutMs === 'number' && wait.timeoutMs >= 0,
          context,
          'waitForPool needs a timeoutMs.',
          'timeoutMs',
        );
        check(
          wait.minReady === undefined || (Number.isInteger(wait.minReady) && wait.minReady >= 0),
          context,
          'minReady must be a non-negative integer.',
          'minReady',
        );
        const updateId = typeof handle.id === 'string' ? handle.id : undefined;
        let updateDone = updateId === undefined;

        const poll = async () => {
          if (!updateDone) {
            const out = await awsSend<DescribeUpdateCommandOutput, 'eks'>(
              clients,
              { provider, region, service: 'eks', operation: 'DescribeUpdate', mutating: false },
              (sdk) =>
                new sdk.DescribeUpdateCommand({ name: cluster, updateId: updateId!, nodegroupName: pool }),
              callOptions,
            );
            const status = out.update?.status;
            if (status === 'Failed' || status === 'Cancelled') {
              const reasons = (out.update?.errors ?? [])
                .map((item) => `${item.errorCode}: ${item.errorMessage}`)
                .join('; ');
              throw awsFailure(
                'unavailable',
                context,
                `EKS update ${updateId} of ${cluster}/${pool} ended ${status}${reasons ? `: ${reasons}` : ''}.`,
                { retryable: false },
              );
            }
            if (status !== 'Successful')
              return { done: false as const, status: `update ${status ?? 'unknown'}` };
            updateDone = true;
          }
          const current = toPool(await describeNodegroup(cluster, pool, region, callOptions), region);
          const minReady = wait.minReady ?? current.desired;
          return current.status === 'ready' && current.ready >= minReady
            ? { done: true as const, value: current }
            : { done: false as const, status: current.rawStatus ?? current.status };
        };
        return awsPollUntil<NodePool>({
          time,
          context,
          wait: { ...wait, expectedDurationMs: wait.expectedDurationMs ?? awsExpectedDurationMs.eksScale },
          intervalMs: options.pollIntervalMs ?? 10_000,
          ...(Number.isFinite(handle.startedAt) && { startedAt: handle.startedAt }),
          ...(callOptions.abortSignal && { abortSignal: callOptions.abortSignal }),
          poll,
        });
      });
    },
  };
  return self;
}
