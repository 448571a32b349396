import type { FailoverError } from '../errors/failover-error.js';
import type { ActionSpec } from '../plan/action-spec.js';
import type { NodePool, NodePoolDesiredState } from '../providers/cluster/node-pool.js';
import { err, ok, type Result } from '../result.js';
import { precheckAction } from './action-precheck.js';
import { emitStepWait } from './emit-step-wait.js';
import { lookupProvider } from './lookup-provider.js';
import { forgetGoneOperation } from './operation-gone.js';
import { resolvePercentOfSize } from './percent-of-sizing.js';
import { callProvider } from './provider-call.js';
import { remainingMs } from './run-context.js';
import type { ValueChange } from './step-diff.js';
import { actionValue, journaledEnsure } from './step-journal.js';
import type { StepRun, StepValue } from './step-run.js';

type ScaleAction = Extract<ActionSpec, { type: 'scale' }>;

/**
 * Resolves a `percentOf` size by describing the other pool (rounded up; the
 * recorded capacity when that pool is dark, see `resolvePercentOfSize`), then
 * `describePool`, compares desired/min/max; on a difference (and not in a
 * dry-run) `ensureSize`, then `waitForPool` unless `waitForReady` is false.
 */
export async function runScaleAction(
  run: StepRun,
  spec: ScaleAction,
): Promise<Result<StepValue, FailoverError>> {
  const found = lookupProvider(run.ctx.providers, spec.provider, 'cluster');
  if (found.isErr()) return err(found.error);
  const cluster = found.value;

  if (!run.progress.ensured) {
    const size = await resolvePercentOfSize(run, spec.desired);
    if (size.isErr()) return err(size.error);
    const desired: NodePoolDesiredState = {
      ...(size.value !== undefined && { desired: size.value }),
      ...(spec.min !== undefined && { min: spec.min }),
      ...(spec.max !== undefined && { max: spec.max }),
    };
    const observed = await callProvider(
      run,
      spec.provider,
      cluster.provider,
      'observe',
      'describePool',
      (o) => cluster.describePool(spec.pool, o),
    );
    if (observed.isErr()) return err(observed.error);
    const changes = poolChanges(observed.value, desired);
    const differs = Object.keys(changes).length > 0;

    const refused = differs
      ? await precheckAction(
          run,
          spec.provider,
          cluster.provider,
          'precheckSize',
          cluster.precheckSize && ((o) => cluster.precheckSize!(spec.pool, desired, observed.value, o)),
        )
      : ok(undefined);
    if (refused.isErr()) return err(refused.error);
    if (run.ctx.dryRun) {
      return ok({
        changed: false,
        diff: {
          type: 'scale',
          wouldChange: differs,
          ...changes,
          ...(refused.value && { refused: refused.value }),
        },
      });
    }
    if (!differs) return ok(actionValue(run));

    const journaled = await journaledEnsure(run, 'ensureSize', observed.value, () =>
      callProvider(run, spec.provider, cluster.provider, 'mutate', 'ensureSize', (o) =>
        cluster.ensureSize(spec.pool, desired, o),
      ),
    );
    if (journaled.isErr()) return err(journaled.error);
  }

  const handle = run.progress.ensured?.handle;
  if (handle && spec.waitForReady !== false) {
    emitStepWait(run, handle);
    const waited = await callProvider(run, spec.provider, cluster.provider, 'wait', 'waitForPool', (o) =>
      cluster.waitForPool(handle, {
        ...o,
        timeoutMs: remainingMs(run),
        ...(spec.minReady !== undefined && { minReady: spec.minReady }),
      }),
    );
    if (waited.isErr()) return err(forgetGoneOperation(run, waited.error));
  }
  return ok(actionValue(run));
}

type PoolChanges = Partial<Record<'desired' | 'min' | 'max', ValueChange<number>>>;

function poolChanges(pool: NodePool, desired: NodePoolDesiredState): PoolChanges {
  const changes: PoolChanges = {};
  for (const field of ['desired', 'min', 'max'] as const) {
    const to = desired[field];
    if (to !== undefined && pool[field] !== to) changes[field] = { from: pool[field], to };
  }
  return changes;
}
