import type { FailoverError } from '../errors/failover-error.js';
import type { ActionSpec } from '../plan/action-spec.js';
import type { DatabaseDesiredState } from '../providers/database/database-desired-state.js';
import { writerRegion } from '../providers/database/database-topology.js';
import { err, ok, type Result } from '../result.js';
import { emitStepWait } from './emit-step-wait.js';
import { lookupProvider } from './lookup-provider.js';
import { callProvider } from './provider-call.js';
import { remainingMs } from './run-context.js';
import { actionValue, journaledEnsure } from './step-journal.js';
import type { StepRun, StepValue } from './step-run.js';

type DatabaseAction = Extract<ActionSpec, { type: 'database' }>;

/**
 * `describe`, compare the writer's region; on a difference (and not in a
 * dry-run) `ensureWriter` with the step's mode, then `waitForWriter`.
 */
export async function runDatabaseAction(
  run: StepRun,
  spec: DatabaseAction,
): Promise<Result<StepValue, FailoverError>> {
  const found = lookupProvider(run.ctx.providers, spec.provider, 'database');
  if (found.isErr()) return err(found.error);
  const db = found.value;

  if (!run.progress.ensured) {
    const observed = await callProvider(run, spec.provider, db.provider, 'observe', 'describe', (o) =>
      db.describe(spec.database, o),
    );
    if (observed.isErr()) return err(observed.error);
    const from = writerRegion(observed.value) ?? null;
    const differs = from !== spec.region;

    if (run.ctx.dryRun) {
      return ok({
        changed: false,
        diff: {
          type: 'database',
          wouldChange: differs,
          mode: spec.mode,
          ...(differs && { writerRegion: { from, to: spec.region } }),
        },
      });
    }
    if (!differs) return ok(actionValue(run));

    const desired: DatabaseDesiredState = {
      region: spec.region,
      mode: spec.mode,
      ...(spec.memberId !== undefined && { memberId: spec.memberId }),
      ...(spec.providerOptions !== undefined && { providerOptions: spec.providerOptions }),
    };
    const journaled = await journaledEnsure(run, 'ensureWriter', observed.value, () =>
      callProvider(run, spec.provider, db.provider, 'mutate', 'ensureWriter', (o) =>
        db.ensureWriter(spec.database, desired, o),
      ),
    );
    if (journaled.isErr()) return err(journaled.error);
  }

  const handle = run.progress.ensured?.handle;
  if (handle) {
    emitStepWait(run, handle);
    const waited = await callProvider(run, spec.provider, db.provider, 'wait', 'waitForWriter', (o) =>
      db.waitForWriter(handle, { ...o, timeoutMs: remainingMs(run) }),
    );
    if (waited.isErr()) return err(waited.error);
  }
  return ok(actionValue(run));
}
