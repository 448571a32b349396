import type { FailoverError } from '../errors/failover-error.js';
import { addCallCounts, type CallCounts, emptyCallCounts } from '../executor/call-counts.js';
import type { PartialFailover } from '../executor/rollback-hold.js';
import type { RollbackResult, RunStatus, StepResult } from '../executor/run-result.js';
import type { CompiledPlan, LeafStep } from '../plan/compile-plan.js';
import type { PlanProblem } from '../plan/plan-problem.js';
import { achievedRpo } from './achieved-rpo.js';
import { achievedRto, isTrafficStep } from './achieved-rto.js';
import { criticalPath } from './critical-path.js';
import { type IncidentDetection, incidentReview } from './incident-review.js';
import { type ReportGraph, reportGraph } from './report-graph.js';
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
  /** Set when the run failed after a promotion that stays done (traffic held in the target region). */
  partialFailover?: PartialFailover;
  notices?: readonly PlanProblem[];
  /** Run-level warnings; step warnings are collected from the steps. */
  warnings?: readonly { stepId?: string; message: string }[];
  error?: FailoverError;
  /** Provider id (`aws.route53`) of each provider name, to count API calls per cloud. Unknown names count as their own cloud. */
  providerIds?: Readonly<Record<string, string>>;
  /** When the incident began and was detected (the decision engine's evaluation), for the time to detect. */
  detection?: IncidentDetection;
  /** The plan as index arrays, when the caller has it already (the executor does); built otherwise. */
  graph?: ReportGraph;
}

/**
 * The report of a run: a timeline per step (offsets, attempts, calls, errors),
 * the critical path by actual durations, achieved RTO against the plan's
 * objective, API calls per provider, and the rollback. Pure and O(steps + edges).
 */
export function buildReport(input: ReportInput): RunReport {
  const { compiled, startedAt: origin } = input;
  const plan = compiled.plan;
  const graph = input.graph ?? reportGraph(compiled);
  const count = graph.order.length;
  const positionOf = new Map<string, number>();
  for (let index = 0; index < count; index++) positionOf.set(graph.order[index]!, index);
  const results: (StepResult | undefined)[] = new Array(count);
  for (const result of input.steps) {
    const index = positionOf.get(result.stepId);
    if (index !== undefined) results[index] = result;
  }
  const leaves = graph.order.map((id) => compiled.steps.get(id)!.step);
  const rollbackOf = new Map((input.rollback?.steps ?? []).map((step) => [step.stepId, step]));

  const total = emptyCallCounts();
  const byProvider: Record<string, CallCounts> = {};
  const warnings: { stepId?: string; message: string }[] = [...(input.warnings ?? [])];
  const addTally = (tally: StepResult['calls']) => {
    addCallCounts(total, tally.total);
    for (const name in tally.byProvider) {
      byProvider[name] = addCallCounts(byProvider[name] ?? emptyCallCounts(), tally.byProvider[name]!);
    }
  };

  const steps: ReportStep[] = [];
  const durations = new Float64Array(count);
  for (let index = 0; index < count; index++) {
    const result = results[index];
    if (!result) continue;
    const id = result.stepId;
    durations[index] = result.durationMs;
    addTally(result.calls);
    const rollback = rollbackOf.get(id);
    if (rollback) addTally(rollback.calls);
    const step: ReportStep = {
      id,
      name: result.name,
      kind: result.kind,
      status: result.status,
      changed: result.changed,
      durationMs: result.durationMs,
      attempts: result.attempts,
      calls: { ...result.calls.total },
    };
    if (result.resumed) step.resumed = true;
    if (isTrafficStep(leaves[index]!)) step.traffic = true;
    const provider = providerNameOf(leaves[index]!);
    if (provider !== undefined) step.cloud = cloudOf(provider, input.providerIds ?? {});
    if (result.startedAt !== undefined) {
      step.startedAt = isoTime(result.startedAt);
      step.startOffsetMs = result.startedAt - origin;
    }
    if (result.endedAt !== undefined) {
      step.endedAt = isoTime(result.endedAt);
      step.endOffsetMs = result.endedAt - origin;
    }
    if (result.error) step.error = result.error.toJSON();
    if (result.warnings) {
      step.warnings = [...result.warnings];
      for (const message of result.warnings) warnings.push({ stepId: id, message });
    }
    if (result.diff) step.diff = result.diff;
    if (result.evidence) step.evidence = result.evidence;
    if (rollback) {
      step.rollback = {
        status: rollback.status,
        ...(rollback.error && { error: rollback.error.toJSON() }),
        calls: { ...rollback.calls.total },
      };
    }
    steps.push(step);
  }
  // Timeline order: by start; steps never started keep plan order at the end (a stable sort).
  steps.sort(
    (a, b) => (a.startOffsetMs ?? Number.POSITIVE_INFINITY) - (b.startOffsetMs ?? Number.POSITIVE_INFINITY),
  );

  const objectives = plan.objectives ?? {};
  const rpo = input.dryRun
    ? undefined
    : achievedRpo({
        steps: leaves,
        results,
        origin,
        ...(objectives.rpoMs !== undefined && { objectiveMs: objectives.rpoMs }),
      });
  const report: RunReport = {
    format: 'failover-run-report/v1',
    planId: plan.id,
    planName: plan.name,
    runId: input.runId,
    status: input.status,
    dryRun: input.dryRun,
    startedAt: isoTime(origin),
    endedAt: isoTime(input.endedAt),
    durationMs: input.endedAt - origin,
    ...(input.resumedFrom !== undefined && { resumedFrom: input.resumedFrom }),
    objectives: { ...objectives },
    rto: input.dryRun
      ? // A dry-run changes nothing, so it recovers nothing: no RTO to claim.
        {
          achievedMs: null,
          ...(objectives.rtoMs !== undefined && { objectiveMs: objectives.rtoMs }),
          trafficStepIds: leaves.filter(isTrafficStep).map((step) => step.id),
        }
      : achievedRto({
          graph,
          steps: leaves,
          results,
          origin,
          ...(objectives.rtoMs !== undefined && { objectiveMs: objectives.rtoMs }),
        }),
    ...(rpo && { rpo }),
    criticalPath: criticalPath(graph, durations),
    steps,
    ...(input.rollback && {
      rollback: {
        status: input.rollback.status,
        stepIds: input.rollback.steps.map((step) => step.stepId),
        irreversible: input.rollback.steps
          .filter((step) => step.status === 'irreversible')
          .map((step) => step.stepId),
        ...(input.rollback.kept && { kept: input.rollback.kept.map((kept) => ({ ...kept })) }),
      },
    }),
    ...(input.partialFailover && {
      partialFailover: {
        ...input.partialFailover,
        irreversible: [...input.partialFailover.irreversible],
        kept: input.partialFailover.kept.map((kept) => ({ ...kept })),
        unfinished: [...input.partialFailover.unfinished],
      },
    }),
    apiCalls: { total, byProvider, byCloud: callsByCloud(byProvider, input.providerIds ?? {}) },
    notices: (input.notices ?? []).map((notice) => ({ ...notice })),
    warnings,
    ...(input.error && { error: input.error.toJSON() }),
  };
  if (!input.dryRun) report.review = incidentReview(report, input.detection);
  return report;
}

const isoTime = (ms: number) => new Date(ms).toISOString();

function callsByCloud(
  byProvider: Readonly<Record<string, CallCounts>>,
  providerIds: Readonly<Record<string, string>>,
): Record<string, CallCounts> {
  const byCloud: Record<string, CallCounts> = {};
  for (const name in byProvider) {
    const cloud = cloudOf(name, providerIds);
    byCloud[cloud] = addCallCounts(byCloud[cloud] ?? emptyCallCounts(), byProvider[name]!);
  }
  return byCloud;
}

/** The cloud of a plan's provider name: the part of its provider id before the first dot. */
const cloudOf = (name: string, providerIds: Readonly<Record<string, string>>) =>
  (providerIds[name] ?? name).split('.')[0]!;

/** The provider name an action, check or verify step calls, if any. */
function providerNameOf(step: LeafStep): string | undefined {
  const spec =
    step.kind === 'action'
      ? step.action
      : step.kind === 'check' || step.kind === 'verify'
        ? step.check
        : undefined;
  const provider = (spec as { provider?: unknown } | undefined)?.provider;
  return typeof provider === 'string' ? provider : undefined;
}
