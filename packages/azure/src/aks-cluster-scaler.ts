import type { AgentPool, ContainerServiceClient } from '@azure/arm-containerservice';
import {
  type ClusterCapabilities,
  type ClusterScalerV1,
  type EnsureResult,
  errAsync,
  FailoverError,
  type NodePool,
  type NodePoolRef,
  type OperationHandle,
  pollUntil,
  realTime,
} from '@failover/core';
import { checkSizeShape, poolUpdate, resolvePoolSize, toNodePool } from './aks-node-pool.js';
import { azureCall } from './azure-call.js';
import type { AzureClients } from './azure-clients.js';
import { lroFailed } from './azure-error.js';
import { waitForFirstPoll } from './azure-lro-first-poll.js';
import { resolveArmName } from './azure-resource-id.js';
import type { AksScalerOptions } from './azure-settings.js';

const provider = 'azure.aks';
const putOperation = 'AgentPools_CreateOrUpdate';

interface PoolAddress {
  resourceGroup: string;
  cluster: string;
  pool: string;
}

interface ScaleDetail extends PoolAddress {
  ref: NodePoolRef;
  desired: number;
  /** The Retry-After of the PUT's answer: the first poll waits that long after `startedAt`. */
  firstPollAfterMs?: number;
}

/** How long an agent pool scale usually takes: the wait's schedule starts from it. */
const expectedScaleMs = 3 * 60_000;

interface PoolPoller {
  poll(options?: { abortSignal?: AbortSignal }): Promise<unknown>;
  serialize(): Promise<string>;
  readonly isDone: boolean;
  readonly result?: AgentPool;
  readonly operationState?: { status: string };
}

/**
 * AKS agent pools as a `ClusterScalerV1` (ref: `cluster` = `resourceGroup/cluster`,
 * a cluster name with a default resource group, or the cluster's ARM id;
 * `pool` = the agent pool name). `ensureSize` reads the pool and, when the sizes
 * differ, PUTs it back with the new count (and autoscaler bounds on an
 * autoscaled pool), guarded by its eTag. The wait follows the PUT's
 * long-running operation (its serialised poller is in the handle) until the
 * pool is `Succeeded`.
 */
export function createAksClusterScaler(
  clients: AzureClients,
  options: AksScalerOptions = {},
): ClusterScalerV1 {
  const time = clients.settings.time ?? realTime;
  const capabilities: ClusterCapabilities = { bounds: true, autoscaledPools: true };

  const address = (ref: NodePoolRef, operation: string): PoolAddress => {
    const candidate = ref as Partial<NodePoolRef> | null | undefined;
    if (typeof candidate?.pool !== 'string' || candidate.pool.trim() === '') {
      throw new FailoverError({
        kind: 'invalid-input',
        message: 'ref.pool must be the agent pool name.',
        provider,
        operation,
        path: 'ref.pool',
      });
    }
    const resolved = resolveArmName({
      ref: candidate.cluster,
      field: 'ref.cluster',
      shape: ['cluster'],
      typeSegments: ['managedClusters'],
      defaults: [options.resourceGroup ?? clients.settings.resourceGroup],
      provider,
      operation,
    });
    if (FailoverError.isInstance(resolved)) throw resolved;
    return { resourceGroup: resolved.resourceGroup, cluster: resolved.names[0]!, pool: candidate.pool };
  };

  const get = (client: ContainerServiceClient, at: PoolAddress, signal?: AbortSignal) =>
    client.agentPools.get(at.resourceGroup, at.cluster, at.pool, { abortSignal: signal });

  return {
    specificationVersion: 'v1',
    kind: 'cluster',
    provider,
    capabilities,

    describePool(ref, callOptions) {
      return azureCall(provider, 'describePool', callOptions, async () => {
        const at = address(ref, 'describePool');
        return toNodePool(ref, await get(await clients.containerService(), at, callOptions?.abortSignal));
      });
    },

    precheckSize(ref, desired, observed, callOptions) {
      // Read-only and local: the refusals of ensureSize, from the pool already observed.
      return azureCall(provider, 'precheckSize', callOptions, async () => {
        address(ref, 'precheckSize');
        checkSizeShape(desired, provider);
        const sizes = resolvePoolSize(observed, desired, provider);
        if (observed.status === 'scaling' && !sameSizes(sizes, observed)) {
          throw busyElsewhere(ref.pool, observed.rawStatus ?? 'Updating', observed.desired);
        }
      });
    },

    ensureSize(ref, desired, callOptions) {
      return azureCall(
        provider,
        'ensureSize',
        callOptions,
        async (context): Promise<EnsureResult<NodePool>> => {
          const at = address(ref, 'ensureSize');
          checkSizeShape(desired, provider);
          const client = await clients.containerService();
          const signal = callOptions?.abortSignal;
          const pool = await get(client, at, signal);
          const before = toNodePool(ref, pool);
          const sizes = resolvePoolSize(before, desired, provider);
          const same = sameSizes(sizes, before);
          const detail: ScaleDetail = { ...at, ref: { ...ref }, desired: sizes.desired };
          if (before.status === 'scaling') {
            // An update is in flight (ours, applied but its answer lost, or another's). Towards
            // these sizes: hand back a handle that waits for it (ARM does not say which operation
            // it is, so the wait reads the pool), never a second PUT. Otherwise AKS would refuse
            // the PUT anyway: say so without sending it.
            if (!same) throw busyElsewhere(at.pool, pool.provisioningState ?? 'Updating', before.desired);
            return { before, changed: true, handle: handleOf(detail, time.now()) };
          }
          // A pool whose last update Failed is reconciled by PUTting it again, even at the same sizes.
          if (same && pool.provisioningState !== 'Failed') return { before, changed: false };
          const startedAt = time.now();
          const poller = client.agentPools.createOrUpdate(
            at.resourceGroup,
            at.cluster,
            at.pool,
            poolUpdate(pool, sizes),
            {
              abortSignal: signal,
              // With an eTag, someone else's change since our read makes this a 412 (conflict),
              // not a silent overwrite. A pool read without one (the service may send none) is
              // PUT without If-Match: nothing to guard with, so the last writer wins, as in the
              // portal and the CLI.
              ...(typeof pool.eTag === 'string' && pool.eTag !== '' && { ifMatch: pool.eTag }),
            },
          );
          await poller.submitted();
          const state = await poller.serialize();
          const firstPollAfterMs = context.lastRetryAfterMs;
          return {
            before,
            changed: true,
            handle: handleOf(
              { ...detail, ...(firstPollAfterMs !== undefined && { firstPollAfterMs }) },
              startedAt,
              state,
            ),
          };
        },
      );
    },

    waitForPool(handle, waitOptions) {
      const operation = 'waitForPool';
      const detail = scaleDetail(handle);
      if (FailoverError.isInstance(detail)) return errAsync(detail);
      const minReady = waitOptions?.minReady ?? detail.desired;
      const signal = waitOptions?.abortSignal;
      let poller: PoolPoller | undefined;
      let state = handle.state;
      let operationDone = state === undefined;
      let first = true;

      return pollUntil<NodePool>({
        time,
        provider,
        operation,
        timeoutMs: waitOptions?.timeoutMs ?? 0,
        pollIntervalMs: waitOptions?.pollIntervalMs ?? 15_000,
        ...(signal && { abortSignal: signal }),
        expectedDurationMs: waitOptions?.expectedDurationMs ?? expectedScaleMs,
        startedAt: handle.startedAt,
        poll: () =>
          azureCall(provider, operation, waitOptions, async (context) => {
            if (first) {
              first = false;
              await waitForFirstPoll(time, handle.startedAt, detail.firstPollAfterMs, signal);
            }
            const client = await clients.containerService();
            const retry = () =>
              context.lastRetryAfterMs !== undefined ? { retryAfterMs: context.lastRetryAfterMs } : {};
            let pool: AgentPool | undefined;
            if (!operationDone) {
              if (!poller) {
                const { restorePoller } = await import('@azure/arm-containerservice');
                poller = restorePoller(client, state!, client.agentPools.createOrUpdate, {
                  ...(signal && { abortSignal: signal }),
                }) as unknown as PoolPoller;
              }
              try {
                await poller.poll({ ...(signal && { abortSignal: signal }) });
                state = await poller.serialize();
              } catch (error) {
                // core-lro marks its state failed on any HTTP error of a poll, a 429 included:
                // drop that poller and resume from the last good state on the next poll.
                poller = undefined;
                throw failedOperation(error);
              }
              if (!poller.isDone)
                return {
                  done: false as const,
                  status: poller.operationState?.status ?? 'running',
                  ...retry(),
                };
              operationDone = true;
              pool = poller.result;
            }
            pool ??= await get(client, detail, signal);
            const observed = toNodePool(detail.ref, pool);
            if (observed.status === 'degraded' && pool.provisioningState === 'Failed') {
              throw lroFailed(provider, putOperation, `agent pool ${detail.pool} is Failed.`);
            }
            return observed.status === 'ready' && observed.ready >= minReady
              ? { done: true as const, value: observed }
              : { done: false as const, status: observed.rawStatus ?? observed.status, ...retry() };
          }),
      });
    },
  } satisfies ClusterScalerV1;
}

function sameSizes(a: { desired: number; min: number; max: number }, b: NodePool): boolean {
  return a.desired === b.desired && a.min === b.min && a.max === b.max;
}

function busyElsewhere(pool: string, state: string, count: number): FailoverError {
  return new FailoverError({
    kind: 'conflict',
    message: `Agent pool ${pool} is ${state} towards other sizes (count ${count}); wait for it and try again.`,
    provider,
    operation: 'ensureSize',
    retryable: true,
  });
}

function handleOf(detail: ScaleDetail, startedAt: number, state?: string): OperationHandle {
  return {
    provider,
    operation: putOperation,
    startedAt,
    ...(state !== undefined && { state }),
    detail: JSON.parse(JSON.stringify(detail)) as Record<string, unknown>,
  };
}

function scaleDetail(handle: OperationHandle): ScaleDetail | FailoverError {
  const candidate = handle as Partial<OperationHandle> | undefined;
  const detail = candidate?.detail as Partial<ScaleDetail> | undefined;
  if (
    candidate?.provider !== provider ||
    !detail ||
    typeof detail.resourceGroup !== 'string' ||
    typeof detail.cluster !== 'string' ||
    typeof detail.pool !== 'string' ||
    typeof detail.ref !== 'object' ||
    !Number.isInteger(detail.desired) ||
    (detail.firstPollAfterMs !== undefined && typeof detail.firstPollAfterMs !== 'number') ||
    (candidate.state !== undefined && typeof candidate.state !== 'string')
  ) {
    return new FailoverError({
      kind: 'invalid-input',
      message: `The handle is not a ${provider} scale handle.`,
      provider,
      operation: 'waitForPool',
      path: 'handle',
    });
  }
  return detail as ScaleDetail;
}

/** A poll that threw: an HTTP error for the mapper, or ARM's `Failed`/`Canceled` end of the update. */
function failedOperation(error: unknown): unknown {
  if (error instanceof Error && (error.name === 'RestError' || error.name === 'AbortError')) return error;
  const message = error instanceof Error ? error.message : String(error);
  return /long-running operation has failed|Operation was canceled/i.test(message)
    ? lroFailed(provider, putOperation, message, error)
    : error;
}
