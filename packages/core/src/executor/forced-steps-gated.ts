import type { ActionSpec } from '../plan/action-spec.js';
import type { CompiledPlan } from '../plan/compile-plan.js';
import type { ActionStep } from '../plan/step.js';
import { visitAncestors } from '../plan/visit-ancestors.js';

/** A database action step in `forced` mode: a promotion that may lose writes. */
export type ForcedDatabaseStep = ActionStep & { action: Extract<ActionSpec, { type: 'database' }> };

/**
 * For each approval step, the forced database steps that wait on it, directly or
 * through other steps (groups resolved), in plan order. Approvals gating none are
 * absent. One search of ancestors per forced step: O(forced × (steps + edges)),
 * and plans have few forced steps.
 */
export function forcedStepsByApproval(
  compiled: Pick<CompiledPlan, 'steps' | 'order'>,
): ReadonlyMap<string, readonly ForcedDatabaseStep[]> {
  const gated = new Map<string, ForcedDatabaseStep[]>();
  for (const id of compiled.order) {
    const step = compiled.steps.get(id)?.step;
    if (step?.kind !== 'action' || step.action.type !== 'database' || step.action.mode !== 'forced') continue;
    for (const approvalId of approvalsBefore(compiled, id)) {
      const list = gated.get(approvalId) ?? [];
      list.push(step as ForcedDatabaseStep);
      gated.set(approvalId, list);
    }
  }
  return gated;
}

/** The approval steps among the transitive dependencies of `start`. */
function approvalsBefore(compiled: Pick<CompiledPlan, 'steps'>, start: string): string[] {
  const found: string[] = [];
  visitAncestors(compiled.steps, start, (id, ancestor) => {
    if (ancestor?.step.kind === 'approval') found.push(id);
  });
  return found;
}
