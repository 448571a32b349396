import {
  type AnyNotifier,
  type FailoverPlan,
  type NotificationTemplates,
  type NotifierV1,
  notifyRunEvents,
  type RunEventNotifications,
  routeNotifications,
  type Time,
} from '@failover/core';
import { CliError, describeThrown } from '../cli-error.js';
import { importUserModule, resolveExistingFile } from '../load-module.js';
import { namespaceOf } from '../load-plan.js';
import type { NotificationsConfig, NotificationsContext } from './notifications-config.js';
import { parseNotifyFlag } from './notify-flag.js';

/** The notification options of `run`, `drill` and `failback`. */
export interface NotificationOptions {
  /** `--notify <kind>[@<route>]=<value>`, repeatable. */
  flags: readonly string[];
  /** `--notifications <module>`. */
  modulePath?: string;
  /** `--notify-events <channel>`: announce the run's stages there. */
  eventsChannel?: string;
}

/** The notification flags as parsed by `parseArgs` (`run`, `watch`). */
export interface NotificationFlagValues {
  notify?: string[] | undefined;
  notifications?: string | undefined;
  'notify-events'?: string | undefined;
}

/** `--notify`, `--notifications` and `--notify-events` as `NotificationOptions`; undefined when none was given. */
export function notificationOptionsOf(values: NotificationFlagValues): NotificationOptions | undefined {
  if (
    values.notify === undefined &&
    values.notifications === undefined &&
    values['notify-events'] === undefined
  )
    return undefined;
  return {
    flags: values.notify ?? [],
    ...(values.notifications !== undefined && { modulePath: values.notifications }),
    ...(values['notify-events'] !== undefined && { eventsChannel: values['notify-events'] }),
  };
}

/** What a run is given: one notifier over every route, the templates, and the run-stage announcer. */
export interface LoadedNotifications {
  notifier?: NotifierV1;
  templates?: NotificationTemplates;
  events?: { channel: string; direction?: 'failover' | 'failback' };
}

/**
 * Binds the notifiers of a run: the module's routes, then `--notify` flags (a
 * flag replaces the module's route of the same name). With neither, no notifier:
 * a plan with a notify step is then invalid, as it should be.
 */
export async function loadNotifications(
  options: NotificationOptions | undefined,
  context: NotificationsContext & { cwd: string },
): Promise<LoadedNotifications> {
  if (!options) return {};
  let config: NotificationsConfig = {};
  if (options.modulePath !== undefined) {
    const absolute = resolveExistingFile(options.modulePath, context.cwd, 'notifications module');
    const exported = namespaceOf(await importUserModule(absolute, options.modulePath)).default;
    if (exported === undefined) {
      throw new CliError(
        `The notifications module ${options.modulePath} has no default export; export defineNotifications({ routes, templates, events }).`,
      );
    }
    try {
      config =
        typeof exported === 'function'
          ? await (
              exported as (c: NotificationsContext) => NotificationsConfig | Promise<NotificationsConfig>
            )({
              env: context.env,
              ...(context.emulator && { emulator: context.emulator }),
            })
          : (exported as NotificationsConfig);
    } catch (thrown) {
      throw new CliError(`The notifications module ${options.modulePath} failed: ${describeThrown(thrown)}`, {
        cause: thrown,
      });
    }
  }
  const routes: Record<string, AnyNotifier | readonly AnyNotifier[]> = { ...config.routes };
  for (const spec of options.flags) {
    const binding = parseNotifyFlag(spec, {
      env: context.env,
      ...(context.emulator && { emulatorUrl: context.emulator.url }),
    });
    routes[binding.route] = binding.notifier;
  }
  const events =
    options.eventsChannel !== undefined
      ? { ...config.events, channel: options.eventsChannel }
      : config.events;
  const hasRoutes = Object.keys(routes).length > 0;
  if (events && !hasRoutes) {
    throw new CliError(
      `Run stages go to "${events.channel}", but no notifier is bound: add --notify or --notifications.`,
    );
  }
  const notifier = hasRoutes ? routeNotifications(routes) : undefined;
  if (events && notifier?.delivers && !notifier.delivers(events.channel)) {
    throw new CliError(`Run stages go to "${events.channel}", but no notifier is bound to that channel.`);
  }
  return {
    ...(notifier && { notifier }),
    ...(config.templates && { templates: config.templates }),
    ...(events && { events }),
  };
}

/** The run-stage announcer of a loaded binding, for the plan about to run. */
export function runEventAnnouncer(
  loaded: LoadedNotifications,
  plan: FailoverPlan,
  time: Time,
  onFailure: (message: string) => void,
): RunEventNotifications | undefined {
  if (!loaded.events || !loaded.notifier) return undefined;
  return notifyRunEvents(loaded.notifier, {
    channel: loaded.events.channel,
    plan,
    time,
    ...(loaded.events.direction && { direction: loaded.events.direction }),
    ...(loaded.templates && { templates: loaded.templates }),
    onFailure: (stage, error) => onFailure(`The ${stage} notification could not be sent: ${error.message}`),
  });
}
