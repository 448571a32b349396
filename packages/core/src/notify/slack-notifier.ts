import { okAsync } from '../result.js';
import type { Notification } from './notification.js';
import type { NotifierV1 } from './notifier-v1.js';
import type { WebhookTransportSettings } from './post-webhook.js';
import { webhookChannel } from './webhook-channel.js';

/** Settings of `slackNotifier`. */
export interface SlackNotifierSettings extends WebhookTransportSettings {
  /** The incoming webhook's URL. A secret: it never appears in errors or events. */
  webhookUrl: string;
}

const emoji: Record<Notification['severity'], string> = {
  critical: ':rotating_light:',
  warning: ':warning:',
  info: ':information_source:',
  resolved: ':white_check_mark:',
};

/**
 * Posts to a Slack incoming webhook: `text` (the fallback shown in
 * notifications) and `blocks` (a header line, the message, the facts). The
 * webhook posts to the channel it was created for; the plan's channel name only
 * routes the message here.
 */
export function slackNotifier(settings: SlackNotifierSettings): NotifierV1 {
  return webhookChannel('slack', settings.webhookUrl, settings, (notification) =>
    okAsync({ body: JSON.stringify(slackMessage(notification)) }),
  );
}

function slackMessage(notification: Notification): unknown {
  const headline = `${emoji[notification.severity]} *${escapeMrkdwn(notification.title)}*`;
  const body =
    notification.message && notification.message !== notification.title
      ? escapeMrkdwn(notification.message)
      : '';
  const facts = Object.entries(notification.facts ?? {});
  return {
    text: body ? `${notification.title}\n${notification.message}` : notification.title,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: body ? `${headline}\n${body}` : headline } },
      ...(facts.length > 0
        ? [
            {
              type: 'section',
              fields: facts.slice(0, 10).map(([label, value]) => ({
                type: 'mrkdwn',
                text: `*${escapeMrkdwn(label)}*\n${escapeMrkdwn(value)}`,
              })),
            },
          ]
        : []),
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `plan ${escapeMrkdwn(notification.planId)} · run ${escapeMrkdwn(notification.runId)}`,
          },
        ],
      },
    ],
  };
}

/** Slack's three control characters in mrkdwn. */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
