import type { LeafStep } from '../plan/compile-plan.js';
import { joinPlanPath } from '../plan/plan-path.js';
import type { PlanProblem } from '../plan/plan-problem.js';
import { type AnyNotifier, isNotifierV1 } from './any-notifier.js';

/**
 * A notify step needs a notifier that delivers to its channel: problem
 * `missing-notifier` otherwise (no notifier at all, or none routed to the
 * channel). A message that would silently go nowhere is a plan error, not a warning.
 */
export function checkNotifyBinding(
  step: LeafStep,
  path: string,
  notifier: AnyNotifier | null,
  problems: PlanProblem[],
): void {
  if (step.kind !== 'notify' || typeof step.channel !== 'string') return;
  if (notifier === null) {
    problems.push({
      path: joinPlanPath(path, 'channel'),
      code: 'missing-notifier',
      message: `no notifier is bound, so the message to "${step.channel}" could not be sent (bind one: RunOptions.notifier, or the CLI's --notify).`,
    });
    return;
  }
  if (isNotifierV1(notifier) && notifier.delivers && !notifier.delivers(step.channel)) {
    problems.push({
      path: joinPlanPath(path, 'channel'),
      code: 'missing-notifier',
      message: `no notifier is bound to the channel "${step.channel}".`,
    });
  }
}
