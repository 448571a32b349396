import type { FailoverError } from '../errors/failover-error.js';
import { redact } from '../errors/redact.js';
import type { PoolSize } from '../plan/action-spec.js';
import type { NodePool, NodePoolRef } from '../providers/cluster/node-pool.js';
import { err, ok, type Result } from '../result.js';
import { lookupProvider } from './lookup-provider.js';
import { callProvider } from './provider-call.js';
import type { CallScope } from './run-context.js';
import type { StepRun } from './step-run.js';

/**
 * How long a percent-of size may spend reading the other pool when a recorded
 * capacity could stand in for it: a dark region must not eat the step's deadline.
 */
export const sourcePoolReadBudgetMs = 30_000;

/**
 * A size given outright, or `percent` of the other pool's desired count,
 * rounded up. Reading the other pool records its capacity; when it cannot be
 * read (`unavailable`, `timeout`: its region is dark) the last recorded
 * capacity is used instead, and the step's evidence and warnings say which,
 * from when.
 */
export async function resolvePercentOfSize(
  run: StepRun,
  size: PoolSize | undefined,
): Promise<Result<number | undefined, FailoverError>> {
  if (size === undefined || typeof size === 'number') return ok(size);
  const { provider, pool } = size.percentOf;
  const found = lookupProvider(run.ctx.providers, provider, 'cluster');
  if (found.isErr()) return err(found.error);
  const other = found.value;
  const recorded = run.ctx.capacity?.get(provider, pool);
  // With a record to fall back on, the read gets a budget; without one, the whole step deadline.
  const scope: CallScope = recorded
    ? { ...run, deadline: Math.min(run.deadline, run.ctx.time.now() + sourcePoolReadBudgetMs) }
    : run;
  const observed = await callProvider(scope, provider, other.provider, 'observe', 'describePool', (o) =>
    other.describePool(pool, o),
  );
  if (observed.isOk()) {
    recordCapacity(run, provider, pool, observed.value, `sizing ${run.stepId}`);
    return ok(Math.ceil((observed.value.desired * size.percent) / 100));
  }
  const error = observed.error;
  if (!recorded || (error.kind !== 'unavailable' && error.kind !== 'timeout')) return err(error);
  const nodes = Math.ceil((recorded.desired * size.percent) / 100);
  const when = new Date(recorded.recordedAt).toISOString();
  const summary = `${poolName(pool)} could not be read (${error.kind}); sized ${size.percent} % of its capacity recorded at ${when} by ${recorded.recordedBy} (${recorded.desired} nodes): ${nodes} nodes`;
  run.evidence = {
    type: 'recorded-capacity',
    provider,
    pool: poolName(pool),
    nodes: recorded.desired,
    recordedAt: recorded.recordedAt,
    recordedBy: recorded.recordedBy,
    reason: redact(error.message),
    summary,
  };
  run.warnings ??= [];
  run.warnings.push(summary);
  return ok(nodes);
}

/** Keeps what a pool looked like, keyed by the plan's ref, for a later percent-of size whose source is dark. */
export function recordCapacity(
  scope: CallScope,
  provider: string,
  ref: NodePoolRef,
  observed: NodePool,
  recordedBy: string,
): void {
  scope.ctx.capacity?.put({
    provider,
    pool: { ...ref },
    desired: observed.desired,
    ready: observed.ready,
    recordedAt: scope.ctx.time.now(),
    recordedBy,
  });
}

function poolName(pool: NodePoolRef): string {
  return `${pool.region ? `${pool.region}/` : ''}${pool.cluster}/${pool.pool}`;
}
