import type { Notifier } from '../executor/notifier.js';
import { attempt } from '../result.js';
import { type AnyNotifier, isNotifierV1 } from './any-notifier.js';
import type { NotifierV1 } from './notifier-v1.js';

/**
 * Upgrades a notifier to `NotifierV1`. A `Notifier` function delivers to every
 * channel and gets the message (the title is dropped when the message has its own text);
 * what it throws becomes a non-retryable error.
 */
export function toNotifierV1(notifier: AnyNotifier): NotifierV1 {
  if (isNotifierV1(notifier)) return notifier;
  const legacy: Notifier = notifier;
  return {
    specificationVersion: 'v1',
    name: 'notifier',
    send: (notification) =>
      attempt(
        () =>
          legacy({
            planId: notification.planId,
            stepId: notification.stepId,
            channel: notification.channel,
            message: notification.message || notification.title,
          }),
        { provider: 'notifier', operation: 'notify' },
      ),
  };
}
