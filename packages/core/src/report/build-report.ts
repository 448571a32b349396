import type { FailoverError } from '../errors/failover-error.js';
import { addCallCounts, type CallCounts, emptyCallCounts } from '../executor/call-counts.js';
import type { RollbackResult, RunStatus, StepResult } from '../executor/run-result.js';
import type { CompiledPlan } from '../plan/compile-plan.js';
import type { PlanProblem } from '../plan/plan-problem.js';
import { achievedRto, isTrafficStep } from './achieved-rto.js';
import { criticalPath } from './critical-path.js';
import type { ReportStep, RunReport } from './run-report.js';

/** What a report is built from: the compiled plan and the run's results. */
export interface ReportInput {
  compiled: CompiledPlan;
  runId: string;
  status: RunStatus;
  dryRun: boolean;
  /** Clock time the run started (the first run's start, when resumed): offsets and RTO count from here. */
  startedAt: number;
  endedAt: number;
  resumedFrom?: string;
  steps: readonly StepResult[];
  rollback?: RollbackResult;
  notices?: readonly PlanProblem[];
  /** Run-level warnings; step warnings are collected from the steps. */
  warnings?: readonly { stepId?: string; message: string }[];
  error?: FailoverError;
}

/**
 * The report of a run: a timeline per step (offsets, attempts, calls, errors),
 * the critical path by actual durations, achieved RTO against the plan's
 * objective, API calls per provider, and the rollback. Pure and O(steps + edges).
 */
export function buildReport(input: ReportInput): RunReport {
  const { compiled, startedAt: origin } = input;
  const plan = compiled.plan;
  const byId = new Map<string, StepResult>();
  for (const result of input.steps) byId.set(result.stepId, result);
  const depsOf = (id: string) => compiled.steps.get(id)?.deps ?? [];
  const stepOf = (id: string) => compiled.steps.get(id)!.step;
  const rollbackOf = new Map((input.rollback?.steps ?? []).map((step) => [step.stepId, step]));

  const total = emptyCallCounts();
  const byProvider: Record<string, CallCounts> = {};
  const warnings: { stepId?: string; message: string }[] = [...(input.warnings ?? [])];
  const addTally = (tally: StepResult['calls']) => {
    addCallCounts(total, tally.total);
    for (const [name, counts] of Object.entries(tally.byProvider)) {
      byProvider[name] = addCallCounts(byProvider[name] ?? emptyCallCounts(), counts);
    }
  };

  const steps: ReportStep[] = [];
  for (const id of compiled.order) {
    const result = byId.get(id);
    const step = stepOf(id);
    if (!result) continue;
    addTally(result.calls);
    const rollback = rollbackOf.get(id);
    if (rollback) addTally(rollback.calls);
    for (const message of result.warnings ?? []) warnings.push({ stepId: id, message });
    steps.push({
      id,
      name: result.name,
      kind: result.kind,
      status: result.status,
      changed: result.changed,
      ...(result.resumed && { resumed: true }),
      ...(isTrafficStep(step) && { traffic: true }),
      ...(result.startedAt !== undefined && {
        startedAt: new Date(result.startedAt).toISOString(),
        startOffsetMs: result.startedAt - origin,
      }),
      ...(result.endedAt !== undefined && {
        endedAt: new Date(result.endedAt).toISOString(),
        endOffsetMs: result.endedAt - origin,
      }),
      durationMs: result.durationMs,
      attempts: result.attempts,
      calls: { ...result.calls.total },
      ...(result.error && { error: result.error.toJSON() }),
      ...(result.warnings && { warnings: [...result.warnings] }),
      ...(result.diff && { diff: result.diff }),
      ...(rollback && {
        rollback: {
          status: rollback.status,
          ...(rollback.error && { error: rollback.error.toJSON() }),
          calls: { ...rollback.calls.total },
        },
      }),
    });
  }
  // Timeline order: by start; steps never started keep plan order at the end (a stable sort).
  steps.sort(
    (a, b) => (a.startOffsetMs ?? Number.POSITIVE_INFINITY) - (b.startOffsetMs ?? Number.POSITIVE_INFINITY),
  );

  const objectives = plan.objectives ?? {};
  return {
    format: 'failover-run-report/v1',
    planId: plan.id,
    planName: plan.name,
    runId: input.runId,
    status: input.status,
    dryRun: input.dryRun,
    startedAt: new Date(origin).toISOString(),
    endedAt: new Date(input.endedAt).toISOString(),
    durationMs: input.endedAt - origin,
    ...(input.resumedFrom !== undefined && { resumedFrom: input.resumedFrom }),
    objectives: { ...objectives },
    rto: achievedRto({
      order: compiled.order,
      depsOf,
      stepOf,
      resultOf: (id) => byId.get(id),
      origin,
      ...(objectives.rtoMs !== undefined && { objectiveMs: objectives.rtoMs }),
    }),
    criticalPath: criticalPath(compiled.order, depsOf, (id) => byId.get(id)?.durationMs ?? 0),
    steps,
    ...(input.rollback && {
      rollback: {
        status: input.rollback.status,
        stepIds: input.rollback.steps.map((step) => step.stepId),
        irreversible: input.rollback.steps
          .filter((step) => step.status === 'irreversible')
          .map((step) => step.stepId),
      },
    }),
    apiCalls: { total, byProvider },
    notices: (input.notices ?? []).map((notice) => ({ ...notice })),
    warnings,
    ...(input.error && { error: input.error.toJSON() }),
  };
}
