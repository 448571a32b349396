import { type ApprovalDataLoss, approvalRequestText } from '@failover/core';
import { printable } from './printable.js';

/**
 * `approvalRequestText` (the question, then one indented line per forced promotion it
 * gates) with the message and each summary made printable before they are joined: the
 * line breaks are ours, a line break inside a plan's or provider's text never starts a line.
 */
export function printableApprovalText(request: {
  message: string;
  dataLoss?: readonly Pick<ApprovalDataLoss, 'summary'>[] | undefined;
}): string {
  return approvalRequestText({
    message: printable(request.message),
    dataLoss: request.dataLoss?.map((entry) => ({ summary: printable(entry.summary) })),
  });
}
