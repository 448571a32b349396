import { describe, expect, it } from 'vitest';
import { compilePlan } from '../plan/compile-plan.js';
import type { ActionStep, ApprovalStep, PlanStep } from '../plan/step.js';
import { forcedStepsByApproval } from './forced-steps-gated.js';

const approval = (id: string, dependsOn?: string[]): ApprovalStep => ({
  id,
  kind: 'approval',
  message: `${id}?`,
  timeoutMs: 60_000,
  ...(dependsOn && { dependsOn }),
});
const promote = (id: string, mode: 'forced' | 'planned', dependsOn?: string[]): ActionStep => ({
  id,
  kind: 'action',
  action: { type: 'database', provider: 'db', database: { id }, region: 'eu-west-1', mode },
  ...(dependsOn && { dependsOn }),
});

function gated(steps: PlanStep[]) {
  const compiled = compilePlan({
    version: 1,
    id: 'p',
    name: 'p',
    sourceRegion: 'us-east-1',
    targetRegion: 'eu-west-1',
    steps,
  })._unsafeUnwrap();
  const map = forcedStepsByApproval(compiled);
  return Object.fromEntries([...map].map(([approvalId, list]) => [approvalId, list.map((step) => step.id)]));
}

describe('forcedStepsByApproval', () => {
  it('finds the forced steps after an approval through groups, not planned ones nor those beside it', () => {
    expect(
      gated([
        {
          id: 'stage',
          kind: 'group',
          mode: 'sequential',
          steps: [
            approval('go'),
            { id: 'wait', kind: 'wait', durationMs: 1 },
            {
              id: 'both',
              kind: 'group',
              mode: 'parallel',
              steps: [promote('orders', 'forced'), promote('users', 'planned'), promote('carts', 'forced')],
            },
          ],
        },
        // Beside the group, not after the approval.
        promote('audit', 'forced'),
        approval('late', ['stage']),
        promote('billing', 'forced', ['late']),
      ]),
    ).toEqual({ go: ['orders', 'carts', 'billing'], late: ['billing'] });
  });

  it('has nothing for a plan whose approvals gate no forced step', () => {
    expect(gated([approval('go'), promote('orders', 'planned', ['go']), promote('users', 'forced')])).toEqual(
      {},
    );
  });
});
