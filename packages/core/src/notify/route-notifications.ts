import { FailoverError } from '../errors/failover-error.js';
import { errAsync, okAsync, ResultAsync } from '../result.js';
import type { AnyNotifier } from './any-notifier.js';
import type { NotifierV1 } from './notifier-v1.js';
import { toNotifierV1 } from './to-notifier-v1.js';

/**
 * Channel routes: a key is a whole channel name (`slack:#incidents`), a channel
 * prefix (`slack` takes `slack:#incidents` and `slack:#db`), or `*` (any other
 * channel). A route may fan out to several notifiers.
 */
export type NotificationRoutes = Readonly<Record<string, AnyNotifier | readonly AnyNotifier[]>>;

/**
 * One notifier that sends each notification to the notifiers its channel routes
 * to: the exact channel first, then its prefix (before the first `:`), then `*`.
 * It delivers only to channels with a route, so a plan naming an unrouted
 * channel fails validation. With fan-out, every notifier is tried; a retry of
 * the same notification goes only to the notifiers that have not accepted it
 * yet (so nobody is paged twice), and the error returned is a retryable one
 * when any is, so that one broken channel does not stop the others' retries.
 *
 * @example
 * const notifier = routeNotifications({
 *   slack: slackNotifier({ webhookUrl: process.env.SLACK_WEBHOOK_URL! }),
 *   pagerduty: pagerDutyNotifier({ routingKey: process.env.PD_ROUTING_KEY! }),
 * });
 */
export function routeNotifications(routes: NotificationRoutes): NotifierV1 {
  const table = new Map<string, NotifierV1[]>();
  for (const [key, value] of Object.entries(routes)) {
    const list = (Array.isArray(value) ? value : [value]) as AnyNotifier[];
    table.set(key, list.map(toNotifierV1));
  }
  const lookup = (channel: string): NotifierV1[] | undefined => {
    const exact = table.get(channel);
    if (exact) return exact;
    const colon = channel.indexOf(':');
    const prefix = colon > 0 ? table.get(channel.slice(0, colon)) : undefined;
    return prefix ?? table.get('*');
  };
  // Per notification (the same object on every retry): the notifiers that accepted it.
  const accepted = new WeakMap<object, Set<NotifierV1>>();
  return {
    specificationVersion: 'v1',
    name: 'routes',
    delivers: (channel) => {
      const targets = lookup(channel);
      return (
        targets !== undefined && targets.length > 0 && targets.every((n) => n.delivers?.(channel) ?? true)
      );
    },
    send(notification, options) {
      const targets = lookup(notification.channel);
      if (!targets || targets.length === 0) {
        return errAsync(
          new FailoverError({
            kind: 'invalid-input',
            message: `No notifier is bound to the channel "${notification.channel}".`,
            provider: 'notifier',
            operation: 'notify',
          }),
        );
      }
      const done = accepted.get(notification) ?? new Set<NotifierV1>();
      accepted.set(notification, done);
      const pending = targets.filter((target) => !done.has(target));
      return ResultAsync.combineWithAllErrors(
        pending.map((target) =>
          target.send(notification, options).map(() => {
            done.add(target);
            return undefined;
          }),
        ),
      )
        .map(() => undefined)
        .orElse((errors) => {
          const error = errors.find((e) => e.retryable) ?? errors[0];
          return error ? errAsync(error) : okAsync(undefined);
        });
    },
  };
}
