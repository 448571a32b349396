import type { CompiledStep, LeafStep } from './compile-plan.js';
import { visitAncestors } from './visit-ancestors.js';

/** A DNS name or endpoint as plans compare them: lower case, no trailing dot. */
export function normalizeFrontName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

/**
 * The names a step fences (takes traffic or writes away from): a DNS action
 * marked `fence` fences its record's name; a `primary-unreachable` check (a
 * fence by evidence) fences the names it lists in `fences`. Anything else
 * fences nothing.
 */
export function fencedNames(step: LeafStep): string[] {
  if (step.kind === 'action' && step.fence === true) {
    return step.action.type === 'dns' ? [normalizeFrontName(step.action.record.name)] : [];
  }
  if ((step.kind === 'check' || step.kind === 'verify') && step.check.type === 'primary-unreachable') {
    return step.check.fences.map(normalizeFrontName);
  }
  return [];
}

/** Whether the step counts as a fence at all (an action marked `fence`, or evidence of unreachability). */
export function isFenceStep(step: LeafStep): boolean {
  return (
    (step.kind === 'action' && step.fence === true) ||
    ((step.kind === 'check' || step.kind === 'verify') && step.check.type === 'primary-unreachable')
  );
}

/**
 * The names fenced by the ancestors of `start` (its transitive dependencies),
 * with the id of a step fencing each. A search that tolerates cycles:
 * O(steps + edges), a shared `deps` array visited once.
 */
export function namesFencedBefore(
  graph: ReadonlyMap<string, CompiledStep>,
  start: string,
): Map<string, string> {
  const fenced = new Map<string, string>();
  visitAncestors(graph, start, (id, compiled) => {
    if (!compiled) return;
    for (const name of fencedNames(compiled.step)) if (!fenced.has(name)) fenced.set(name, id);
  });
  return fenced;
}
