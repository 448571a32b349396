import type { ReportGraph } from './report-graph.js';
import type { CriticalPathReport } from './run-report.js';

/**
 * The longest path through the DAG by actual durations: in topological order,
 * a step's finish is its duration plus the latest finish among its
 * dependencies. Steps that did not run count as zero. O(steps + edges), a
 * `deps` array shared by several steps counting once.
 *
 * @param durations per step, indexed like `graph.order`
 */
export function criticalPath(graph: ReportGraph, durations: ArrayLike<number>): CriticalPathReport {
  const count = graph.order.length;
  const finish = new Float64Array(count);
  const previous = new Int32Array(count).fill(-1);
  // The dependency that finishes last, per deps array: the finishes of its steps are final before
  // its first user (topological order), so an array shared by many steps is scanned once.
  const latestOf = new Map<readonly number[], number>();
  const latest = (deps: readonly number[]) => {
    let via = -1;
    for (const dep of deps) if (via === -1 || finish[dep]! > finish[via]!) via = dep;
    return via;
  };
  let end = -1;
  let longest = -1;
  for (let index = 0; index < count; index++) {
    const deps = graph.deps[index]!;
    let via: number;
    if (deps.length < 2) via = deps.length === 0 ? -1 : deps[0]!;
    else {
      via = latestOf.get(deps) ?? -1;
      if (via === -1) {
        via = latest(deps);
        latestOf.set(deps, via);
      }
    }
    const start = via === -1 ? 0 : finish[via]!;
    const done = start + Math.max(0, durations[index] ?? 0);
    finish[index] = done;
    previous[index] = via;
    // Strictly longer only: ties keep the earlier step, so zero-length steps after the end are not added.
    if (done > longest) {
      longest = done;
      end = index;
    }
  }
  const stepIds: string[] = [];
  for (let index = end; index !== -1; index = previous[index]!) stepIds.push(graph.order[index]!);
  return { stepIds: stepIds.reverse(), durationMs: Math.max(0, longest) };
}
