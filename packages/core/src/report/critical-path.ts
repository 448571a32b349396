import type { CriticalPathReport } from './run-report.js';

/**
 * The longest path through the DAG by actual durations: for each step in
 * topological order, its finish is its duration plus the latest finish among
 * its dependencies. Steps that did not run count as zero. O(steps + edges).
 */
export function criticalPath(
  order: readonly string[],
  depsOf: (id: string) => readonly string[],
  durationOf: (id: string) => number,
): CriticalPathReport {
  const finish = new Map<string, number>();
  const previous = new Map<string, string>();
  let end: string | undefined;
  let longest = -1;
  for (const id of order) {
    let start = 0;
    let via: string | undefined;
    for (const dep of depsOf(id)) {
      const depFinish = finish.get(dep) ?? 0;
      if (via === undefined || depFinish > start) {
        start = depFinish;
        via = dep;
      }
    }
    const done = start + Math.max(0, durationOf(id));
    finish.set(id, done);
    if (via !== undefined) previous.set(id, via);
    // Strictly longer only: ties keep the earlier step, so zero-length steps after the end are not added.
    if (done > longest) {
      longest = done;
      end = id;
    }
  }
  const stepIds: string[] = [];
  for (let id = end; id !== undefined; id = previous.get(id)) stepIds.push(id);
  return { stepIds: stepIds.reverse(), durationMs: Math.max(0, longest) };
}
