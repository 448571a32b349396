import type { FailoverError } from '../errors/failover-error.js';
import type { ResultAsync } from '../result.js';
import type { Notification } from './notification.js';
import type { NotifierSendOptions, NotifierV1 } from './notifier-v1.js';
import { postWebhook, type WebhookTransportSettings } from './post-webhook.js';

/** Builds a notifier that POSTs one JSON document per notification. */
export function webhookChannel(
  name: string,
  url: string,
  settings: WebhookTransportSettings & { channels?: (channel: string) => boolean },
  toBody: (
    notification: Notification,
  ) => ResultAsync<{ body: string; headers?: Record<string, string> }, FailoverError>,
): NotifierV1 {
  return {
    specificationVersion: 'v1',
    name,
    ...(settings.channels && { delivers: settings.channels }),
    send: (notification: Notification, options: NotifierSendOptions = {}) =>
      toBody(notification)
        .andThen(({ body, headers }) =>
          postWebhook(
            { channel: name, url, body, abortSignal: options.abortSignal, ...(headers && { headers }) },
            settings,
          ),
        )
        .map(() => undefined),
  };
}
