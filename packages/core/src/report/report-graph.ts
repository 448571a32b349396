import type { CompiledPlan } from '../plan/compile-plan.js';

/** A compiled plan as index arrays (positions in topological order), for O(steps + edges) passes. */
export interface ReportGraph {
  readonly order: readonly string[];
  readonly deps: readonly (readonly number[])[];
}

/** Index arrays of a compiled plan (dependencies by position), built once for the report's passes. */
export function reportGraph(compiled: CompiledPlan): ReportGraph {
  const order = compiled.order;
  const indexOf = new Map<string, number>();
  for (let index = 0; index < order.length; index++) indexOf.set(order[index]!, index);
  const deps: number[][] = new Array(order.length);
  for (let index = 0; index < order.length; index++) {
    const ids = compiled.steps.get(order[index]!)?.deps ?? [];
    const mine = new Array<number>(ids.length);
    for (let position = 0; position < ids.length; position++) mine[position] = indexOf.get(ids[position]!)!;
    deps[index] = mine;
  }
  return { order, deps };
}
