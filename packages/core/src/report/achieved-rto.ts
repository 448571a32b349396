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
 * it ended itself when no verify step depends on it). O(steps + edges), a
 * `deps` array shared by several steps counting once.
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
  // On a tie the offer of the latest dependent (in order) wins: the first one made.
  const firstVerify = new Int32Array(count).fill(-1);
  const offeredBy = new Int32Array(count);
  const endOf = (index: number) => results[index]!.endedAt!;
  const isVerified = (index: number) =>
    steps[index]!.kind === 'verify' &&
    results[index]?.status === 'succeeded' &&
    results[index]!.endedAt !== undefined;
  const offer = (dep: number, best: number, from: number) => {
    const current = firstVerify[dep]!;
    if (
      current === -1 ||
      endOf(best) < endOf(current) ||
      (endOf(best) === endOf(current) && from > offeredBy[dep]!)
    ) {
      firstVerify[dep] = best;
      offeredBy[dep] = from;
    }
  };
  // A deps array shared by several steps collects their best first and hands it to its
  // steps once, when the pass reaches the last of them: every user comes after all of them.
  const pending = new Map<readonly number[], { best: number; from: number }>();
  const handAt = new Map<number, (readonly number[])[]>();
  for (let index = count - 1; index >= 0; index--) {
    const hand = handAt.get(index);
    if (hand) {
      for (const deps of hand) {
        const { best, from } = pending.get(deps)!;
        for (const dep of deps) offer(dep, best, from);
      }
    }
    let best = firstVerify[index]!;
    if (isVerified(index) && (best === -1 || endOf(index) < endOf(best))) best = index;
    if (best === -1) continue;
    const deps = graph.deps[index]!;
    if (deps.length < 2) {
      for (const dep of deps) offer(dep, best, index);
      continue;
    }
    const collected = pending.get(deps);
    if (collected === undefined) {
      pending.set(deps, { best, from: index });
      let last = deps[0]!;
      for (const dep of deps) if (dep > last) last = dep;
      const later = handAt.get(last);
      if (later) later.push(deps);
      else handAt.set(last, [deps]);
    } else if (endOf(best) < endOf(collected.best)) {
      // Users come in decreasing order, so on a tie the one collected first stays.
      collected.best = best;
      collected.from = index;
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
