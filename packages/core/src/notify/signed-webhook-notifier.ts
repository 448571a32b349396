import { toFailoverError } from '../errors/to-failover-error.js';
import { ResultAsync } from '../result.js';
import type { Notification } from './notification.js';
import type { NotifierV1 } from './notifier-v1.js';
import type { WebhookTransportSettings } from './post-webhook.js';
import { webhookChannel } from './webhook-channel.js';
import { signWebhook, webhookSignatureHeader, webhookTimestampHeader } from './webhook-signature.js';

/** Settings of `signedWebhookNotifier`. */
export interface SignedWebhookNotifierSettings extends WebhookTransportSettings {
  url: string;
  /** The shared HMAC key. Never sent, logged or put in an error. */
  secret: string;
  /** Clock of the signature's timestamp, epoch ms. Default `Date.now` (the receiver compares it with its own). */
  now?: () => number;
}

/** The document a signed webhook receives. */
export interface SignedWebhookBody {
  type: 'failover.notification';
  version: 1;
  notification: Notification;
}

/**
 * POSTs the notification as JSON (`SignedWebhookBody`) with two headers:
 * `x-failover-timestamp` (Unix seconds) and `x-failover-signature`
 * (`v1=` + hex HMAC-SHA256 of `<timestamp>.<body>`). Receivers check it with
 * `verifyWebhookSignature`.
 */
export function signedWebhookNotifier(settings: SignedWebhookNotifierSettings): NotifierV1 {
  const now = settings.now ?? Date.now;
  return webhookChannel('webhook', settings.url, settings, (notification) => {
    const body = JSON.stringify({
      type: 'failover.notification',
      version: 1,
      notification,
    } satisfies SignedWebhookBody);
    const timestamp = Math.floor(now() / 1000);
    return ResultAsync.fromPromise(signWebhook(settings.secret, timestamp, body), (thrown) =>
      toFailoverError(thrown, 'webhook', 'sign'),
    ).map((signature) => ({
      body,
      headers: { [webhookTimestampHeader]: String(timestamp), [webhookSignatureHeader]: signature },
    }));
  });
}
