import type { FailoverError } from '../errors/failover-error.js';
import { cancelledError, toFailoverError } from '../errors/to-failover-error.js';
import { retryDelayMs } from '../executor/retry-delay.js';
import type { RetryPolicy } from '../plan/step.js';
import { ResultAsync } from '../result.js';
import type { Time } from '../time/time.js';
import type { Notification } from './notification.js';
import type { NotifierV1 } from './notifier-v1.js';

/** Retries of a notification: more patient than a step's, a page matters. */
export const defaultNotificationRetry: Readonly<Required<RetryPolicy>> = {
  maxAttempts: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
};

/** Options of `deliverNotification`. */
export interface DeliverNotificationOptions {
  /** Clock and sleeper of the backoff. */
  time: Time;
  /** Default `defaultNotificationRetry`. */
  retry?: Required<RetryPolicy>;
  /** Source of the jitter, in [0, 1). Default `Math.random`. */
  random?: () => number;
  /** Stops retrying (and the attempt in flight). */
  abortSignal?: AbortSignal;
  /** Clock time after which no retry starts: retries are a budget of time, not only a count. */
  deadline?: number;
  /** Called before each retry, with the attempt about to start and the delay. */
  onRetry?: (attempt: number, delayMs: number, error: FailoverError) => void;
}

/** What a delivery took: the attempts made. */
export interface NotificationDelivery {
  attempts: number;
}

/**
 * Sends a notification, retrying a retryable error with exponential backoff and
 * full jitter (never sooner than the channel's `retryAfterMs`), until the attempts
 * or the time budget (`deadline`) run out. The error of the last attempt is
 * returned when every attempt failed or a non-retryable error came.
 */
export function deliverNotification(
  notifier: NotifierV1,
  notification: Notification,
  options: DeliverNotificationOptions,
): ResultAsync<NotificationDelivery, FailoverError> {
  const retry = options.retry ?? defaultNotificationRetry;
  const random = options.random ?? Math.random;
  const signal = options.abortSignal;
  const run = async (): Promise<NotificationDelivery> => {
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw cancelledError(notifier.name, 'notify', signal.reason);
      const sent = await notifier.send(notification, signal ? { abortSignal: signal } : {});
      if (sent.isOk()) return { attempts: attempt };
      const error = sent.error;
      if (!error.retryable || attempt >= retry.maxAttempts) throw error;
      const delayMs = retryDelayMs(retry, attempt, random, error.retryAfterMs);
      if (options.deadline !== undefined && options.time.now() + delayMs >= options.deadline) throw error;
      options.onRetry?.(attempt + 1, delayMs, error);
      await options.time.sleep(delayMs, signal);
    }
  };
  return ResultAsync.fromPromise(run(), (thrown) => toFailoverError(thrown, notifier.name, 'notify'));
}
