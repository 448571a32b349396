import {
  type CallOptions,
  type ClusterCapabilities,
  type ClusterScalerV1,
  cancelledError,
  type EnsureResult,
  err,
  type FailoverError,
  type NodePool,
  type NodePoolDesiredState,
  type OperationHandle,
  ok,
  type PollOutcome,
  pollUntil,
  type Result,
} from '@failover/core';
import type { container_v1 } from '@googleapis/container';
import { gcpCall, invalidInput, runGcp } from './gcp-call.js';
import type { GcpClients } from './gcp-clients.js';
import { operationFailure } from './gcp-error.js';
import { expectedDuration } from './gcp-expected-duration.js';
import { parsePoolRef } from './gcp-refs.js';
import { waitProblem } from './gcp-wait.js';
import type { InstanceGroupManager } from './gke-instance-groups.js';
import { type GkeNodePool, toNodePool } from './gke-node-pool.js';
import { planPoolSize } from './gke-size-plan.js';
import type { GkeSizeRounding } from './gke-sizing.js';

/** Options of `createGcp(...).clusterScaler()`. */
export interface GkeClusterScalerOptions {
  /** Project of the clusters. Default: the `createGcp()` project. */
  project?: string;
  /** Cluster location (region or zone) for refs without `region`. */
  location?: string;
  /** What to do with a total that is not a multiple of the pool's zones. Default `'reject'`. */
  sizeRounding?: GkeSizeRounding;
  /**
   * When both the autoscaler bounds and the size change, GKE runs one operation at a
   * time per cluster, so `ensureSize` waits for the bounds operation before resizing.
   * Its deadline, in ms on the provider's clock. Default 15 min.
   */
  boundsWaitTimeoutMs?: number;
}

const provider = 'gcp.gke';

interface PoolAt {
  project: string;
  location: string;
  cluster: string;
  pool: string;
}

interface PoolDetail extends PoolAt {
  /** Full operation name, `projects/<p>/locations/<l>/operations/<op>`. */
  operationName: string;
  /** The total the pool is sized to. */
  desired: number;
}

interface Observed {
  pool: NodePool;
  raw: GkeNodePool;
  groups: InstanceGroupManager[];
}

/**
 * A GKE node pool as a `ClusterScalerV1`. Sizes are totals across zones; a
 * regional pool is sized per zone (see `sizeRounding`). `describePool` reads
 * the pool and the Compute Engine instance group of each of its zones (the
 * pool itself carries no node count). `ensureSize` calls `setSize` for the
 * desired count and `setAutoscaling` for bounds, and `waitForPool` waits for
 * the operation and then for the nodes.
 */
export function createGkeClusterScaler(
  clients: GcpClients,
  options: GkeClusterScalerOptions = {},
): ClusterScalerV1 {
  const capabilities: ClusterCapabilities = { bounds: true, autoscaledPools: true };
  const rounding = options.sizeRounding ?? 'reject';

  const locate = async (ref: unknown, operation: string): Promise<Result<PoolAt, FailoverError>> => {
    const parsed = parsePoolRef(ref, options.location);
    if ('problem' in parsed) return err(invalidInput(provider, operation, parsed.problem, parsed.path));
    const project = await clients.project(provider, operation, parsed.project ?? options.project);
    return ok({ ...parsed, project });
  };

  const observe = async (
    at: PoolAt,
    call: CallOptions | undefined,
  ): Promise<Result<Observed, FailoverError>> => {
    const name = `projects/${at.project}/locations/${at.location}/clusters/${at.cluster}/nodePools/${at.pool}`;
    const raw = await gcpCall(
      provider,
      'projects.locations.clusters.nodePools.get',
      false,
      call,
      async (signal) => {
        const gke = await clients.container();
        return (
          await gke.projects.locations.clusters.nodePools.get(
            { name },
            clients.methodOptions('container', signal),
          )
        ).data;
      },
    );
    if (raw.isErr()) return err(raw.error);
    const groups: InstanceGroupManager[] = [];
    for (const url of raw.value.instanceGroupUrls ?? []) {
      const group = await gcpCall(provider, 'instanceGroupManagers.get', false, call, async (signal) =>
        (await clients.instanceGroups()).get(url, { signal }),
      );
      if (group.isErr()) return err(group.error);
      groups.push(group.value);
    }
    return ok({ pool: toNodePool(at, raw.value, groups), raw: raw.value, groups });
  };

  const operationPath = (at: PoolAt, op: container_v1.Schema$Operation) =>
    `projects/${at.project}/locations/${at.location}/operations/${op.name ?? ''}`;

  /** Polls one GKE operation until DONE; an operation error is a typed failure. */
  const operationDone = async (
    name: string,
    operation: string,
    call: CallOptions | undefined,
  ): Promise<Result<PollOutcome<true>, FailoverError>> => {
    const op = await gcpCall(provider, 'projects.locations.operations.get', false, call, async (signal) => {
      const gke = await clients.container();
      return (
        await gke.projects.locations.operations.get({ name }, clients.methodOptions('container', signal))
      ).data;
    });
    if (op.isErr()) return err(op.error);
    if (op.value.status !== 'DONE' && op.value.status !== 'ABORTING')
      return ok({ done: false, status: op.value.status ?? 'PENDING' });
    if (op.value.error || op.value.status === 'ABORTING') {
      const error = op.value.error ?? { message: op.value.statusMessage ?? 'aborted' };
      return err(
        operationFailure(provider, operation, name, [
          { code: error.code ?? null, message: error.message ?? null },
        ]),
      );
    }
    return ok({ done: true, value: true });
  };

  /** A handle on one GKE operation on the pool, sized to `total` nodes. */
  const poolHandle = (
    at: PoolAt,
    op: container_v1.Schema$Operation,
    operation: string,
    total: number,
  ): OperationHandle => {
    const detail: PoolDetail = { ...at, operationName: operationPath(at, op), desired: total };
    return {
      provider,
      operation,
      ...(op.name && { id: op.name }),
      startedAt: clients.time.now(),
      detail: { ...detail },
    };
  };

  /** The resize of this pool still running (operations.list of its location), if any. */
  const runningResize = async (
    at: PoolAt,
    call: CallOptions | undefined,
  ): Promise<Result<container_v1.Schema$Operation | undefined, FailoverError>> => {
    const listed = await gcpCall(
      provider,
      'projects.locations.operations.list',
      false,
      call,
      async (signal) => {
        const gke = await clients.container();
        return (
          await gke.projects.locations.operations.list(
            { parent: `projects/${at.project}/locations/${at.location}` },
            clients.methodOptions('container', signal),
          )
        ).data;
      },
    );
    if (listed.isErr()) return err(listed.error);
    const suffix = `/clusters/${at.cluster}/nodePools/${at.pool}`;
    return ok(
      (listed.value.operations ?? []).find(
        (op) =>
          op.status !== 'DONE' &&
          op.operationType === 'SET_NODE_POOL_SIZE' &&
          (op.targetLink ?? '').endsWith(suffix),
      ),
    );
  };

  return {
    specificationVersion: 'v1',
    kind: 'cluster',
    provider,
    capabilities,

    describePool(ref, call) {
      return runGcp(provider, 'describePool', async () => {
        if (call?.abortSignal?.aborted) return err(cancelled('describePool', call.abortSignal.reason));
        const at = await locate(ref, 'projects.locations.clusters.nodePools.get');
        if (at.isErr()) return err(at.error);
        return (await observe(at.value, call)).map((observed) => observed.pool);
      });
    },

    ensureSize(ref, desired, call) {
      return runGcp<EnsureResult<NodePool>>(provider, 'ensureSize', async () => {
        const problem = desiredProblem(desired);
        if (problem) return err(invalidInput(provider, 'ensureSize', problem.message, problem.path));
        if (call?.abortSignal?.aborted) return err(cancelled('ensureSize', call.abortSignal.reason));
        const at = await locate(ref, 'projects.locations.clusters.nodePools.get');
        if (at.isErr()) return err(at.error);
        const observed = await observe(at.value, call);
        if (observed.isErr()) return err(observed.error);
        const { pool: before, raw } = observed.value;

        const plan = planPoolSize(at.value.pool, observed.value, desired, rounding);
        if (plan.isErr()) return err(plan.error);
        const { bounds, nodeCount, zones } = plan.value;
        if (!bounds && nodeCount === undefined) {
          // A resize whose answer was lost already reads as its target: wait on it, not send it again.
          if (before.status !== 'scaling') return ok({ before, changed: false });
          const running = await runningResize(at.value, call);
          if (running.isErr()) return err(running.error);
          if (!running.value) return ok({ before, changed: false });
          return ok({
            before,
            changed: true,
            handle: poolHandle(at.value, running.value, 'setSize', before.desired),
          });
        }

        const name = `projects/${at.value.project}/locations/${at.value.location}/clusters/${at.value.cluster}/nodePools/${at.value.pool}`;
        let last: { op: container_v1.Schema$Operation; operation: string } | undefined;
        if (bounds) {
          const requestBody = {
            autoscaling: {
              enabled: true,
              ...bounds,
              ...(raw.autoscaling?.locationPolicy && { locationPolicy: raw.autoscaling.locationPolicy }),
            },
          };
          const started = await gcpCall(
            provider,
            'projects.locations.clusters.nodePools.setAutoscaling',
            true,
            call,
            async (signal) => {
              const gke = await clients.container();
              return (
                await gke.projects.locations.clusters.nodePools.setAutoscaling(
                  { name, requestBody },
                  clients.methodOptions('container', signal),
                )
              ).data;
            },
          );
          if (started.isErr()) return err(started.error);
          last = { op: started.value, operation: 'setAutoscaling' };
          if (nodeCount !== undefined) {
            // One operation at a time per cluster: let the bounds land before resizing.
            const settled = await pollUntil({
              time: clients.time,
              provider,
              operation: 'projects.locations.operations.get',
              timeoutMs: options.boundsWaitTimeoutMs ?? 15 * 60_000,
              pollIntervalMs: 5_000,
              ...expectedDuration({ timeoutMs: 0 }, 30_000),
              ...(call?.abortSignal && { abortSignal: call.abortSignal }),
              poll: () =>
                runGcp(provider, 'ensureSize', () =>
                  operationDone(operationPath(at.value, started.value), 'setAutoscaling', call),
                ),
            });
            if (settled.isErr()) return err(settled.error);
          }
        }
        if (nodeCount !== undefined) {
          const count = nodeCount;
          const started = await gcpCall(
            provider,
            'projects.locations.clusters.nodePools.setSize',
            true,
            call,
            async (signal) => {
              const gke = await clients.container();
              return (
                await gke.projects.locations.clusters.nodePools.setSize(
                  { name, requestBody: { nodeCount: count } },
                  clients.methodOptions('container', signal),
                )
              ).data;
            },
          );
          if (started.isErr()) return err(started.error);
          last = { op: started.value, operation: 'setSize' };
        }
        const total = nodeCount !== undefined ? nodeCount * zones : before.desired;
        return ok({ before, changed: true, handle: poolHandle(at.value, last!.op, last!.operation, total) });
      });
    },

    precheckSize(ref, desired, _observed, call) {
      return runGcp<void>(provider, 'precheckSize', async () => {
        const problem = desiredProblem(desired);
        if (problem) return err(invalidInput(provider, 'ensureSize', problem.message, problem.path));
        const at = await locate(ref, 'projects.locations.clusters.nodePools.get');
        if (at.isErr()) return err(at.error);
        // The raw pool and its instance groups say what NodePool does not (zones, bound units).
        const observed = await observe(at.value, call);
        if (observed.isErr()) return err(observed.error);
        return planPoolSize(at.value.pool, observed.value, desired, rounding).map(() => undefined);
      });
    },

    waitForPool(handle, wait) {
      return runGcp(provider, 'waitForPool', async () => {
        const problem = waitProblem(wait) ?? handleProblem(handle);
        if (problem) return err(invalidInput(provider, 'projects.locations.operations.get', problem));
        if (wait.minReady !== undefined && !(Number.isInteger(wait.minReady) && wait.minReady >= 0))
          return err(
            invalidInput(
              provider,
              'projects.locations.operations.get',
              'minReady must be a non-negative integer.',
              'minReady',
            ),
          );
        const detail = handle.detail as unknown as PoolDetail;
        const minReady = wait.minReady ?? detail.desired;
        let operationFinished = false;
        return pollUntil<NodePool>({
          time: clients.time,
          provider,
          operation: 'projects.locations.operations.get',
          timeoutMs: wait.timeoutMs,
          pollIntervalMs: wait.pollIntervalMs ?? 5_000,
          ...expectedDuration(wait, handle.operation === 'setSize' ? 120_000 : 30_000, handle.startedAt),
          ...(wait.abortSignal && { abortSignal: wait.abortSignal }),
          poll: () =>
            runGcp(
              provider,
              'waitForPool',
              async (): Promise<Result<PollOutcome<NodePool>, FailoverError>> => {
                if (!operationFinished) {
                  const done = await operationDone(detail.operationName, handle.operation, wait);
                  if (done.isErr()) return err(done.error);
                  if (!done.value.done) return ok(done.value);
                  operationFinished = true;
                }
                const observed = await observe(detail, wait);
                if (observed.isErr()) return err(observed.error);
                const pool = observed.value.pool;
                return ok(
                  pool.status === 'ready' && pool.ready >= minReady
                    ? { done: true, value: pool }
                    : {
                        done: false,
                        status: `${pool.ready}/${minReady} nodes ready, ${pool.rawStatus ?? pool.status}`,
                      },
                );
              },
            ),
        });
      });
    },
  };
}

function desiredProblem(desired: NodePoolDesiredState): { message: string; path: string } | undefined {
  if (typeof desired !== 'object' || desired === null)
    return { message: 'The desired pool size is missing.', path: '' };
  const fields = ['desired', 'min', 'max'] as const;
  for (const field of fields) {
    const value = desired[field];
    if (value !== undefined && !(Number.isInteger(value) && value >= 0))
      return { message: `${field} must be a non-negative integer (got ${String(value)}).`, path: field };
  }
  if (fields.every((field) => desired[field] === undefined))
    return { message: 'Name at least one of desired, min or max.', path: '' };
  return undefined;
}

function handleProblem(handle: OperationHandle): string | undefined {
  if (typeof handle !== 'object' || handle === null) return 'The operation handle is missing.';
  if (handle.provider !== provider)
    return `The handle was issued by ${String(handle.provider)}, not ${provider}.`;
  const detail = handle.detail as Partial<PoolDetail> | undefined;
  if (
    typeof detail?.operationName !== 'string' ||
    typeof detail.project !== 'string' ||
    typeof detail.location !== 'string' ||
    typeof detail.cluster !== 'string' ||
    typeof detail.pool !== 'string' ||
    typeof detail.desired !== 'number'
  )
    return 'The operation handle has no operation name, pool or desired size.';
  return undefined;
}

function cancelled(operation: string, reason: unknown): FailoverError {
  return cancelledError(provider, operation, reason);
}
