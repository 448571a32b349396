import { FailoverError } from '../errors/failover-error.js';
import type { FailoverErrorKind } from '../errors/failover-error-kind.js';
import { redact } from '../errors/redact.js';
import { ResultAsync } from '../result.js';

/** Settings every HTTP channel shares. */
export interface WebhookTransportSettings {
  /** Per attempt. Default 10 s. */
  timeoutMs?: number;
  /** Default: global `fetch`. */
  fetch?: typeof fetch;
}

/** One POST to a webhook. */
export interface WebhookPost {
  /** The channel's name in errors (`slack`, `pagerduty`): never the URL, which is a secret. */
  channel: string;
  url: string;
  body: string;
  headers?: Record<string, string>;
  abortSignal?: AbortSignal | undefined;
}

/** What the receiver answered, when it accepted the message. */
export interface WebhookAnswer {
  status: number;
  text: string;
}

const defaultTimeoutMs = 10_000;

/**
 * POSTs a JSON body and maps the answer: 2xx is delivered; 429 is `throttled`
 * (with `Retry-After`); 408, 5xx, a network failure and a timeout are retryable
 * (a timed-out message may have arrived: channels accept a duplicate more easily
 * than a lost page); 401/403 `unauthorized`, 404/410 `not-found`, other 4xx
 * `invalid-input`. Errors name the channel and the status, never the URL or the
 * body sent.
 */
export function postWebhook(
  post: WebhookPost,
  settings: WebhookTransportSettings = {},
): ResultAsync<WebhookAnswer, FailoverError> {
  const doFetch = settings.fetch ?? globalThis.fetch;
  const timeout = AbortSignal.timeout(settings.timeoutMs ?? defaultTimeoutMs);
  const signal = post.abortSignal ? AbortSignal.any([timeout, post.abortSignal]) : timeout;
  const run = async (): Promise<WebhookAnswer> => {
    let response: Response;
    try {
      response = await doFetch(post.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...post.headers },
        body: post.body,
        redirect: 'error',
        signal,
      });
    } catch (thrown) {
      throw transportError(post, thrown, timeout.aborted, post.abortSignal?.aborted === true);
    }
    const text = await response.text().catch(() => '');
    if (response.ok) return { status: response.status, text };
    throw statusError(post.channel, response.status, text, response.headers.get('retry-after'));
  };
  return ResultAsync.fromPromise(run(), (thrown) =>
    FailoverError.isInstance(thrown) ? thrown : transportError(post, thrown, false, false),
  );
}

function statusError(
  channel: string,
  status: number,
  text: string,
  retryAfter: string | null,
): FailoverError {
  const kind = kindOfStatus(status);
  const detail = text.trim().slice(0, 200);
  const retryAfterMs = retryAfterToMs(retryAfter);
  return new FailoverError({
    kind,
    message: `${channel} answered HTTP ${status}${detail ? `: ${redact(detail)}` : ''}.`,
    provider: channel,
    operation: 'notify',
    retryable: kind === 'throttled' || kind === 'unavailable',
    ...(retryAfterMs !== undefined && { retryAfterMs }),
  });
}

function kindOfStatus(status: number): FailoverErrorKind {
  if (status === 429) return 'throttled';
  if (status === 408 || status >= 500) return 'unavailable';
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 404 || status === 410) return 'not-found';
  return 'invalid-input';
}

function transportError(
  post: WebhookPost,
  thrown: unknown,
  timedOut: boolean,
  aborted: boolean,
): FailoverError {
  if (aborted) {
    return new FailoverError({
      kind: 'cancelled',
      message: `Sending to ${post.channel} was cancelled.`,
      provider: post.channel,
      operation: 'notify',
    });
  }
  // The cause's message can hold the URL (a DNS error names the host): keep only its name.
  const name = thrown instanceof Error ? thrown.name : 'error';
  return new FailoverError({
    kind: timedOut ? 'timeout' : 'unavailable',
    message: timedOut
      ? `${post.channel} did not answer in time.`
      : `${post.channel} could not be reached (${name}).`,
    provider: post.channel,
    operation: 'notify',
    retryable: true,
  });
}

/** `Retry-After` as seconds or an HTTP date, in ms; undefined when absent or unreadable. */
function retryAfterToMs(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
