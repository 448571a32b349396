import type { FailoverError } from '../errors/failover-error.js';
import { cancelledError, toFailoverError } from '../errors/to-failover-error.js';
import type { Journal, JournalLock } from '../journal/journal.js';
import type { RunStartWithDetection } from '../journal/journaled-detection.js';
import { planFingerprint } from '../journal/plan-fingerprint.js';
import { type ResumeState, replayJournal } from '../journal/replay-journal.js';
import { toNotifierV1 } from '../notify/to-notifier-v1.js';
import type { FailoverPlan } from '../plan/failover-plan.js';
import type { PlanProblem } from '../plan/plan-problem.js';
import { validatePlan } from '../plan/validate-plan.js';
import { buildReport } from '../report/build-report.js';
import type { IncidentDetection } from '../report/incident-review.js';
import { err, ok, type Result, ResultAsync } from '../result.js';
import { emptyCallTally } from './call-counts.js';
import { createRunContext } from './create-run-context.js';
import { createDeadlineWatchdog } from './deadline-watchdog.js';
import { expectDnsBatches } from './dns-batch.js';
import { executeStep } from './execute-step.js';
import { forcedStepsByApproval } from './forced-steps-gated.js';
import { precheckSteps, refusalsError, refusalsOfDiffs, type StepRefusal } from './precheck-steps.js';
import { resolveRunSettings } from './resolve-run-settings.js';
import { holdInTarget, type PartialFailover } from './rollback-hold.js';
import { type RollbackCandidate, rollbackSteps } from './rollback-steps.js';
import type { RunContext } from './run-context.js';
import type { RunOptions } from './run-options.js';
import type { RollbackResult, RunResult, RunStatus, StepResult } from './run-result.js';
import { scheduleSteps } from './schedule-steps.js';
import type { StepDiff } from './step-diff.js';
import { buildStepGraph, type StepGraph } from './step-graph.js';

/**
 * Runs a failover plan.
 *
 * 1. Validates it with `validatePlan(plan, { providers })`; an invalid plan is
 *    returned as the `PlanValidationError`, before any provider call.
 * 2. Takes the journal's lock (`conflict` when another run holds it) and, when
 *    the journal holds an unfinished run of the same plan, resumes it: steps
 *    completed then are skipped, a step that was under way waits on its
 *    journaled handle (or ensures again, which is idempotent).
 * 3. Runs the steps as a DAG, as parallel as dependencies and `concurrency`
 *    allow, each with its deadline and retries, journaling before every
 *    mutating call and after every `ensure*`.
 * 4. On a failure, starts no new step, lets running ones finish, then undoes
 *    the steps that changed something, newest first (see `rollbackSteps`).
 *    On cancel, stops waiting and rolls nothing back: the run can be resumed.
 * 5. Returns the results and the report.
 *
 * The result is an error only for an invalid plan or options, a lock conflict
 * or a resume of a different plan version (`conflict`), and a journal failure
 * before any step ran. A journal failure stops the run at once (so that a
 * resume finds a consistent journal); once a step ran it is a `failed`
 * `RunResult` whose error is the journal's. Every other outcome, failures and
 * cancellation included, is an ok `RunResult`. It never throws.
 */
export function runPlan(plan: FailoverPlan, options: RunOptions): ResultAsync<RunResult, FailoverError> {
  return new ResultAsync(
    executePlan(plan, options).catch((thrown: unknown) =>
      err(toFailoverError(thrown, 'executor', 'runPlan')),
    ),
  );
}

async function executePlan(
  plan: FailoverPlan,
  options: RunOptions,
): Promise<Result<RunResult, FailoverError>> {
  const resolved = resolveRunSettings(options);
  if (resolved.isErr()) return err(resolved.error);
  const settings = resolved.value;
  const validated = validatePlan(plan, { providers: options.providers, notifier: options.notifier ?? null });
  if (validated.isErr()) return err(validated.error);
  const compiled = validated.value;
  const runId = options.runId ?? globalThis.crypto.randomUUID();
  // Without a journal from the caller there is nothing to resume and nobody to read one: keep none.
  const journal = settings.dryRun ? undefined : options.journal;

  let lock: JournalLock | undefined;
  let resume: ResumeState | undefined;
  const fingerprint = journal ? planFingerprint(compiled.plan) : '';
  if (journal) {
    const locked = await journal.acquireLock(compiled.plan.id, runId);
    if (locked.isErr()) return err(locked.error);
    lock = locked.value;
    const loaded = settings.resume ? await loadResume(journal, compiled.plan.id, fingerprint) : ok(undefined);
    if (loaded.isErr()) {
      await lock.release();
      return err(loaded.error);
    }
    resume = loaded.value;
  }

  const controller = new AbortController();
  const userSignal = options.abortSignal;
  const onUserAbort = () => controller.abort(userSignal?.reason);
  userSignal?.addEventListener('abort', onUserAbort, { once: true });
  if (userSignal?.aborted) controller.abort(userSignal.reason);
  const watchdog = createDeadlineWatchdog(settings.time);
  const ctx = createRunContext({
    watchdog,
    planId: compiled.plan.id,
    runId,
    settings,
    providers: options.providers,
    rpoMs: compiled.plan.objectives?.rpoMs,
    forcedStepsByApproval: forcedStepsByApproval(compiled),
    notifier: options.notifier && toNotifierV1(options.notifier),
    notice: {
      planName: compiled.plan.name,
      sourceRegion: compiled.plan.sourceRegion,
      targetRegion: compiled.plan.targetRegion,
      ...(compiled.plan.objectives?.rtoMs !== undefined && {
        objectiveRtoMs: compiled.plan.objectives.rtoMs,
      }),
      startedAt: resume?.chainStartedAt ?? settings.time.now(),
      ...(options.notificationTemplates && { templates: options.notificationTemplates }),
    },
    capacity: options.capacity,
    journal,
    onEvent: options.onEvent,
    controller,
  });
  // The incident this chain of runs answers: the one it recorded first, else the caller's.
  const detection = resume?.detection ?? options.detection;
  try {
    const graph = buildStepGraph(compiled);
    const outcome = await runGraph(ctx, graph, {
      precheck: options.precheck !== false && !resume,
      planName: compiled.plan.name,
      notices: compiled.notices,
      // The run's option, else the plan's setting, else the default.
      concurrency: options.concurrency ?? compiled.plan.concurrency ?? settings.concurrency,
      rollbackOnFailure: settings.rollbackOnFailure,
      resume,
      fingerprint,
      detection,
    });
    // A journal that failed before any step ran: the run never started. Once a step
    // ran (it may have changed something), the run is reported as failed, with its results.
    const anyStepRan = outcome.results.some((result) => result.status !== 'skipped');
    if (ctx.fatal && !anyStepRan) return err(ctx.fatal);
    const { results, rollback, startedAt, refusals, partialFailover } = outcome;
    const status: RunStatus = ctx.fatal ? 'failed' : outcome.status;
    let error = ctx.fatal ?? outcome.error;

    const endedAt = ctx.time.now();
    if (!ctx.fatal) {
      await ctx.record({ type: 'run-end', runId, at: endedAt, status });
      // Every step is done; only the end could not be journaled (a resume finds nothing left to do).
      if (ctx.fatal) error ??= ctx.fatal;
    }
    if (ctx.listening) {
      ctx.emit({
        type: 'plan-end',
        runId,
        at: endedAt,
        status,
        durationMs: endedAt - startedAt,
        ...(error && { error: error.toJSON() }),
      });
    }

    const origin = resume?.chainStartedAt ?? startedAt;
    const report = buildReport({
      compiled,
      graph,
      runId,
      status,
      dryRun: settings.dryRun,
      startedAt: origin,
      endedAt,
      ...(resume && { resumedFrom: resume.resumes }),
      steps: results,
      ...(rollback && { rollback }),
      ...(partialFailover && { partialFailover }),
      notices: compiled.notices,
      providerIds: Object.fromEntries(
        Object.entries(options.providers).map(([name, provider]) => [name, provider.provider]),
      ),
      ...(error && { error }),
      ...(detection && { detection }),
    });
    let diffs: Record<string, StepDiff> | undefined;
    if (settings.dryRun) {
      diffs = {};
      for (const result of results) if (result.diff) diffs[result.stepId] = result.diff;
    }
    return ok({
      runId,
      planId: compiled.plan.id,
      status,
      dryRun: settings.dryRun,
      startedAt,
      endedAt,
      ...(resume && { resumedFrom: resume.resumes }),
      steps: results,
      ...(error && { error }),
      ...(rollback && { rollback }),
      ...(refusals && { refusals }),
      ...(partialFailover && { partialFailover }),
      ...(diffs && { diffs }),
      report,
    });
  } finally {
    watchdog.close();
    userSignal?.removeEventListener('abort', onUserAbort);
    // A lock left behind is reported by the next run (and is stale once this process exits).
    try {
      await lock?.release();
    } catch {
      // A custom journal's bug must not hide the run's result.
    }
  }
}

interface GraphOutcome {
  status: RunStatus;
  results: StepResult[];
  /** Steps the providers' pre-checks refuse (a real run then makes no mutating call). */
  refusals?: StepRefusal[];
  partialFailover?: PartialFailover;
  rollback?: RollbackResult;
  error?: FailoverError;
  startedAt: number;
}

interface GraphRunOptions {
  /** Pre-check every action before the first mutating call (a fresh, real run). */
  precheck: boolean;
  planName: string;
  notices: readonly PlanProblem[];
  concurrency: number;
  rollbackOnFailure: boolean;
  resume: ResumeState | undefined;
  fingerprint: string;
  detection: IncidentDetection | undefined;
}

async function runGraph(ctx: RunContext, graph: StepGraph, options: GraphRunOptions): Promise<GraphOutcome> {
  const { concurrency, rollbackOnFailure, resume } = options;
  const startedAt = ctx.time.now();
  const results: (StepResult | undefined)[] = new Array(graph.ids.length);
  const start: RunStartWithDetection = {
    type: 'run-start',
    runId: ctx.runId,
    at: startedAt,
    planId: ctx.planId,
    fingerprint: options.fingerprint,
    ...(resume && { resumes: resume.resumes }),
    ...(options.detection && { detection: options.detection }),
  };
  await ctx.record(start);
  if (ctx.listening) {
    ctx.emit({
      type: 'plan-start',
      runId: ctx.runId,
      at: startedAt,
      planId: ctx.planId,
      planName: options.planName,
      dryRun: ctx.dryRun,
      steps: graph.ids.length,
      ...(resume && { resumes: resume.resumes }),
    });
    for (const notice of options.notices) {
      ctx.emit({
        type: 'warning',
        runId: ctx.runId,
        at: startedAt,
        message: `${notice.path}: ${notice.message}`,
      });
    }
  }

  // Before the first mutating call: every step a provider's pre-check refuses, all at once.
  if (options.precheck && !ctx.dryRun && !ctx.fatal) {
    const refused = await refuseBeforeRun(ctx, graph, results, concurrency);
    if (refused) return { ...refused, startedAt };
  }

  // Steps completed in earlier runs of the chain: skipped, but kept for the report and for rollback.
  const done = new Set<number>();
  const changedInOrder: RollbackCandidate[] = [];
  for (const record of resume?.completed.values() ?? []) {
    const index = graph.indexOf.get(record.stepId);
    if (index === undefined) continue;
    const step = graph.steps[index]!;
    done.add(index);
    results[index] = {
      stepId: step.id,
      name: step.name ?? step.id,
      kind: step.kind,
      status: 'succeeded',
      changed: record.changed,
      attempts: record.attempts,
      startedAt: record.startedAt,
      endedAt: record.endedAt,
      durationMs: record.endedAt - record.startedAt,
      resumed: true,
      ...(record.undo && { undo: record.undo }),
      calls: emptyCallTally(),
    };
    if (record.changed && record.undo) changedInOrder.push({ step, before: record.undo.before });
    if (ctx.listening) {
      ctx.emit({
        type: 'step-skipped',
        runId: ctx.runId,
        at: startedAt,
        stepId: step.id,
        reason: 'completed-earlier',
      });
    }
  }

  let error: FailoverError | undefined;
  let rollback: RollbackResult | undefined;
  if (resume?.rollback) {
    // The earlier run had begun rolling back: finish that, run nothing forward.
    const candidates: RollbackCandidate[] = [];
    for (const stepId of [...resume.rollback.stepIds].reverse()) {
      const index = graph.indexOf.get(stepId);
      const undo = resume.undos.get(stepId);
      if (index !== undefined && undo) candidates.push({ step: graph.steps[index]!, before: undo.before });
    }
    rollback = await rollbackSteps(ctx, candidates, resume.rollback.done);
    skipUnstarted(ctx, graph, results);
    return {
      status:
        rollback.status === 'cancelled'
          ? 'cancelled'
          : rollback.status === 'rolled-back'
            ? 'rolled-back'
            : 'failed',
      results: results as StepResult[],
      rollback,
      startedAt,
    };
  }

  if (!ctx.fatal) {
    const starting = (indexes: readonly number[]) =>
      expectDnsBatches(
        ctx,
        indexes.map((index) => graph.steps[index]!),
      );
    await scheduleSteps(graph, { concurrency, done, signal: ctx.signal, starting }, async (index) => {
      const step = graph.steps[index]!;
      const result = await executeStep(ctx, step, resume?.inFlight.get(step.id));
      results[index] = result;
      if (result.changed && result.undo) changedInOrder.push({ step, before: result.undo.before });
      if (result.status !== 'succeeded') error ??= result.error;
      return result.status === 'succeeded';
    });
  }
  skipUnstarted(ctx, graph, results);
  const all = results as StepResult[];

  if (ctx.signal.aborted) {
    return {
      status: 'cancelled',
      results: all,
      error: error ?? cancelledError('executor', 'runPlan'),
      startedAt,
    };
  }
  if (ctx.dryRun) {
    // A dry-run predicts the run: a step the run's pre-check would refuse fails the dry-run.
    const refusals = refusalsOfDiffs(all, (stepId) => providerNameOf(graph, stepId));
    if (refusals.length > 0) {
      return { status: 'failed', results: all, error: error ?? refusalsError(refusals), refusals, startedAt };
    }
  }
  if (!error) return { status: 'succeeded', results: all, startedAt };
  if (ctx.dryRun || !rollbackOnFailure || changedInOrder.length === 0) {
    return { status: 'failed', results: all, error, startedAt };
  }
  // A promotion that stays done keeps what protects it: traffic is held in the target region.
  const partialFailover = holdInTarget(graph, changedInOrder, all);
  const keep = new Set(partialFailover?.kept.map((kept) => kept.stepId));
  rollback = await rollbackSteps(
    ctx,
    changedInOrder.filter((candidate) => !keep.has(candidate.step.id)),
  );
  if (partialFailover) rollback = { ...rollback, kept: partialFailover.kept };
  const status: RunStatus =
    rollback.status === 'cancelled'
      ? 'cancelled'
      : rollback.status === 'rolled-back'
        ? 'rolled-back'
        : 'failed';
  return {
    status,
    results: all,
    rollback,
    error,
    startedAt,
    ...(partialFailover && status === 'failed' && { partialFailover }),
  };
}

/**
 * The pre-run pass of a real run: every refused step fails with its refusal, the
 * others are skipped, and nothing is journaled or changed. Undefined when none is refused.
 */
async function refuseBeforeRun(
  ctx: RunContext,
  graph: StepGraph,
  results: (StepResult | undefined)[],
  concurrency: number,
): Promise<Omit<GraphOutcome, 'startedAt'> | undefined> {
  const refusals = await precheckSteps(ctx, graph.steps, concurrency);
  if (refusals.length === 0) return undefined;
  const at = ctx.time.now();
  for (const refusal of refusals) {
    const index = graph.indexOf.get(refusal.stepId)!;
    const step = graph.steps[index]!;
    results[index] = {
      stepId: step.id,
      name: step.name ?? step.id,
      kind: step.kind,
      status: 'failed',
      changed: false,
      attempts: 0,
      durationMs: 0,
      error: refusal.error,
      calls: emptyCallTally(),
    };
    if (ctx.listening) {
      ctx.emit({
        type: 'warning',
        runId: ctx.runId,
        at,
        message: `${refusal.stepId}: refused by the pre-check: ${refusal.error.message}`,
      });
    }
  }
  skipUnstarted(ctx, graph, results);
  return { status: 'failed', results: results as StepResult[], error: refusalsError(refusals), refusals };
}

function providerNameOf(graph: StepGraph, stepId: string): string {
  const step = graph.steps[graph.indexOf.get(stepId)!];
  return step?.kind === 'action' ? step.action.provider : 'executor';
}

/** Gives every step that never started a `skipped` result. */
function skipUnstarted(ctx: RunContext, graph: StepGraph, results: (StepResult | undefined)[]): void {
  const at = ctx.time.now();
  for (let index = 0; index < graph.ids.length; index++) {
    if (results[index]) continue;
    const step = graph.steps[index]!;
    results[index] = {
      stepId: step.id,
      name: step.name ?? step.id,
      kind: step.kind,
      status: 'skipped',
      changed: false,
      attempts: 0,
      durationMs: 0,
      calls: emptyCallTally(),
    };
    if (ctx.listening) {
      ctx.emit({ type: 'step-skipped', runId: ctx.runId, at, stepId: step.id, reason: 'run-stopped' });
    }
  }
}

async function loadResume(
  journal: Journal,
  planId: string,
  fingerprint: string,
): Promise<Result<ResumeState | undefined, FailoverError>> {
  const entries = await journal.read();
  if (entries.isErr()) return err(entries.error);
  return replayJournal(entries.value, planId, fingerprint);
}
