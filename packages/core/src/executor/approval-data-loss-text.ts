import { formatDuration } from '../report/format-duration.js';
import type { ApprovalDataLoss } from './approver.js';

/** What a data-loss line is made from: the entry without its summary, and what the gated step does beyond the RPO. */
export type DataLossLineInput = Omit<ApprovalDataLoss, 'summary'> & {
  /** The writer's target region, named when the writer is already there. */
  region: string;
  /** The step sets `acceptDataLossBeyondRpo`: beyond the RPO it promotes anyway. */
  acceptsBeyondRpo?: boolean;
};

/**
 * One plain line for the person approving, e.g. `orders: forced promotion loses up to
 * 12 s of writes (lag observed 09:41:07Z; RPO 5 s: beyond it, so the step will refuse
 * unless the lag falls)` or `orders: replication lag UNKNOWN — the data-loss window
 * cannot be bounded (reading it failed: …)`.
 */
export function dataLossLine(input: DataLossLineInput): string {
  const { database } = input;
  if (input.inPlace)
    return `${database}: the writer is already in ${input.region}; the forced promotion will change nothing`;
  if (input.lagMs === undefined) {
    const why = input.unknownReason ? ` (${input.unknownReason})` : '';
    return `${database}: replication lag UNKNOWN — the data-loss window cannot be bounded${why}`;
  }
  const at = `${new Date(input.observedAt).toISOString().slice(11, 19)}Z`;
  let rpo = '';
  if (input.rpoMs !== undefined) {
    const beyond = input.lagMs > input.rpoMs;
    const consequence = !beyond
      ? 'within it'
      : input.acceptsBeyondRpo
        ? 'beyond it, accepted by the step'
        : 'beyond it, so the step will refuse unless the lag falls';
    rpo = `; RPO ${formatDuration(input.rpoMs)}: ${consequence}`;
  }
  return `${database}: forced promotion loses up to ${formatDuration(input.lagMs)} of writes (lag observed ${at}${rpo})`;
}

/**
 * The text a person reads to approve: the step's question, then one line per
 * forced promotion it gates (`ApprovalRequest.dataLoss`). Prompts and
 * notifications render approval requests with it.
 */
export function approvalRequestText(request: {
  message: string;
  dataLoss?: readonly Pick<ApprovalDataLoss, 'summary'>[] | undefined;
}): string {
  if (!request.dataLoss || request.dataLoss.length === 0) return request.message;
  return [request.message, ...request.dataLoss.map((entry) => `  ${entry.summary}`)].join('\n');
}
