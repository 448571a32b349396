import type { FailoverError } from '../errors/failover-error.js';
import type { ActionSpec } from '../plan/action-spec.js';
import type { DatabaseDesiredState } from '../providers/database/database-desired-state.js';
import { databaseMatches } from '../providers/database/database-matches.js';
import type { DatabaseTopology } from '../providers/database/database-topology.js';
import { isMemberNamed } from '../providers/database/member-name.js';
import { err, ok, type Result } from '../result.js';
import { precheckAction, type StepRefusalSummary } from './action-precheck.js';
import { observeDataLossWindow, rpoGate } from './database-rpo.js';
import { emitStepWait } from './emit-step-wait.js';
import { lookupProvider } from './lookup-provider.js';
import { forgetGoneOperation } from './operation-gone.js';
import { callProvider } from './provider-call.js';
import { remainingMs } from './run-context.js';
import type { StepDiff, ValueChange } from './step-diff.js';
import { actionValue, journaledEnsure } from './step-journal.js';
import type { StepRun, StepValue } from './step-run.js';

type DatabaseAction = Extract<ActionSpec, { type: 'database' }>;

/** The desired state a database step asks for: region, and member / zone where the plan names them. */
export function databaseDesiredState(spec: DatabaseAction): DatabaseDesiredState {
  return {
    region: spec.region,
    mode: spec.mode,
    ...(spec.memberId !== undefined && { memberId: spec.memberId }),
    ...(spec.zone !== undefined && { zone: spec.zone }),
    ...(spec.providerOptions !== undefined && { providerOptions: spec.providerOptions }),
  };
}

/**
 * What a database step would change: every part of the desired state (region, member,
 * zone) compared with `databaseMatches`, so an in-region (Multi-AZ, HA zone) failover
 * is never a silent no-op.
 */
export function databaseDiff(
  observed: DatabaseTopology,
  desired: DatabaseDesiredState,
): Extract<StepDiff, { type: 'database' }> {
  const writers = observed.members.filter((member) => member.role === 'writer');
  const writer = writers.length === 1 ? writers[0] : undefined;
  const differs = !databaseMatches(observed, desired);
  const change = <T>(from: T, to: T | undefined): ValueChange<T> | undefined =>
    to !== undefined && from !== to ? { from, to } : undefined;
  const region = change<string | null>(writer?.region ?? null, desired.region);
  // A member named by one of its aliases is the same member: no change to show.
  const member =
    writer && desired.memberId !== undefined && isMemberNamed(writer, desired.memberId)
      ? undefined
      : change<string | null>(writer?.id ?? null, desired.memberId);
  const zone = change<string | null>(writer?.zone ?? null, desired.zone);
  return {
    type: 'database',
    wouldChange: differs,
    mode: desired.mode,
    ...(differs && region && { writerRegion: region }),
    ...(differs && member && { writerMember: member }),
    ...(differs && zone && { writerZone: zone }),
  };
}

/**
 * `describe`, compare the whole desired state (`databaseMatches`); on a difference
 * `precheckWriter` when the provider has one, then (not in a dry-run) `ensureWriter`
 * with the step's mode and `waitForWriter`.
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
    const desired = databaseDesiredState(spec);
    const diff = databaseDiff(observed.value, desired);

    const refused = diff.wouldChange
      ? await precheckAction(
          run,
          spec.provider,
          db.provider,
          'precheckWriter',
          db.precheckWriter && ((o) => db.precheckWriter!(spec.database, desired, observed.value, o)),
        )
      : ok(undefined);
    if (refused.isErr()) return err(refused.error);
    // A forced promotion loses what the member taking over had not received: read
    // it right before, keep it as the step's evidence, and hold it to the RPO.
    let rpoRefusal: StepRefusalSummary | undefined;
    if (diff.wouldChange && desired.mode === 'forced' && !refused.value) {
      const window = await observeDataLossWindow(run, spec, db, observed.value);
      if (window.lagMs !== undefined) run.evidence = { ...window, lagMs: window.lagMs };
      const gate = rpoGate(run, spec, window);
      if (gate.isErr()) {
        if (!run.ctx.dryRun) return err(gate.error);
        rpoRefusal = { kind: gate.error.kind, message: gate.error.message };
      }
    }
    const refusal = refused.value ?? rpoRefusal;
    if (run.ctx.dryRun)
      return ok({ changed: false, diff: { ...diff, ...(refusal && { refused: refusal }) } });
    if (!diff.wouldChange) return ok(actionValue(run));

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
    if (waited.isErr()) return err(forgetGoneOperation(run, waited.error));
  }
  return ok(actionValue(run));
}
