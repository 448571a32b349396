import type { PendingApproval } from '@failover/restate';
import { printable } from './printable.js';
import { printableApprovalText } from './printable-approval-text.js';

/**
 * One approval a Restate run waits on, as it was asked: `<step> (asked 09:41:07Z): <question>`,
 * then one line per forced promotion it gates (`printableApprovalText`), each line
 * indented by `indent` and printable on its own (the text is the plan's and the provider's).
 */
export function pendingApprovalText(approval: PendingApproval, indent = ''): string {
  const [question, ...lossLines] = printableApprovalText(approval).split('\n');
  const asked = `${new Date(approval.since).toISOString().slice(11, 19)}Z`;
  return [
    `${indent}${printable(approval.stepId)} (asked ${asked}): ${question}`,
    ...lossLines.map((line) => `${indent}${line}`),
  ].join('\n');
}

/** What `failover approve <run id>` prints: every approval the run waits on now, and how to answer. */
export function pendingApprovalsText(
  runId: string,
  state: string,
  approvals: readonly PendingApproval[],
  restateUrl: string,
): string {
  if (approvals.length === 0) return `Run ${printable(runId)} (${state}) waits on no approval.\n`;
  const count = approvals.length === 1 ? '1 approval' : `${approvals.length} approvals`;
  return [
    `Run ${printable(runId)} waits on ${count}:`,
    ...approvals.map((approval) => pendingApprovalText(approval, '  ')),
    `Answer with: failover approve ${printable(runId)} <step id> --restate-url ${printable(restateUrl)} [--deny --reason <text>]`,
    '',
  ].join('\n');
}
