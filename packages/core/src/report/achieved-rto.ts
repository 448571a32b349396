import type { StepResult } from '../executor/run-result.js';
import type { LeafStep } from '../plan/compile-plan.js';
import type { RtoReport } from './run-report.js';

/** Whether a step counts towards RTO: an action with `traffic: true`, by default the DNS actions. */
export function isTrafficStep(step: LeafStep): boolean {
  return step.kind === 'action' && (step.traffic ?? step.action.type === 'dns');
}

export interface AchievedRtoInput {
  order: readonly string[];
  depsOf: (id: string) => readonly string[];
  stepOf: (id: string) => LeafStep;
  resultOf: (id: string) => StepResult | undefined;
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
  const { order, depsOf, stepOf, resultOf, origin, objectiveMs } = input;
  const trafficStepIds = order.filter((id) => isTrafficStep(stepOf(id)));
  const objective = objectiveMs === undefined ? {} : { objectiveMs };
  if (trafficStepIds.length === 0) return { achievedMs: null, ...objective, trafficStepIds };
  if (trafficStepIds.some((id) => resultOf(id)?.status !== 'succeeded')) {
    return {
      achievedMs: null,
      ...objective,
      ...(objectiveMs !== undefined && { met: false }),
      trafficStepIds,
    };
  }

  // For every step, the earliest-ending succeeded verify step among its descendants.
  const dependents = new Map<string, string[]>();
  for (const id of order) {
    for (const dep of depsOf(id)) {
      const list = dependents.get(dep);
      if (list) list.push(id);
      else dependents.set(dep, [id]);
    }
  }
  const firstVerify = new Map<string, { id: string; at: number }>();
  for (let index = order.length - 1; index >= 0; index--) {
    const id = order[index]!;
    let best: { id: string; at: number } | undefined;
    for (const child of dependents.get(id) ?? []) {
      const result = resultOf(child);
      const own =
        stepOf(child).kind === 'verify' && result?.status === 'succeeded' && result.endedAt !== undefined
          ? { id: child, at: result.endedAt }
          : undefined;
      for (const candidate of [own, firstVerify.get(child)]) {
        if (candidate && (!best || candidate.at < best.at)) best = candidate;
      }
    }
    if (best) firstVerify.set(id, best);
  }

  let last: { id: string; at: number } | undefined;
  for (const id of trafficStepIds) {
    const verified = firstVerify.get(id) ?? { id, at: resultOf(id)!.endedAt! };
    if (!last || verified.at > last.at) last = verified;
  }
  const achievedMs = Math.max(0, last!.at - origin);
  return {
    achievedMs,
    ...objective,
    ...(objectiveMs !== undefined && { met: achievedMs <= objectiveMs }),
    trafficStepIds,
    measuredTo: last!.id,
  };
}
