import {
  buildReport,
  emptyCallCounts,
  FailoverError,
  type JournalEntry,
  journaledDetection,
  type LockTakenOverEntry,
  planFingerprint,
  type RollbackResult,
  type RunEndEntry,
  type RunReport,
  type RunStartEntry,
  type RunStatus,
  type StepEndEntry,
  type StepResult,
  type ValidatedPlan,
} from '@failover/core';

/** A report rebuilt from a journal, and what it could not know. */
export interface JournalReport {
  report: RunReport;
  warnings: string[];
}

/**
 * Rebuilds the report of a plan's last run chain (a run and the runs that
 * resumed it) from journal entries, with core's `buildReport`, counting API
 * calls from each step-end's `calls`; a chain without a `run-end`
 * crashed (or is still running) and is reported as `cancelled`. `runId`
 * picks a chain by any of its runs instead of the last one.
 */
export function reportFromJournal(
  entries: readonly JournalEntry[],
  validated: ValidatedPlan,
  runId?: string,
): JournalReport | { error: string } {
  const plan = validated.plan;
  const chains = chainsOf(entries, plan.id);
  if (chains.length === 0) {
    const others = [
      ...new Set(entries.flatMap((entry) => (entry.type === 'run-start' ? [entry.planId] : []))),
    ];
    return {
      error: `The journal has no run of plan ${plan.id}${others.length > 0 ? ` (it has runs of ${others.join(', ')})` : ''}.`,
    };
  }
  const chain =
    runId === undefined
      ? chains[chains.length - 1]!
      : chains.find((candidate) => candidate.some((start) => start.runId === runId));
  if (!chain) return { error: `The journal has no run ${runId} of plan ${plan.id}.` };

  const warnings: string[] = [];
  const runIds = new Set(chain.map((start) => start.runId));
  const last = chain[chain.length - 1]!;
  if (chain.some((start) => start.fingerprint !== planFingerprint(plan))) {
    warnings.push(`The plan changed since run ${last.runId}; steps are matched by id.`);
  }
  const mine = entries.filter((entry) => runIds.has(entry.runId));
  const ends = new Map<string, StepEndEntry>();
  const starts = new Map<string, number>();
  const rollbackSteps: RollbackResult['steps'] = [];
  let rollbackStarted = false;
  let runEnd: RunEndEntry | undefined;
  for (const entry of mine) {
    switch (entry.type) {
      case 'step-start':
        if (!ends.has(entry.stepId) || ends.get(entry.stepId)!.status !== 'succeeded') {
          starts.set(entry.stepId, entry.at);
        }
        break;
      case 'step-end':
        // A later run of the chain may retry a step that failed or was cancelled; a success stays.
        if (ends.get(entry.stepId)?.status !== 'succeeded') ends.set(entry.stepId, entry);
        break;
      case 'rollback-start':
        rollbackStarted = true;
        break;
      case 'rollback-step':
        rollbackSteps.push({
          stepId: entry.stepId,
          status: entry.status,
          ...(entry.error && { error: FailoverError.fromJSON(entry.error) }),
          calls: { total: emptyCallCounts(), byProvider: {} },
        });
        break;
      case 'run-end':
        if (entry.runId === last.runId) runEnd = entry;
        break;
      case 'lock-taken-over':
        warnings.push(takeoverNote(entry));
        break;
      default:
        break;
    }
  }

  const stepResults: StepResult[] = [];
  let error: FailoverError | undefined;
  for (const id of validated.order) {
    const step = validated.steps.get(id)!.step;
    const base = {
      stepId: id,
      name: step.name ?? id,
      kind: step.kind,
      calls: { total: emptyCallCounts(), byProvider: {} },
    };
    const end = ends.get(id);
    if (end) {
      const failure = end.error ? FailoverError.fromJSON(end.error) : undefined;
      if (failure && end.status === 'failed') error ??= failure;
      stepResults.push({
        ...base,
        // Journals written before step-end carried call counts have none: they count as 0.
        ...(end.calls && { calls: end.calls }),
        status: end.status,
        changed: end.changed,
        attempts: end.attempts,
        startedAt: end.startedAt,
        endedAt: end.at,
        durationMs: end.at - end.startedAt,
        ...(end.runId !== last.runId && end.status === 'succeeded' && { resumed: true }),
        ...(failure && { error: failure }),
        ...(end.undo && { undo: end.undo }),
        // Why a fence held, where a size came from: kept in the report rebuilt from the journal.
        ...(end.evidence && { evidence: end.evidence }),
      });
      continue;
    }
    const startedAt = starts.get(id);
    if (startedAt !== undefined) {
      // Under way when the journal stops: the run crashed (or still runs) in this step.
      stepResults.push({
        ...base,
        status: 'cancelled',
        changed: false,
        attempts: 1,
        startedAt,
        durationMs: 0,
      });
      continue;
    }
    stepResults.push({ ...base, status: 'skipped', changed: false, attempts: 0, durationMs: 0 });
  }

  let status: RunStatus;
  if (runEnd) {
    status = runEnd.status;
  } else {
    status = 'cancelled';
    warnings.push(
      `Run ${last.runId} has no end in the journal: it crashed or is still running; resume it with \`failover run <plan> --journal <file> --resume\`.`,
    );
  }
  const endedAt = runEnd?.at ?? mine[mine.length - 1]!.at;
  const rollback: RollbackResult | undefined = rollbackStarted
    ? {
        status:
          status === 'rolled-back'
            ? 'rolled-back'
            : status === 'cancelled' && !runEnd
              ? 'cancelled'
              : rollbackSteps.every((step) => step.status === 'rolled-back' || step.status === 'skipped')
                ? 'rolled-back'
                : 'failed',
        steps: rollbackSteps,
      }
    : undefined;
  const previous = chain.length > 1 ? chain[chain.length - 2]!.runId : undefined;
  const detection = journaledDetection(chain);
  const report = buildReport({
    compiled: validated,
    runId: last.runId,
    status,
    dryRun: false,
    startedAt: chain[0]!.at,
    endedAt,
    ...(previous !== undefined && { resumedFrom: previous }),
    steps: stepResults,
    ...(rollback && { rollback }),
    notices: validated.notices,
    warnings: warnings.map((message) => ({ message })),
    ...(error && { error }),
    ...(detection && { detection }),
  });
  return { report, warnings };
}

/** The report's line for a journaled takeover of the lock: who took it from whom, and how. */
function takeoverNote(entry: LockTakenOverEntry): string {
  const previous = entry.previous;
  const from = previous
    ? `run ${previous.runId}${previous.hostname ? ` on ${previous.hostname}` : ''}${previous.pid !== undefined ? ` (pid ${previous.pid})` : ''}${previous.acquiredAt ? `, held since ${previous.acquiredAt}` : ''}`
    : 'an unreadable lock';
  const how =
    entry.how === 'take-over'
      ? 'named with --take-over'
      : entry.how === 'force-unlock'
        ? 'removed with --force-unlock'
        : 'its process had died';
  return `Run ${entry.runId} took over the journal's lock from ${from} (${how}), from ${entry.by.hostname} (pid ${entry.by.pid}).`;
}

/** Run chains of a plan, in journal order: a fresh run and every run that resumed it. */
function chainsOf(entries: readonly JournalEntry[], planId: string): RunStartEntry[][] {
  const chains: RunStartEntry[][] = [];
  for (const entry of entries) {
    if (entry.type !== 'run-start' || entry.planId !== planId) continue;
    const current = chains[chains.length - 1];
    if (entry.resumes !== undefined && current?.some((start) => start.runId === entry.resumes))
      current.push(entry);
    else chains.push([entry]);
  }
  return chains;
}
