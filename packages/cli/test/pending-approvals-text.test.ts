// What `failover approve <run> --restate-url` lists: each approval a Restate run waits on,
// with the data-loss window of each forced promotion it gates, as the run journaled it.
import type { PendingApproval } from '@failover/restate';
import { describe, expect, it } from 'vitest';
import { pendingApprovalsText, pendingApprovalText } from '../src/pending-approvals-text.js';

const known = 'orders: forced promotion loses up to 800 ms of writes (lag observed 00:00:04Z)';
const unknown =
  'carts: replication lag UNKNOWN — the data-loss window cannot be bounded (reading it failed: 500)';
const gated: PendingApproval = {
  stepId: 'approve-data-loss',
  message: 'Promote with data loss?',
  since: 5_000,
  timeoutMs: 60_000,
  dataLoss: [
    { database: 'orders', stepId: 'promote-orders', lagMs: 800, observedAt: 4_000, summary: known },
    { database: 'carts', stepId: 'promote-carts', observedAt: 4_000, summary: unknown },
  ],
};

describe('the pending approvals of a Restate run', () => {
  it('lists each with its question, then one line per gated promotion, known or unknown', () => {
    const plain: PendingApproval = { stepId: 'go', message: 'Go?', since: 65_000, timeoutMs: 1_000 };
    expect(
      pendingApprovalsText('run-1', 'running', [gated, plain], 'http://127.0.0.1:8080').split('\n'),
    ).toEqual([
      'Run run-1 waits on 2 approvals:',
      '  approve-data-loss (asked 00:00:05Z): Promote with data loss?',
      `    ${known}`,
      `    ${unknown}`,
      '  go (asked 00:01:05Z): Go?',
      'Answer with: failover approve run-1 <step id> --restate-url http://127.0.0.1:8080 [--deny --reason <text>]',
      '',
    ]);
  });

  it('says when the run waits on none', () => {
    expect(pendingApprovalsText('run-1', 'finished', [], 'http://127.0.0.1:8080')).toBe(
      'Run run-1 (finished) waits on no approval.\n',
    );
  });

  it('keeps each line printable: a provider reason cannot add lines or steer the terminal', () => {
    const hostile: PendingApproval = {
      ...gated,
      dataLoss: [
        { database: 'x', stepId: 'p', observedAt: 0, summary: 'x: UNKNOWN (\u001b[2Jfake\nApproved)' },
      ],
    };
    expect(pendingApprovalText(hostile).split('\n')).toEqual([
      'approve-data-loss (asked 00:00:05Z): Promote with data loss?',
      '  x: UNKNOWN (\\e[2Jfake\\nApproved)',
    ]);
  });
});
