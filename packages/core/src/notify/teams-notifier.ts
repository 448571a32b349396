import { okAsync } from '../result.js';
import type { Notification } from './notification.js';
import type { NotifierV1 } from './notifier-v1.js';
import type { WebhookTransportSettings } from './post-webhook.js';
import { webhookChannel } from './webhook-channel.js';

/** Settings of `teamsNotifier`. */
export interface TeamsNotifierSettings extends WebhookTransportSettings {
  /** The Teams incoming webhook (Workflows) URL. A secret: never in errors or events. */
  webhookUrl: string;
}

const colour: Record<Notification['severity'], string> = {
  critical: 'attention',
  warning: 'warning',
  info: 'default',
  resolved: 'good',
};

/**
 * Posts to a Microsoft Teams incoming webhook a `message` with one Adaptive
 * Card (version 1.4): the title, the message, the facts as a FactSet.
 */
export function teamsNotifier(settings: TeamsNotifierSettings): NotifierV1 {
  return webhookChannel('teams', settings.webhookUrl, settings, (notification) =>
    okAsync({ body: JSON.stringify(teamsMessage(notification)) }),
  );
}

function teamsMessage(notification: Notification): unknown {
  const facts = Object.entries(notification.facts ?? {}).map(([title, value]) => ({ title, value }));
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            {
              type: 'TextBlock',
              text: notification.title,
              weight: 'Bolder',
              size: 'Medium',
              wrap: true,
              color: colour[notification.severity],
            },
            ...(notification.message && notification.message !== notification.title
              ? [{ type: 'TextBlock', text: notification.message, wrap: true }]
              : []),
            ...(facts.length > 0 ? [{ type: 'FactSet', facts }] : []),
            {
              type: 'TextBlock',
              text: `plan ${notification.planId} · run ${notification.runId}`,
              isSubtle: true,
              size: 'Small',
              wrap: true,
            },
          ],
        },
      },
    ],
  };
}
