import { PassThrough } from 'node:stream';
import type { ApprovalDataLoss } from '@failover/core';
import { describe, expect, it } from 'vitest';
import { ttyApprover } from '../src/cli-approver.js';

/** A terminal: what the prompt wrote, and a way to type a line. */
function terminal() {
  const input = new PassThrough();
  let written = '';
  const output = { write: (text: string) => (written += text) };
  const approver = ttyApprover({ input, output, pause: () => {}, resume: () => {} });
  return { approver, input, written: () => written };
}

const orders: ApprovalDataLoss = {
  database: 'orders',
  stepId: 'promote',
  lagMs: 12_000,
  observedAt: Date.UTC(2026, 0, 1, 9, 41, 7),
  rpoMs: 5_000,
  summary: 'orders: forced promotion loses up to 12 s of writes (lag observed 09:41:07Z; RPO 5 s: beyond it)',
};

describe('ttyApprover', () => {
  it('shows each gated database on its own line before asking', async () => {
    const { approver, input, written } = terminal();
    const answer = approver({
      planId: 'p',
      stepId: 'approve-data-loss',
      message: 'Promote with data loss?',
      timeoutMs: 60_000,
      dataLoss: [
        orders,
        {
          database: 'carts',
          stepId: 'promote-carts',
          observedAt: 0,
          // A provider's text reaches the terminal escaped, never as a control sequence.
          summary: 'carts: replication lag UNKNOWN — the data-loss window cannot be bounded (\u001b[2J)',
        },
      ],
      abortSignal: new AbortController().signal,
    });
    await new Promise((resolve) => setImmediate(resolve));
    input.write('yes\n');
    expect(await answer).toMatchObject({ approved: true });
    expect(written().split('\n')).toEqual([
      '',
      '? Approve step "approve-data-loss": Promote with data loss?',
      `  ${orders.summary}`,
      '  carts: replication lag UNKNOWN — the data-loss window cannot be bounded (\\e[2J)',
      '[y/N] ',
    ]);
  });

  it('asks on one line when the step gates no forced promotion', async () => {
    const { approver, input, written } = terminal();
    const answer = approver({
      planId: 'p',
      stepId: 'go',
      message: 'Switch traffic?',
      timeoutMs: 60_000,
      abortSignal: new AbortController().signal,
    });
    await new Promise((resolve) => setImmediate(resolve));
    input.write('n\n');
    expect(await answer).toMatchObject({ approved: false });
    expect(written()).toBe('\n? Approve step "go": Switch traffic? [y/N] ');
  });
});
