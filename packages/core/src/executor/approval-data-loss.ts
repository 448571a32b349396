import { redact } from '../errors/redact.js';
import { formatDuration } from '../report/format-duration.js';
import { dataLossLine } from './approval-data-loss-text.js';
import type { ApprovalDataLoss } from './approver.js';
import { databaseDesiredState, databaseDiff } from './database-action.js';
import { observeDataLossWindow } from './database-rpo.js';
import type { ForcedDatabaseStep } from './forced-steps-gated.js';
import { lookupProvider } from './lookup-provider.js';
import { callProvider } from './provider-call.js';
import type { StepRun } from './step-run.js';
import { untilAborted } from './until-aborted.js';

/** The most an approval spends reading lags before it asks: the person must get the question in any case. */
const maxObserveMs = 30_000;

/**
 * The data-loss window of each forced promotion the approval gates, read the way
 * the forced step will read it (`describe`, then `observeDataLossWindow`) and
 * counted as the approval's observations. Never fails: a read that fails, or
 * that has not answered within the smaller of 30 s and a quarter of the
 * approval's time, is an unknown window with its reason (the last error, or
 * that nothing answered).
 */
export async function observeGatedDataLoss(
  run: StepRun,
  gated: readonly ForcedDatabaseStep[],
): Promise<ApprovalDataLoss[]> {
  const { ctx } = run;
  const now = ctx.time.now();
  const budgetMs = Math.min(maxObserveMs, Math.max(0, (run.deadline - now) / 4));
  const deadline = Math.min(run.deadline, now + budgetMs);
  const controller = new AbortController();
  const stop = () => controller.abort(run.signal.reason);
  if (run.signal.aborted) stop();
  else run.signal.addEventListener('abort', stop, { once: true });
  const watched = ctx.watchDeadline(deadline, { expire: () => controller.abort() });
  // Retries stop a fifth of the budget early, so a read that keeps failing ends with its
  // error (the reason shown); the abort at the deadline is for a read that never answers.
  const scope = observationScope(run, controller.signal, deadline - budgetMs / 5);
  try {
    return await Promise.all(
      gated.map(async (step) => {
        const read = await untilAborted(observeOne(scope, step), controller.signal);
        return (
          read ??
          entry(scope, step, {
            observedAt: ctx.time.now(),
            unknownReason: run.signal.aborted
              ? 'the approval was cancelled while reading it'
              : `no answer within ${formatDuration(budgetMs)}`,
          })
        );
      }),
    );
  } finally {
    watched.cancelled = true;
    run.signal.removeEventListener('abort', stop);
  }
}

async function observeOne(scope: StepRun, step: ForcedDatabaseStep): Promise<ApprovalDataLoss> {
  const spec = step.action;
  const found = lookupProvider(scope.ctx.providers, spec.provider, 'database');
  if (found.isErr())
    return entry(scope, step, { observedAt: scope.ctx.time.now(), unknownReason: found.error.message });
  const db = found.value;
  const observed = await callProvider(scope, spec.provider, db.provider, 'observe', 'describe', (o) =>
    db.describe(spec.database, o),
  );
  if (observed.isErr()) {
    return entry(scope, step, {
      observedAt: scope.ctx.time.now(),
      unknownReason: `describing it failed: ${observed.error.message}`,
    });
  }
  // As the forced step decides: no difference, no promotion, nothing lost.
  if (!databaseDiff(observed.value, databaseDesiredState(spec)).wouldChange)
    return entry(scope, step, { observedAt: scope.ctx.time.now(), inPlace: true });
  const window = await observeDataLossWindow(scope, spec, db, observed.value);
  return entry(scope, step, {
    observedAt: window.observedAt,
    ...(window.lagMs !== undefined ? { lagMs: window.lagMs } : {}),
    ...(window.unknownReason !== undefined && { unknownReason: window.unknownReason }),
  });
}

function entry(
  scope: StepRun,
  step: ForcedDatabaseStep,
  read: Pick<ApprovalDataLoss, 'observedAt' | 'lagMs' | 'unknownReason' | 'inPlace'>,
): ApprovalDataLoss {
  const rpoMs = scope.ctx.rpoMs;
  const fields = {
    database: step.action.database.id,
    stepId: step.id,
    ...(read.lagMs !== undefined && { lagMs: read.lagMs }),
    observedAt: read.observedAt,
    ...(rpoMs !== undefined && { rpoMs }),
    ...(read.lagMs === undefined &&
      !read.inPlace &&
      read.unknownReason && { unknownReason: redact(read.unknownReason) }),
    ...(read.inPlace && { inPlace: true }),
  };
  const summary = dataLossLine({
    ...fields,
    region: step.action.region,
    ...(step.action.acceptDataLossBeyondRpo && { acceptsBeyondRpo: true }),
  });
  return { ...fields, summary };
}

/**
 * The approval step as seen by the reads: same calls tally and warnings, but its
 * own signal and a deadline of the observation budget.
 */
function observationScope(run: StepRun, signal: AbortSignal, deadline: number): StepRun {
  return {
    ctx: run.ctx,
    stepId: run.stepId,
    step: run.step,
    progress: run.progress,
    calls: run.calls,
    signal,
    deadline,
    get finished() {
      return run.finished;
    },
    set finished(value) {
      run.finished = value;
    },
    get warnings() {
      return run.warnings;
    },
    set warnings(value) {
      run.warnings = value;
    },
  };
}
