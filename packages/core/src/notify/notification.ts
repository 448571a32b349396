import type { NotificationStage } from './notification-stage.js';

/** How loud a notification is: channels map it to their own levels (PagerDuty severity, Teams colour). */
export type NotificationSeverity = 'info' | 'warning' | 'critical' | 'resolved';

/** One message to deliver, with the run it belongs to. Plain JSON. */
export interface Notification {
  planId: string;
  runId: string;
  /** The notify step, or the run event, that sent it. */
  stepId: string;
  /** Where it goes, as the plan names it: `slack:#incidents`, `pagerduty`, `ops`. */
  channel: string;
  /** One line, e.g. `Failover of checkout completed in 4m 12s`. */
  title: string;
  /** The body: plain text, a few lines at most. */
  message: string;
  severity: NotificationSeverity;
  /** The runbook stage, when the message is one. */
  stage?: NotificationStage;
  /**
   * The same for every notification of one run (`failover/<planId>/<runId>`): PagerDuty
   * groups a run's trigger, acknowledge and resolve into one incident with it.
   */
  dedupKey: string;
  /** Clock time it was sent, epoch ms. */
  at: number;
  /** Labelled values shown beside the message (RTO, regions, the failing step). */
  facts?: Record<string, string>;
}

/** The dedup key of every notification of one run. */
export function runDedupKey(planId: string, runId: string): string {
  return `failover/${planId}/${runId}`;
}
