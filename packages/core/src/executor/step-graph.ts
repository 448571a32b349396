import type { CompiledPlan, LeafStep } from '../plan/compile-plan.js';

/** A compiled plan as index arrays, so scheduling is O(steps + edges) with no map lookups in the loop. */
export interface StepGraph {
  /** Leaf step ids in topological order; a step's index is its position here. */
  readonly ids: readonly string[];
  /** The same as `ids`: a `StepGraph` is a `ReportGraph`, so the report reuses it. */
  readonly order: readonly string[];
  readonly steps: readonly LeafStep[];
  readonly deps: readonly (readonly number[])[];
  readonly dependents: readonly (readonly number[])[];
  readonly indexOf: ReadonlyMap<string, number>;
}

export function buildStepGraph(compiled: CompiledPlan): StepGraph {
  const ids = compiled.order;
  const indexOf = new Map<string, number>();
  for (let index = 0; index < ids.length; index++) indexOf.set(ids[index]!, index);
  const steps: LeafStep[] = new Array(ids.length);
  const deps: number[][] = new Array(ids.length);
  const dependents: number[][] = Array.from({ length: ids.length }, () => []);
  for (let index = 0; index < ids.length; index++) {
    const compiledStep = compiled.steps.get(ids[index]!)!;
    steps[index] = compiledStep.step;
    const mine: number[] = [];
    for (const dep of compiledStep.deps) {
      const depIndex = indexOf.get(dep)!;
      mine.push(depIndex);
      dependents[depIndex]!.push(index);
    }
    deps[index] = mine;
  }
  return { ids, order: ids, steps, deps, dependents, indexOf };
}
