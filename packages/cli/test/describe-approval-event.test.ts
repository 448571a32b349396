import type { ApprovalRequestEvent } from '@failover/core';
import { describe, expect, it } from 'vitest';
import { colorsFor } from '../src/cli-colors.js';
import { lineRenderer } from '../src/progress/line-renderer.js';

const request: ApprovalRequestEvent = {
  type: 'approval-request',
  runId: 'r',
  at: 0,
  stepId: 'approve-data-loss',
  message: 'Promote with data loss?',
  timeoutMs: 60_000,
};

function logged(event: ApprovalRequestEvent): string {
  let text = '';
  lineRenderer((chunk) => (text += chunk), colorsFor(false, { NO_COLOR: '1' })).onEvent(event);
  return text;
}

describe('the run log of an approval request', () => {
  it('lists the data-loss window of each gated promotion under the question', () => {
    const text = logged({
      ...request,
      dataLoss: [
        {
          database: 'orders',
          stepId: 'promote',
          lagMs: 800,
          observedAt: 0,
          summary: 'orders: forced promotion loses up to 800 ms of writes (lag observed 00:00:00Z)',
        },
        {
          database: 'carts',
          stepId: 'promote-carts',
          observedAt: 0,
          summary: 'carts: replication lag UNKNOWN — the data-loss window cannot be bounded (no lag reader)',
        },
      ],
    });
    expect(text.split('\n')).toEqual([
      '+0 ms     approval approve-data-loss: Promote with data loss?',
      '                   orders: forced promotion loses up to 800 ms of writes (lag observed 00:00:00Z)',
      '                   carts: replication lag UNKNOWN — the data-loss window cannot be bounded (no lag reader)',
      '',
    ]);
  });

  it('stays one line without them', () => {
    expect(logged(request)).toBe('+0 ms     approval approve-data-loss: Promote with data loss?\n');
  });
});
