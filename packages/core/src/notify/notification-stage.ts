/**
 * The communication stages of a failover runbook, in the order they usually
 * happen. Each has a default template (`defaultNotificationTemplates`).
 */
export const notificationStages = [
  'incident-declared',
  'failover-started',
  'failover-completed',
  'failover-failed',
  'approval-needed',
  'failback-started',
  'failback-stage',
  'failback-completed',
  'all-clear',
] as const;

/** One of `notificationStages`. */
export type NotificationStage = (typeof notificationStages)[number];

/** True when `value` names a stage. */
export function isNotificationStage(value: unknown): value is NotificationStage {
  return typeof value === 'string' && (notificationStages as readonly string[]).includes(value);
}
