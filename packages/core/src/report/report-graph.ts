import type { CompiledPlan } from '../plan/compile-plan.js';

/**
 * A compiled plan as index arrays (positions in topological order), for O(steps + edges) passes.
 * Steps that share a compiled `deps` array share their `deps` entry here too (the same array
 * object), and the passes count such an array once: a wide stage after a wide stage stays O(steps).
 */
export interface ReportGraph {
  readonly order: readonly string[];
  readonly deps: readonly (readonly number[])[];
}

/** Index arrays of a compiled plan (dependencies by position), built once for the report's passes. */
export function reportGraph(compiled: CompiledPlan): ReportGraph {
  const order = compiled.order;
  const indexOf = new Map<string, number>();
  for (let index = 0; index < order.length; index++) indexOf.set(order[index]!, index);
  return { order, deps: dependencyIndexes(compiled, indexOf) };
}

/**
 * The `deps` of every step of `compiled.order` as positions; a shared `deps` array
 * becomes one shared array of positions.
 * @internal
 */
export function dependencyIndexes(
  compiled: CompiledPlan,
  indexOf: ReadonlyMap<string, number>,
): (readonly number[])[] {
  const order = compiled.order;
  const deps: (readonly number[])[] = new Array(order.length);
  const converted = new Map<readonly string[], readonly number[]>();
  for (let index = 0; index < order.length; index++) {
    const ids = compiled.steps.get(order[index]!)?.deps ?? [];
    let mine = converted.get(ids);
    if (mine === undefined) {
      const positions = new Array<number>(ids.length);
      for (let position = 0; position < ids.length; position++)
        positions[position] = indexOf.get(ids[position]!)!;
      mine = positions;
      converted.set(ids, mine);
    }
    deps[index] = mine;
  }
  return deps;
}
