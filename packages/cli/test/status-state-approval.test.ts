// The live status page's state for a pending approval: the data-loss window of each forced
// promotion it gates, one line each as the prompt and the run log show them.
import { type ApprovalRequestEvent, approval, definePlan, type FailoverPlan } from '@failover/core';
import { describe, expect, it } from 'vitest';
import { createStatusState } from '../src/status/status-state.js';

function plan(): FailoverPlan {
  const built = definePlan({ id: 'shop', name: 'Shop failover', sourceRegion: 'a', targetRegion: 'b' })
    .step(approval('approve-data-loss', 'Promote with data loss?', { timeoutMs: 60_000 }))
    .build();
  if (built.isErr()) throw built.error;
  return built.value;
}

const request: ApprovalRequestEvent = {
  type: 'approval-request',
  runId: 'run-1',
  at: 5_000,
  stepId: 'approve-data-loss',
  message: 'Promote with data loss?',
  timeoutMs: 60_000,
};
const known = 'orders: forced promotion loses up to 800 ms of writes (lag observed 00:00:04Z)';
const unknown =
  'carts: replication lag UNKNOWN — the data-loss window cannot be bounded (reading it failed: 500)';

describe('the status page of a pending approval', () => {
  it('lists the known and the unknown data-loss window of each gated promotion, in order', () => {
    const state = createStatusState(plan(), (stepId) => `failover approve run-1 ${stepId}`);
    state.apply({
      ...request,
      dataLoss: [
        { database: 'orders', stepId: 'promote-orders', lagMs: 800, observedAt: 4_000, summary: known },
        {
          database: 'carts',
          stepId: 'promote-carts',
          observedAt: 4_000,
          unknownReason: 'reading it failed: 500',
          summary: unknown,
        },
      ],
    });
    expect(state.snapshot(9_000).approvals).toEqual([
      {
        stepId: 'approve-data-loss',
        message: 'Promote with data loss?',
        since: 5_000,
        grant: 'failover approve run-1 approve-data-loss',
        dataLoss: [known, unknown],
      },
    ]);
    // The snapshot is sent as JSON: the lines go as they are, and a snapshot is a copy.
    const sent = JSON.parse(JSON.stringify(state.snapshot(9_000)));
    expect(sent.approvals[0].dataLoss).toEqual([known, unknown]);
    state.snapshot(9_000).approvals[0]?.dataLoss?.push('changed');
    expect(state.snapshot(9_000).approvals[0]?.dataLoss).toEqual([known, unknown]);

    state.apply({
      type: 'approval-decision',
      runId: 'run-1',
      at: 9_500,
      stepId: 'approve-data-loss',
      approved: true,
    });
    expect(state.snapshot(10_000).approvals).toEqual([]);
  });

  it('carries no data-loss lines for an approval that gates no promotion', () => {
    const state = createStatusState(plan(), () => 'grant');
    state.apply(request);
    state.apply({ ...request, stepId: 'other', dataLoss: [] });
    for (const pending of state.snapshot(6_000).approvals) expect(pending).not.toHaveProperty('dataLoss');
  });
});
