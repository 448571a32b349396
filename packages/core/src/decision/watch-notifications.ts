import { type Notification, runDedupKey } from '../notify/notification.js';
import type { Decision } from './decision.js';

/** What a watch notification is about, beside the decision. */
export interface WatchNotificationContext {
  planId: string;
  /** The run it belongs to; before any run, the watch's own id (its journal). */
  runId: string;
  /** Where it goes, as the plan's notify steps name channels. */
  channel: string;
  at: number;
}

/**
 * The notification of a MANUAL_REVIEW_REQUIRED decision: the reason, the
 * evidence, and the exact command that approves the failover.
 */
export function manualReviewNotification(
  decision: Decision,
  approveCommand: string,
  context: WatchNotificationContext,
): Notification {
  return {
    planId: context.planId,
    runId: context.runId,
    stepId: 'watch',
    channel: context.channel,
    title: `Manual review required for ${context.planId}: ${decision.reason}`,
    message: [
      `Decision: ${decision.kind} (confidence ${decision.confidence}, rule ${decision.rule ?? 'none'}).`,
      'Evidence:',
      ...decision.evidence.map((line) => `- ${line}`),
      `To fail over, run: ${approveCommand}`,
    ].join('\n'),
    severity: 'critical',
    stage: 'approval-needed',
    dedupKey: runDedupKey(context.planId, context.runId),
    at: context.at,
    facts: { decision: decision.kind, confidence: decision.confidence, approve: approveCommand },
  };
}

/**
 * The notification sent when an automatic failover started the plan: what
 * decided it and the evidence.
 */
export function automaticFailoverNotification(
  decision: Decision,
  context: WatchNotificationContext,
): Notification {
  return {
    planId: context.planId,
    runId: context.runId,
    stepId: 'watch',
    channel: context.channel,
    title: `Automatic failover of ${context.planId} started: ${decision.reason}`,
    message: [
      `Decision: ${decision.kind} (confidence ${decision.confidence}, rule ${decision.rule ?? 'none'}).`,
      'Evidence:',
      ...decision.evidence.map((line) => `- ${line}`),
    ].join('\n'),
    severity: 'critical',
    stage: 'failover-started',
    dedupKey: runDedupKey(context.planId, context.runId),
    at: context.at,
    facts: { decision: decision.kind, confidence: decision.confidence },
  };
}

/** The notification of a promotion's approval waiting for a human during an automatic run. */
export function promotionWaitingNotification(
  stepId: string,
  question: string,
  approveCommand: string,
  context: WatchNotificationContext,
): Notification {
  return {
    planId: context.planId,
    runId: context.runId,
    stepId,
    channel: context.channel,
    title: `Database promotion of ${context.planId} waits for approval (${stepId})`,
    message: `${question}\nTraffic was switched automatically; the promotion needs a human (golden rule).\nTo approve, run: ${approveCommand}`,
    severity: 'critical',
    stage: 'approval-needed',
    dedupKey: runDedupKey(context.planId, context.runId),
    at: context.at,
    facts: { step: stepId, approve: approveCommand },
  };
}
