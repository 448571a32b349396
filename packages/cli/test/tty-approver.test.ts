import { PassThrough } from 'node:stream';
import type { ApprovalDataLoss, ApprovalRequest } from '@failover/core';
import { describe, expect, it } from 'vitest';
import { ttyApprover } from '../src/cli-approver.js';

/** Asks on a fresh terminal, types `typed` once the prompt is up: the answer and what the prompt wrote. */
async function ask(request: Omit<ApprovalRequest, 'planId' | 'timeoutMs' | 'abortSignal'>, typed: string) {
  const input = new PassThrough();
  let written = '';
  const output = { write: (text: string) => (written += text) };
  const approver = ttyApprover({ input, output, pause: () => {}, resume: () => {} });
  const answer = approver({
    planId: 'p',
    timeoutMs: 60_000,
    abortSignal: new AbortController().signal,
    ...request,
  });
  await new Promise((resolve) => setImmediate(resolve));
  input.write(typed);
  return { decision: await answer, written };
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
    const { decision, written } = await ask(
      {
        stepId: 'approve-data-loss',
        message: 'Promote with data loss?',
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
      },
      'yes\n',
    );
    expect(decision).toMatchObject({ approved: true });
    expect(written.split('\n')).toEqual([
      '',
      '? Approve step "approve-data-loss": Promote with data loss?',
      `  ${orders.summary}`,
      '  carts: replication lag UNKNOWN — the data-loss window cannot be bounded (\\e[2J)',
      '[y/N] ',
    ]);
  });

  it('asks on one line when the step gates no forced promotion', async () => {
    const { decision, written } = await ask({ stepId: 'go', message: 'Switch traffic?' }, 'n\n');
    expect(decision).toMatchObject({ approved: false });
    expect(written).toBe('\n? Approve step "go": Switch traffic? [y/N] ');
  });
});
