import type { CompiledPlan, LeafStep } from '../plan/compile-plan.js';
import { dependencyIndexes } from '../report/report-graph.js';

/**
 * A compiled plan as index arrays, so scheduling is O(steps + edges) with no map lookups in the loop.
 *
 * The scheduler walks nodes: steps (`0 … ids.length - 1`), then joins. A join is a zero-work
 * node standing for a `deps` array shared by many steps (the steps of a parallel group after a
 * wide stage): the array's steps feed the join and the sharers wait for the join, so m
 * dependencies × k sharers cost m + k edges instead of m × k. Joins are the scheduler's only:
 * `ids`, `order`, `steps` and `deps` know nothing of them, so the report sees the plan's own graph.
 */
export interface StepGraph {
  /** Leaf step ids in topological order; a step's index is its position here. */
  readonly ids: readonly string[];
  /** The same as `ids`: a `StepGraph` is a `ReportGraph`, so the report reuses it. */
  readonly order: readonly string[];
  readonly steps: readonly LeafStep[];
  /** Each step's dependencies (steps only); steps sharing a compiled `deps` array share this one too. */
  readonly deps: readonly (readonly number[])[];
  /** For each step, the join it waits for instead of its `deps`, or -1. */
  readonly joinOf: Int32Array;
  /** For each join (node `ids.length + j`), the steps it waits for. */
  readonly joinDeps: readonly (readonly number[])[];
  /** For each node, steps and joins, the nodes that wait for it. */
  readonly dependents: readonly (readonly number[])[];
  readonly indexOf: ReadonlyMap<string, number>;
}

export function buildStepGraph(compiled: CompiledPlan): StepGraph {
  const ids = compiled.order;
  const count = ids.length;
  const indexOf = new Map<string, number>();
  for (let index = 0; index < count; index++) indexOf.set(ids[index]!, index);
  const steps: LeafStep[] = new Array(count);
  for (let index = 0; index < count; index++) steps[index] = compiled.steps.get(ids[index]!)!.step;
  const deps = dependencyIndexes(compiled, indexOf);

  const sharers = new Map<readonly number[], number>();
  for (const mine of deps) if (mine.length > 1) sharers.set(mine, (sharers.get(mine) ?? 0) + 1);
  const joinOf = new Int32Array(count).fill(-1);
  const joinDeps: (readonly number[])[] = [];
  const joinNode = new Map<readonly number[], number>();
  const dependents: number[][] = Array.from({ length: count }, () => []);
  for (let index = 0; index < count; index++) {
    const mine = deps[index]!;
    const size = mine.length;
    const users = size > 1 ? sharers.get(mine)! : 1;
    if (size * users <= size + users) {
      for (const dep of mine) dependents[dep]!.push(index);
      continue;
    }
    let join = joinNode.get(mine);
    if (join === undefined) {
      join = count + joinDeps.length;
      joinNode.set(mine, join);
      joinDeps.push(mine);
      dependents.push([]);
      for (const dep of mine) dependents[dep]!.push(join);
    }
    joinOf[index] = join;
    dependents[join]!.push(index);
  }
  return { ids, order: ids, steps, deps, joinOf, joinDeps, dependents, indexOf };
}
