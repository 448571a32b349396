import type { CompiledStep } from './compile-plan.js';

/**
 * Calls `visit` once for each ancestor of `start` (its transitive dependencies,
 * groups resolved), ids not in `graph` included with `undefined`. A search that
 * tolerates cycles: O(steps + edges), a `deps` array shared by the steps of a
 * parallel group walked once.
 */
export function visitAncestors(
  graph: ReadonlyMap<string, CompiledStep>,
  start: string,
  visit: (id: string, compiled: CompiledStep | undefined) => void,
): void {
  const seen = new Set<string>([start]);
  const seenDeps = new Set<readonly string[]>();
  const todo: (readonly string[])[] = [];
  const push = (deps: readonly string[] | undefined) => {
    if (deps === undefined || seenDeps.has(deps)) return;
    seenDeps.add(deps);
    todo.push(deps);
  };
  push(graph.get(start)?.deps);
  while (todo.length > 0) {
    for (const id of todo.pop()!) {
      if (seen.has(id)) continue;
      seen.add(id);
      const compiled = graph.get(id);
      visit(id, compiled);
      push(compiled?.deps);
    }
  }
}
