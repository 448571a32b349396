import type { Approver } from '../executor/approver.js';
import type { CompiledPlan } from '../plan/compile-plan.js';

/**
 * For each database action, the approval steps that are its own: those it waits
 * for without another action step in between (an approval before a DNS switch
 * that the promotion follows is the switch's, not the promotion's).
 */
export function promotionGuards(compiled: CompiledPlan): Map<string, string[]> {
  const guards = new Map<string, string[]>();
  for (const [id, { step, deps }] of compiled.steps) {
    if (step.kind !== 'action' || step.action.type !== 'database') continue;
    const own: string[] = [];
    const seen = new Set<string>();
    const visit = (depId: string) => {
      if (seen.has(depId)) return;
      seen.add(depId);
      const dep = compiled.steps.get(depId);
      if (!dep || dep.step.kind === 'action') return;
      if (dep.step.kind === 'approval') own.push(depId);
      for (const next of dep.deps) visit(next);
    };
    for (const dep of deps) visit(dep);
    guards.set(id, own);
  }
  return guards;
}

/** The approval steps guarding some database promotion. */
export function promotionApprovals(compiled: CompiledPlan): Set<string> {
  return new Set([...promotionGuards(compiled).values()].flat());
}

/** Database actions with no approval of their own: a watched plan may not promote through them by itself. */
export function unguardedPromotions(compiled: CompiledPlan): string[] {
  return [...promotionGuards(compiled)].filter(([, own]) => own.length === 0).map(([id]) => id);
}

/** Options of `goldenRuleApprover`. */
export interface GoldenRuleApproverOptions {
  compiled: CompiledPlan;
  /** Who triggered: named as the approver of the steps the decision approves (`watch: all-critical-failed`). */
  decidedBy: string;
  /** The policy allows automatic promotion AND the plan says so. */
  promotionAllowed: boolean;
  /** Answers the approvals that guard a promotion: a human, through the CLI or a chat bot. */
  human: Approver;
  /** Told before a promotion's approval waits for the human (the notification with the command to approve). */
  onPromotionWaiting?: (stepId: string, message: string) => void | Promise<void>;
}

/**
 * The golden rule as an approver for a run started by an automatic decision: the
 * decision itself approves every approval step except those guarding a database
 * promotion, which wait for `human` unless promotion was allowed by both the
 * policy and the plan.
 */
export function goldenRuleApprover(options: GoldenRuleApproverOptions): Approver {
  const guarded = promotionApprovals(options.compiled);
  return async (request) => {
    if (!guarded.has(request.stepId) || options.promotionAllowed) {
      return { approved: true, by: options.decidedBy };
    }
    await options.onPromotionWaiting?.(request.stepId, request.message);
    return options.human(request);
  };
}
