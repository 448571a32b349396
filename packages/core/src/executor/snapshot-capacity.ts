import type { FailoverError } from '../errors/failover-error.js';
import { toFailoverError } from '../errors/to-failover-error.js';
import type { FailoverPlan } from '../plan/failover-plan.js';
import type { PlanStep } from '../plan/step.js';
import type { NodePoolRef } from '../providers/cluster/node-pool.js';
import { ResultAsync } from '../result.js';
import { realTime, type Time } from '../time/time.js';
import type { CapacityRecord, CapacityRecords } from './capacity-records.js';
import { lookupProvider } from './lookup-provider.js';
import type { ProviderRegistry } from './provider-registry.js';

/** Options of `snapshotCapacity`. */
export interface SnapshotCapacityOptions {
  providers: ProviderRegistry;
  /** Where the records go (`createFileCapacityRecords(path)` to keep them for a later run). */
  capacity: CapacityRecords;
  /** Default: real time. */
  time?: Time;
  abortSignal?: AbortSignal;
}

/** What a snapshot recorded, and the pools it could not read. */
export interface CapacitySnapshot {
  recorded: CapacityRecord[];
  failed: { provider: string; pool: NodePoolRef; error: FailoverError }[];
}

/**
 * Records the capacity of every pool the plan sizes others from (`percentOf`) or
 * checks (`pool-ready`), read now, with a timestamp: what percent-of sizing falls
 * back to when that pool's region is dark during the failover. Take one on a
 * schedule, or before a drill (`failover snapshot`). Observes only.
 */
export function snapshotCapacity(
  plan: FailoverPlan,
  options: SnapshotCapacityOptions,
): ResultAsync<CapacitySnapshot, FailoverError> {
  return ResultAsync.fromPromise(snapshot(plan, options), (thrown) =>
    toFailoverError(thrown, 'executor', 'snapshotCapacity'),
  );
}

async function snapshot(plan: FailoverPlan, options: SnapshotCapacityOptions): Promise<CapacitySnapshot> {
  const time = options.time ?? realTime;
  const result: CapacitySnapshot = { recorded: [], failed: [] };
  for (const { provider, pool } of poolsOf(plan.steps)) {
    const found = lookupProvider(options.providers, provider, 'cluster');
    if (found.isErr()) {
      result.failed.push({ provider, pool, error: found.error });
      continue;
    }
    const observed = await found.value.describePool(pool, {
      ...(options.abortSignal && { abortSignal: options.abortSignal }),
    });
    if (observed.isErr()) {
      result.failed.push({ provider, pool, error: observed.error });
      continue;
    }
    const record: CapacityRecord = {
      provider,
      pool: { ...pool },
      desired: observed.value.desired,
      ready: observed.value.ready,
      recordedAt: time.now(),
      recordedBy: 'snapshot',
    };
    options.capacity.put(record);
    result.recorded.push(record);
  }
  return result;
}

/** The pools a plan sizes from or checks, each once. */
function poolsOf(steps: readonly PlanStep[]): { provider: string; pool: NodePoolRef }[] {
  const pools = new Map<string, { provider: string; pool: NodePoolRef }>();
  const add = (provider: string, pool: NodePoolRef) =>
    pools.set(`${provider}|${pool.region ?? ''}|${pool.cluster}|${pool.pool}`, { provider, pool });
  const visit = (list: readonly PlanStep[]) => {
    for (const step of list) {
      if (step.kind === 'group') visit(step.steps);
      else if (step.kind === 'action' && step.action.type === 'scale') {
        const size = step.action.desired;
        if (size !== undefined && typeof size !== 'number') add(size.percentOf.provider, size.percentOf.pool);
      } else if ((step.kind === 'check' || step.kind === 'verify') && step.check.type === 'pool-ready') {
        add(step.check.provider, step.check.pool);
      }
    }
  };
  visit(steps);
  return [...pools.values()];
}
