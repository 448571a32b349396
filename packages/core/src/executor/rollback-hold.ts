import type { ActionStep } from '../plan/step.js';
import type { RollbackCandidate } from './rollback-steps.js';
import type { StepResult } from './run-result.js';
import type { StepGraph } from './step-graph.js';
import { planUndo } from './undo-action.js';

/**
 * A failed run that keeps traffic in the target region: a step that cannot be undone
 * (a promotion) or must not be (`rollback: 'never'`) stays done, so rollback keeps
 * what it stands on, and the operator finishes the failover forward.
 */
export interface PartialFailover {
  /** One line for humans: "failed, failed over partially, traffic held in the target region". */
  summary: string;
  /** Completed steps that stay done: irreversible promotions and steps marked `rollback: 'never'`. */
  irreversible: string[];
  /** Completed steps rollback leaves in place, each with why (a fence, a dependency of a kept step). */
  kept: Array<{ stepId: string; reason: string }>;
  /** Steps after the irreversible ones that did not complete: what the operator must finish. */
  unfinished: string[];
}

/**
 * Which changed steps a rollback must leave in place. Undefined when no promotion (an
 * irreversible database step) and no `rollback: 'never'` step completed: then rollback
 * undoes everything reversible, as before.
 *
 * Otherwise let F be those steps and every step after them (transitively). Kept: every
 * fence, and every step F depends on (transitively): undoing a fence or a drain would
 * send traffic back to the demoted (or fenced) old primary; undoing a scale-up that the
 * remaining steps need would starve the region the traffic is held in. Steps of F that
 * did not complete are listed as what the operator must finish.
 */
export function holdInTarget(
  graph: StepGraph,
  changed: readonly RollbackCandidate[],
  results: readonly StepResult[],
): PartialFailover | undefined {
  const count = graph.ids.length;
  const stays = (candidate: RollbackCandidate): boolean => {
    const step = candidate.step;
    if (step.kind !== 'action') return false;
    if (step.rollback === 'never') return true;
    // A promotion, or an open-kind step that cannot be undone (a restore): what it stands on stays.
    const anchoring = step.action.type === 'database' || step.action.type === 'resource';
    return anchoring && 'irreversible' in planUndo(step, candidate.before);
  };
  const anchors = changed.filter(stays).map((candidate) => candidate.step.id);
  if (anchors.length === 0) return undefined;

  const dependents: number[][] = Array.from({ length: count }, () => []);
  for (let index = 0; index < count; index++) {
    for (const dep of graph.deps[index]!) dependents[dep]!.push(index);
  }
  const forward = new Set<number>();
  const stack = anchors.map((id) => graph.indexOf.get(id)!);
  while (stack.length > 0) {
    const index = stack.pop()!;
    if (forward.has(index)) continue;
    forward.add(index);
    stack.push(...dependents[index]!);
  }
  const needed = new Set<number>();
  const back = [...forward];
  while (back.length > 0) {
    const index = back.pop()!;
    for (const dep of graph.deps[index]!) {
      if (needed.has(dep) || forward.has(dep)) continue;
      needed.add(dep);
      back.push(dep);
    }
  }

  const anchorSet = new Set(anchors);
  const kept: PartialFailover['kept'] = [];
  for (const { step } of changed) {
    if (anchorSet.has(step.id)) continue;
    const index = graph.indexOf.get(step.id)!;
    if (step.kind === 'action' && (step as ActionStep).fence) {
      kept.push({ stepId: step.id, reason: 'a fence, kept while a promotion stays done' });
    } else if (needed.has(index)) {
      kept.push({ stepId: step.id, reason: 'a step that a step kept done depends on' });
    } else if (forward.has(index)) {
      kept.push({
        stepId: step.id,
        reason:
          results[index]?.status === 'succeeded'
            ? 'done after a promotion, towards the target region'
            : 'begun after a promotion; the operator finishes it forward',
      });
    }
  }
  const unfinished = [...forward]
    .sort((a, b) => a - b)
    .filter((index) => results[index]?.status !== 'succeeded')
    .map((index) => graph.ids[index]!);
  return {
    summary: `failed, failed over partially, traffic held in the target region: ${anchors.join(', ')} stay done; finish ${unfinished.length > 0 ? unfinished.join(', ') : 'the failover'} forward`,
    irreversible: anchors,
    kept,
    unfinished,
  };
}
