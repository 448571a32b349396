import {
  type ClusterCapabilities,
  type ClusterScalerV1,
  type EnsureResult,
  err,
  type FailoverError,
  type NodePool,
  type NodePoolDesiredState,
  type NodePoolRef,
  ok,
  type Result,
  type WaitOptions,
} from '@failover/core';
import {
  type CallContext,
  kernelWait,
  type SimulatedProviderOptions,
  type SimulatorKernel,
} from './simulator-kernel.js';
import type { SimulatedPoolSeed } from './simulator-seed.js';
import {
  handleId,
  invalidInput,
  isCount,
  isNonEmptyString,
  isObject,
  waitTimeout,
} from './simulator-validate.js';

/** Bounds and autoscaled pools: what `world.clusterScaler()` declares unless told otherwise. */
export const simulatedClusterCapabilities: ClusterCapabilities = { bounds: true, autoscaledPools: true };

/** Test-side view of one simulated pool (`world.pool(ref)`). Reading it is not a recorded call. */
export interface SimulatedPoolControl {
  /** The pool a client would observe now. */
  state(): NodePool;
}

interface Pool {
  cluster: string;
  pool: string;
  region?: string;
  desired: number;
  min: number;
  max: number;
  ready: number;
  autoscaling: boolean;
  zones?: number;
  /** Ready nodes move linearly from `from` to `to` between `startedAt` and `completesAt` (never, when stuck). */
  update?: { operationId: string; from: number; to: number; startedAt: number; completesAt?: number };
}

export interface PoolState {
  add(seed: SimulatedPoolSeed): void;
  control(ref: NodePoolRef): SimulatedPoolControl;
  all(): Record<string, NodePool>;
  createProvider(name: string, options: SimulatedProviderOptions<ClusterCapabilities>): ClusterScalerV1;
}

const poolKey = (cluster: string, pool: string) => `${cluster}/${pool}`;

export function createPoolState(kernel: SimulatorKernel): PoolState {
  const pools = new Map<string, Pool>();

  const readyAt = (pool: Pool, at: number) => {
    const update = pool.update;
    if (!update) return pool.ready;
    if (update.completesAt === undefined) return update.from;
    if (at >= update.completesAt) return update.to;
    const share = (at - update.startedAt) / (update.completesAt - update.startedAt);
    const exact = update.from + (update.to - update.from) * share;
    // Round towards where the pool started: a node is ready only once it is fully up.
    return update.to >= update.from ? Math.floor(exact) : Math.ceil(exact);
  };

  const settle = (pool: Pool) => {
    const update = pool.update;
    if (update?.completesAt !== undefined && kernel.time.now() >= update.completesAt) {
      pool.ready = update.to;
      delete pool.update;
    }
  };

  const observe = (pool: Pool): NodePool => {
    settle(pool);
    const status = pool.update ? 'scaling' : 'ready';
    return {
      cluster: pool.cluster,
      pool: pool.pool,
      ...(pool.region !== undefined && { region: pool.region }),
      desired: pool.desired,
      min: pool.min,
      max: pool.max,
      ready: readyAt(pool, kernel.time.now()),
      autoscaling: pool.autoscaling,
      status,
      rawStatus: status === 'scaling' ? 'UPDATING' : 'ACTIVE',
      ...(pool.zones !== undefined && { zones: pool.zones }),
    };
  };

  const find = (ref: unknown, ctx: CallContext): Result<Pool, FailoverError> => {
    if (!isObject(ref) || !isNonEmptyString(ref.cluster) || !isNonEmptyString(ref.pool)) {
      return err(invalidInput(ctx.provider, ctx.operation, 'A pool ref needs a cluster and a pool.', 'ref'));
    }
    const pool = pools.get(poolKey(ref.cluster, ref.pool));
    if (!pool || (ref.region !== undefined && pool.region !== undefined && ref.region !== pool.region)) {
      return err(ctx.error('not-found', `No node pool ${ref.pool} in cluster ${ref.cluster}.`));
    }
    if (kernel.regions.isDark(pool.region)) return err(ctx.dark(pool.region!));
    return ok(pool);
  };

  const createProvider = (
    name: string,
    options: SimulatedProviderOptions<ClusterCapabilities>,
  ): ClusterScalerV1 => {
    const capabilities: ClusterCapabilities = { ...simulatedClusterCapabilities, ...options.capabilities };
    const call = kernel.caller<'describePool' | 'ensureSize' | 'waitForPool' | 'precheckSize'>(
      name,
      options.region,
    );

    return {
      specificationVersion: 'v1',
      kind: 'cluster',
      provider: name,
      capabilities,

      describePool(ref, callOptions) {
        return call('describePool', [ref], callOptions, (ctx) => {
          ctx.read('DescribeNodePool');
          return find(ref, ctx).map(observe);
        });
      },

      ensureSize(ref, desired, callOptions) {
        return call('ensureSize', [ref, desired], callOptions, (ctx) => {
          const invalid = sizeShapeRefusal(name, desired, ctx);
          if (invalid) return err(invalid);
          ctx.read('DescribeNodePool');
          const found = find(ref, ctx);
          if (found.isErr()) return err(found.error);
          const pool = found.value;
          const before = observe(pool);
          const next = nextSizes(pool, desired);
          const refusal = sizeRefusal(name, capabilities, pool, next, ctx);
          if (refusal) return err(refusal);
          const boundsChange = next.min !== pool.min || next.max !== pool.max;
          if (!boundsChange && next.desired === pool.desired) {
            // Already asked for: a running update is handed back so the caller still waits on it.
            const running = pool.update && kernel.operations.get(pool.update.operationId);
            return ok<EnsureResult<NodePool>>(
              running ? { before, changed: true, handle: running.handle } : { before, changed: false },
            );
          }

          ctx.mutate('UpdateNodePool');
          const from = readyAt(pool, kernel.time.now());
          const operation = kernel.startOperation({
            type: 'pool-update',
            prefix: 'pool-update',
            resource: poolKey(pool.cluster, pool.pool),
            provider: name,
            apiOperation: 'UpdateNodePool',
            durationMs: kernel.draw(kernel.durations.poolScale),
            stuck: ctx.stuck,
            detail: {
              cluster: pool.cluster,
              pool: pool.pool,
              ...(pool.region && { region: pool.region }),
              ...next,
            },
          });
          // A newer update supersedes a running one, from the nodes ready now.
          pool.ready = from;
          pool.desired = next.desired;
          pool.min = next.min;
          pool.max = next.max;
          pool.update = {
            operationId: operation.id,
            from,
            to: next.desired,
            startedAt: operation.startedAt,
            ...(operation.completesAt !== undefined && { completesAt: operation.completesAt }),
          };
          return ok<EnsureResult<NodePool>>({ before, changed: true, handle: operation.handle });
        });
      },

      precheckSize(ref, desired, observed, callOptions) {
        return call('precheckSize', [ref, desired], callOptions, (ctx) => {
          const invalid = sizeShapeRefusal(name, desired, ctx);
          if (invalid) return err(invalid);
          if (!isObject(observed as unknown)) {
            return err(
              invalidInput(name, 'precheckSize', 'The observed pool must be an object.', 'observed'),
            );
          }
          const refusal = sizeRefusal(name, capabilities, observed, nextSizes(observed, desired), ctx);
          return refusal ? err(refusal) : ok(undefined);
        });
      },

      waitForPool(handle, waitOptions: WaitOptions & { minReady?: number }) {
        return call('waitForPool', [handle, waitOptions], waitOptions, (ctx) => {
          const id = handleId(name, 'waitForPool', handle);
          if (typeof id !== 'string') return err(id);
          const timeoutMs = waitTimeout(name, 'waitForPool', waitOptions);
          if (typeof timeoutMs !== 'number') return err(timeoutMs);
          if (waitOptions.minReady !== undefined && !isCount(waitOptions.minReady)) {
            return err(
              invalidInput(name, 'waitForPool', 'minReady must be a non-negative integer.', 'minReady'),
            );
          }
          const operation = kernel.operations.get(id);
          if (!operation) return err(ctx.error('not-found', `No pool operation ${id}.`));
          if (operation.type !== 'pool-update') {
            return err(invalidInput(name, 'waitForPool', `${id} is not a pool update.`, 'handle.id'));
          }
          const pool = pools.get(operation.resource);
          if (!pool) return err(ctx.error('not-found', `No node pool ${operation.resource}.`));
          return kernelWait<NodePool>(kernel, ctx, timeoutMs, waitOptions, async () => {
            ctx.read('DescribeNodePool');
            if (kernel.regions.isDark(pool.region)) return err(ctx.dark(pool.region!));
            const observed = observe(pool);
            const minReady = waitOptions.minReady ?? observed.desired;
            const done = observed.status === 'ready' && observed.ready >= minReady;
            return ok(
              done
                ? { done: true as const, value: observed }
                : { done: false as const, status: `${observed.ready}/${minReady} ready` },
            );
          });
        });
      },
    };
  };

  return {
    add(seed) {
      if (!(seed.min <= seed.desired && seed.desired <= seed.max)) {
        throw new RangeError(`Pool ${seed.cluster}/${seed.pool} needs min <= desired <= max.`);
      }
      kernel.regions.know(seed.region);
      pools.set(poolKey(seed.cluster, seed.pool), {
        cluster: seed.cluster,
        pool: seed.pool,
        ...(seed.region !== undefined && { region: seed.region }),
        desired: seed.desired,
        min: seed.min,
        max: seed.max,
        ready: seed.ready ?? seed.desired,
        autoscaling: seed.autoscaling ?? false,
        ...(seed.zones !== undefined && { zones: seed.zones }),
      });
    },
    control(ref) {
      const pool = pools.get(poolKey(ref.cluster, ref.pool));
      if (!pool) throw new RangeError(`No node pool ${ref.cluster}/${ref.pool} in this world.`);
      return { state: () => observe(pool) };
    },
    all() {
      const out: Record<string, NodePool> = {};
      for (const [key, pool] of pools) out[key] = observe(pool);
      return out;
    },
    createProvider,
  };
}

type Sizes = { desired: number; min: number; max: number };

/** The sizes an ensure would set: the desired ones, the rest kept. */
function nextSizes(pool: Sizes, desired: NodePoolDesiredState): Sizes {
  return {
    desired: desired.desired ?? pool.desired,
    min: desired.min ?? pool.min,
    max: desired.max ?? pool.max,
  };
}

/** Shape checks of a desired size (`invalid-input`). */
function sizeShapeRefusal(
  name: string,
  desired: NodePoolDesiredState,
  ctx: CallContext,
): FailoverError | undefined {
  if (!isObject(desired as unknown))
    return invalidInput(name, ctx.operation, 'The desired size must be an object.', 'desired');
  for (const field of ['desired', 'min', 'max'] as const) {
    if (desired[field] !== undefined && !isCount(desired[field])) {
      return invalidInput(name, ctx.operation, `${field} must be a non-negative integer.`, field);
    }
  }
  return undefined;
}

/**
 * Refusals of moving a pool to `next` (inconsistent sizes, bounds it cannot change).
 * `ensureSize` and `precheckSize` both ask it, so a dry-run predicts the run.
 */
function sizeRefusal(
  name: string,
  capabilities: ClusterCapabilities,
  pool: Sizes,
  next: Sizes,
  ctx: CallContext,
): FailoverError | undefined {
  const bad = (message: string, path: string) => invalidInput(name, ctx.operation, message, path);
  if (next.min > next.max) return bad(`min ${next.min} is above max ${next.max}.`, 'min');
  if (next.desired < next.min) return bad(`desired ${next.desired} is below min ${next.min}.`, 'desired');
  if (next.desired > next.max) return bad(`desired ${next.desired} is above max ${next.max}.`, 'desired');
  if ((next.min !== pool.min || next.max !== pool.max) && !capabilities.bounds) {
    return ctx.error('unsupported', `${name} cannot change pool bounds.`);
  }
  return undefined;
}
