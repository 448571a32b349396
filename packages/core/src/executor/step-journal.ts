import type { FailoverError } from '../errors/failover-error.js';
import { cancelledError } from '../errors/to-failover-error.js';
import type { ObservedState } from '../journal/journal-entry.js';
import type { EnsureResult } from '../providers/operation-handle.js';
import { err, ok, type Result } from '../result.js';
import type { StepRun, StepValue } from './step-run.js';

/**
 * Journals the observed state just before a mutating call, and waits until it
 * is durable: the call must not happen unless a resumed run would know the
 * state to restore. The first observation of the step is the one kept.
 */
export async function recordIntent(
  run: StepRun,
  operation: string,
  before: ObservedState,
): Promise<Result<void, FailoverError>> {
  if (run.finished || run.signal.aborted) return err(cancelledError('executor', operation));
  if (run.progress.intentBefore === undefined) run.progress.mutatingAttempts = 0;
  if (run.progress.mutatingAttempts !== undefined) run.progress.mutatingAttempts++;
  run.progress.intentBefore ??= { before };
  const { ctx } = run;
  if (!ctx.journaling) return ok(undefined);
  const written = await ctx.record({
    type: 'step-intent',
    runId: ctx.runId,
    at: ctx.time.now(),
    stepId: run.step.id,
    operation,
    before: run.progress.intentBefore.before,
  });
  return written ? ok(undefined) : err(ctx.fatal ?? cancelledError('executor', operation));
}

// By the ensure contract (see `EnsureResult`), these errors mean the provider changed nothing.
const nothingChangedKinds = new Set<FailoverError['kind']>([
  'invalid-input',
  'not-found',
  'precondition-failed',
  'unauthorized',
  'conflict',
]);

/**
 * After a failed `ensure*`: when the error says nothing changed and this was the
 * step's only mutating call, the step did not change the world, so a rollback has
 * nothing to undo (and an irreversible step is not reported as changed).
 */
export function forgetIntentIfNothingChanged(run: StepRun, error: FailoverError): void {
  if (nothingChangedKinds.has(error.kind) && run.progress.mutatingAttempts === 1 && !run.progress.ensured) {
    delete run.progress.intentBefore;
    delete run.progress.mutatingAttempts;
  }
}

/**
 * Journals what `ensure*` returned, before the step waits on it, so a resumed
 * run waits on the same operation instead of starting another.
 */
export async function recordEnsured(
  run: StepRun,
  ensured: EnsureResult<ObservedState>,
): Promise<Result<void, FailoverError>> {
  const outcome = {
    changed: ensured.changed === true,
    before: ensured.before ?? null,
    ...(ensured.handle && { handle: ensured.handle }),
  };
  // Late (the step already timed out): a result nobody waits for must not be journaled after its step-end.
  if (run.finished) return err(cancelledError('executor', 'ensure'));
  run.progress.ensured = outcome;
  const { ctx } = run;
  if (!ctx.journaling) return ok(undefined);
  const written = await ctx.record({
    type: 'step-handle',
    runId: ctx.runId,
    at: ctx.time.now(),
    stepId: run.step.id,
    ...outcome,
  });
  return written ? ok(undefined) : err(ctx.fatal ?? cancelledError('executor', 'ensure'));
}

/**
 * The value of an action once its change is in effect. A step counts as
 * changed when `ensure*` said so or when a mutating call was begun (journaled
 * intent), even if a resumed run then finds nothing left to do: the original
 * state is what a rollback must restore.
 */
export function actionValue(run: StepRun): StepValue {
  const { ensured, intentBefore } = run.progress;
  const changed = (ensured?.changed ?? false) || intentBefore !== undefined;
  if (!changed) return { changed: false };
  const before = intentBefore ? intentBefore.before : (ensured?.before ?? null);
  return { changed: true, undo: { before } };
}

/**
 * The mutating part of an action, journaled: record the state observed before,
 * call `ensure*`, and record what it returned, so a crash at any point resumes
 * safely. An error that by contract changed nothing leaves the step unchanged.
 */
export async function journaledEnsure(
  run: StepRun,
  operation: string,
  before: ObservedState,
  ensure: () => PromiseLike<Result<EnsureResult<ObservedState>, FailoverError>>,
): Promise<Result<void, FailoverError>> {
  const intent = await recordIntent(run, operation, before);
  if (intent.isErr()) return err(intent.error);
  const ensured = await ensure();
  if (ensured.isErr()) {
    forgetIntentIfNothingChanged(run, ensured.error);
    return err(ensured.error);
  }
  return recordEnsured(run, ensured.value);
}
