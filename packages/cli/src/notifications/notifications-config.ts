import type { NotificationRoutes, NotificationTemplates } from '@failover/core';

/** What a notifications module's default export describes. */
export interface NotificationsConfig {
  /** Channel routes (see `routeNotifications`): `slack`, `slack:#db`, `pagerduty`, `*`. */
  routes?: NotificationRoutes;
  /** Stage wording that replaces the defaults (notify steps with a `stage`, and `events`). */
  templates?: NotificationTemplates;
  /** Announce the run's own stages (started, approval needed, completed with its RTO, failed) on this channel. */
  events?: { channel: string; direction?: 'failover' | 'failback' };
}

/** What a notifications factory is given: the emulator, when the run talks to one. */
export interface NotificationsContext {
  emulator?: { url: string };
  env: Readonly<Record<string, string | undefined>>;
}

/** The default export of a `--notifications` module. */
export type NotificationsModuleExport =
  | NotificationsConfig
  | ((context: NotificationsContext) => NotificationsConfig | Promise<NotificationsConfig>);

/**
 * Types a notifications module's default export; returns it unchanged.
 *
 * @example
 * // notifications.ts
 * import { slackNotifier, pagerDutyNotifier } from '@failover/core';
 * import { defineNotifications } from '@failover/cli';
 * export default defineNotifications(({ env }) => ({
 *   routes: {
 *     slack: slackNotifier({ webhookUrl: env.SLACK_WEBHOOK_URL! }),
 *     pagerduty: pagerDutyNotifier({ routingKey: env.PD_ROUTING_KEY! }),
 *   },
 *   events: { channel: 'pagerduty' },
 * }));
 */
export function defineNotifications<T extends NotificationsModuleExport>(config: T): T {
  return config;
}
