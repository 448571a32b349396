import type { StepResult } from '../executor/run-result.js';
import type { LeafStep } from '../plan/compile-plan.js';
import type { ReportGraph } from './report-graph.js';
import type { RtoReport } from './run-report.js';

/** Whether a step counts towards RTO: an action with `traffic: true`, by default the DNS actions. */
export function isTrafficStep(step: LeafStep): boolean {
  return step.kind === 'action' && (step.traffic ?? step.action.type === 'dns');
}

/** What `achievedRto` measures from. */
export interface AchievedRtoInput {
  graph: ReportGraph;
  /** Leaf steps, indexed like `graph.order`. */
  steps: readonly LeafStep[];
  /** Results, indexed like `graph.order`. */
  results: readonly (StepResult | undefined)[];
  /** Start of the run (of the first run, when resumed). */
  origin: number;
  objectiveMs?: number;
}

/**
 * Achieved RTO as `RtoReport` defines it: from `origin` to the moment the last
 * traffic step was verified (its first succeeded verify descendant ended, or
 * it ended itself when no verify step depends on it). O(steps + edges).
 */
export function achievedRto(input: AchievedRtoInput): RtoReport {
  const { graph, steps, results, origin, objectiveMs } = input;
  const count = graph.order.length;
  const traffic: number[] = [];
  for (let index = 0; index < count; index++) if (isTrafficStep(steps[index]!)) traffic.push(index);
  const trafficStepIds = traffic.map((index) => graph.order[index]!);
  const objective = objectiveMs === undefined ? {} : { objectiveMs };
  if (traffic.length === 0) return { achievedMs: null, ...objective, trafficStepIds };
  if (traffic.some((index) => results[index]?.status !== 'succeeded')) {
    return {
      achievedMs: null,
      ...objective,
      ...(objectiveMs !== undefined && { met: false }),
      trafficStepIds,
    };
  }

  // firstVerify[i]: the earliest-ending succeeded verify step among i's descendants (-1: none).
  // In reverse topological order every dependent is done before its dependencies, so
  // each step hands its best (itself, if a verify step, or its own best) to its deps.
  const firstVerify = new Int32Array(count).fill(-1);
  const endOf = (index: number) => results[index]!.endedAt!;
  const isVerified = (index: number) =>
    steps[index]!.kind === 'verify' &&
    results[index]?.status === 'succeeded' &&
    results[index]!.endedAt !== undefined;
  for (let index = count - 1; index >= 0; index--) {
    let best = firstVerify[index]!;
    if (isVerified(index) && (best === -1 || endOf(index) < endOf(best))) best = index;
    if (best === -1) continue;
    for (const dep of graph.deps[index]!) {
      const current = firstVerify[dep]!;
      if (current === -1 || endOf(best) < endOf(current)) firstVerify[dep] = best;
    }
  }

  let last = -1;
  let lastAt = Number.NEGATIVE_INFINITY;
  for (const index of traffic) {
    const verifiedBy = firstVerify[index] === -1 ? index : firstVerify[index]!;
    if (endOf(verifiedBy) > lastAt) {
      lastAt = endOf(verifiedBy);
      last = verifiedBy;
    }
  }
  const achievedMs = Math.max(0, lastAt - origin);
  return {
    achievedMs,
    ...objective,
    ...(objectiveMs !== undefined && { met: achievedMs <= objectiveMs }),
    trafficStepIds,
    measuredTo: graph.order[last]!,
  };
}
