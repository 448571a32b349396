import type { SnsNotifierSettings } from '@failover/aws';
import {
  type NotifierV1,
  okAsync,
  pagerDutyNotifier,
  ResultAsync,
  signedWebhookNotifier,
  slackNotifier,
  teamsNotifier,
  toFailoverError,
} from '@failover/core';
import { CliError } from '../cli-error.js';

/** The channel kinds `--notify` knows. */
export const notifyKinds = ['slack', 'teams', 'pagerduty', 'webhook', 'sns', 'console'] as const;
export type NotifyKind = (typeof notifyKinds)[number];

/** Where an `--notify` channel runs: the emulator, when the run talks to one (SNS goes there). */
export interface NotifyFlagContext {
  env: Readonly<Record<string, string | undefined>>;
  emulatorUrl?: string;
  /** Where `--notify console` writes. Default: the process's stderr. */
  console?: { write(text: string): unknown };
}

/** One `--notify` binding: the route it serves and its notifier. */
export interface NotifyBinding {
  route: string;
  notifier: NotifierV1;
}

/**
 * Parses `--notify <kind>[@<route>]=<value>`: `slack=<webhook url>`,
 * `teams=<webhook url>`, `pagerduty=<routing key>`, `webhook=<url>` (signed with
 * the secret in `FAILOVER_WEBHOOK_SECRET`), `sns=<topic arn>`, and `console` (no
 * value; printed on stderr, every channel unless a route is given). The route (the
 * channel, or channel prefix, notify steps name) defaults to the kind. A value
 * `env:NAME` is read from the environment, so no secret needs to be on the
 * command line. Errors never repeat the value.
 */
export function parseNotifyFlag(spec: string, context: NotifyFlagContext): NotifyBinding {
  // `console[@route]` takes no value: every message (or the route's) printed, for drills and rehearsals.
  const consoleRoute = /^console(?:@(.+))?$/.exec(spec);
  if (consoleRoute) return { route: consoleRoute[1] ?? '*', notifier: consoleNotifier(context) };
  const equals = spec.indexOf('=');
  if (equals <= 0) throw usage(spec);
  const [kindText, routeText] = spec.slice(0, equals).split('@', 2) as [string, string | undefined];
  if (!(notifyKinds as readonly string[]).includes(kindText)) {
    throw new CliError(
      `--notify: unknown channel kind "${kindText}"; expected one of ${notifyKinds.join(', ')}.`,
    );
  }
  const kind = kindText as NotifyKind;
  const route = routeText ?? kind;
  if (route === '') throw usage(spec);
  const value = resolveValue(spec.slice(equals + 1), kind, context.env);
  return { route, notifier: notifierOf(kind, value, context) };
}

function notifierOf(kind: NotifyKind, value: string, context: NotifyFlagContext): NotifierV1 {
  switch (kind) {
    case 'slack':
      return slackNotifier({ webhookUrl: requireUrl(kind, value) });
    case 'teams':
      return teamsNotifier({ webhookUrl: requireUrl(kind, value) });
    case 'pagerduty':
      return pagerDutyNotifier({
        routingKey: value,
        ...(context.env.FAILOVER_PAGERDUTY_ENDPOINT && { endpoint: context.env.FAILOVER_PAGERDUTY_ENDPOINT }),
      });
    case 'webhook': {
      const secret = context.env.FAILOVER_WEBHOOK_SECRET;
      if (!secret) {
        throw new CliError('--notify webhook=… signs with FAILOVER_WEBHOOK_SECRET, which is not set.');
      }
      return signedWebhookNotifier({ url: requireUrl(kind, value), secret });
    }
    case 'console':
      return consoleNotifier(context);
    case 'sns': {
      if (!/^arn:aws[\w-]*:sns:[\w-]+:\d{12}:[\w.-]+$/.test(value)) {
        throw new CliError('--notify sns=… needs a topic ARN, arn:aws:sns:<region>:<account>:<topic>.');
      }
      return lazySnsNotifier({
        topicArn: value,
        ...(context.emulatorUrl && {
          endpoint: `${context.emulatorUrl}/aws/sns`,
          // The emulator reads the region from the signature and never checks it.
          credentials: { accessKeyId: 'AKIDEMULATOR0000', secretAccessKey: 'emulator-secret' },
        }),
      });
    }
  }
}

function resolveValue(raw: string, kind: NotifyKind, env: NotifyFlagContext['env']): string {
  if (!raw.startsWith('env:')) {
    if (raw === '') throw new CliError(`--notify ${kind}=… has no value.`);
    return raw;
  }
  const name = raw.slice(4);
  const value = env[name];
  if (!value)
    throw new CliError(`--notify ${kind}=env:${name}: the environment variable ${name} is not set.`);
  return value;
}

function requireUrl(kind: NotifyKind, value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === 'https:' || url.protocol === 'http:') return value;
  } catch {
    // reported below, without the value: a webhook URL is a secret
  }
  throw new CliError(`--notify ${kind}=… needs an http(s) URL (the value given is not one).`);
}

function usage(spec: string): CliError {
  const kind = spec.split(/[=@]/, 1)[0] ?? '';
  return new CliError(
    `--notify ${kind}…: expected <kind>[@<route>]=<value>, e.g. slack=env:SLACK_WEBHOOK_URL or pagerduty@oncall=env:PD_KEY.`,
  );
}

/** The SNS notifier, with `@failover/aws` loaded on the first message: a run without SNS never pays for it. */
function lazySnsNotifier(settings: SnsNotifierSettings): NotifierV1 {
  let loaded: Promise<NotifierV1> | undefined;
  return {
    specificationVersion: 'v1',
    name: 'aws.sns',
    send: (notification, options) =>
      okAsync(undefined)
        .andThen(() => {
          loaded ??= import('@failover/aws').then(({ snsNotifier }) => snsNotifier(settings));
          return ResultAsync.fromPromise(loaded, (thrown) => toFailoverError(thrown, 'aws.sns', 'Publish'));
        })
        .andThen((sns) => sns.send(notification, options)),
  };
}

/** Prints each notification as `notify [channel] message`: a real delivery, to whoever runs the drill. */
function consoleNotifier(context: NotifyFlagContext): NotifierV1 {
  const out = context.console ?? process.stderr;
  return {
    specificationVersion: 'v1',
    name: 'console',
    send: (message) => {
      out.write(`notify [${message.channel}] ${message.message}\n`);
      return okAsync(undefined);
    },
  };
}
