import { okAsync } from '../result.js';
import type { Notification, NotificationSeverity } from './notification.js';
import type { NotifierV1 } from './notifier-v1.js';
import type { WebhookTransportSettings } from './post-webhook.js';
import { webhookChannel } from './webhook-channel.js';

/** The three PagerDuty Events API v2 actions. */
export type PagerDutyAction = 'trigger' | 'acknowledge' | 'resolve';

/** Settings of `pagerDutyNotifier`. */
export interface PagerDutyNotifierSettings extends WebhookTransportSettings {
  /** The integration's routing key. A secret: it is sent in the body, never in errors or events. */
  routingKey: string;
  /** Default `https://events.pagerduty.com/v2/enqueue` (tests point it at a loopback receiver). */
  endpoint?: string;
  /** `payload.source`: where the incident is. Default the plan id. */
  source?: string;
}

const pagerDutySeverity: Record<NotificationSeverity, string> = {
  critical: 'critical',
  warning: 'warning',
  info: 'info',
  resolved: 'info',
};

/**
 * Sends PagerDuty Events API v2 events, one incident per run: the run's
 * `dedupKey` groups its events. The action comes from the channel's suffix
 * when it names one (`pagerduty:resolve`), else from the notification:
 * `resolved` (all-clear) resolves, a completed failover acknowledges (traffic is
 * safe, people are on it), anything else triggers.
 */
export function pagerDutyNotifier(settings: PagerDutyNotifierSettings): NotifierV1 {
  const endpoint = settings.endpoint ?? 'https://events.pagerduty.com/v2/enqueue';
  return webhookChannel('pagerduty', endpoint, settings, (notification) =>
    okAsync({ body: JSON.stringify(pagerDutyEvent(notification, settings)) }),
  );
}

/** The action a notification maps to (see `pagerDutyNotifier`). */
export function pagerDutyAction(notification: Notification): PagerDutyAction {
  const suffix = notification.channel.slice(notification.channel.indexOf(':') + 1);
  if (
    notification.channel.includes(':') &&
    (suffix === 'trigger' || suffix === 'acknowledge' || suffix === 'resolve')
  ) {
    return suffix;
  }
  if (notification.severity === 'resolved') return 'resolve';
  if (notification.stage === 'failover-completed') return 'acknowledge';
  return 'trigger';
}

function pagerDutyEvent(notification: Notification, settings: PagerDutyNotifierSettings): unknown {
  const action = pagerDutyAction(notification);
  const dedupKey = notification.dedupKey.slice(0, 255);
  if (action !== 'trigger') {
    return { routing_key: settings.routingKey, event_action: action, dedup_key: dedupKey };
  }
  return {
    routing_key: settings.routingKey,
    event_action: 'trigger',
    dedup_key: dedupKey,
    payload: {
      summary: notification.title.slice(0, 1024),
      source: settings.source ?? notification.planId,
      severity: pagerDutySeverity[notification.severity],
      timestamp: new Date(notification.at).toISOString(),
      component: notification.planId,
      ...(notification.stage && { class: notification.stage }),
      custom_details: {
        message: notification.message,
        run: notification.runId,
        step: notification.stepId,
        ...notification.facts,
      },
    },
    client: 'failover',
  };
}
