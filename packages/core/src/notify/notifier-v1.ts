import type { FailoverError } from '../errors/failover-error.js';
import type { ResultAsync } from '../result.js';
import type { Notification } from './notification.js';

/** Options of one `send`. */
export interface NotifierSendOptions {
  /** Aborts the delivery (the run was cancelled, or its deadline passed). */
  abortSignal?: AbortSignal;
}

/**
 * Delivers notifications to one kind of channel (a Slack webhook, PagerDuty,
 * an SNS topic). Errors are values: a `throttled` or `unavailable` error with
 * `retryable` is retried with backoff by the caller (see `deliverNotification`);
 * `retryAfterMs` is honoured. Never put a webhook URL, key or secret in an error.
 */
export interface NotifierV1 {
  readonly specificationVersion: 'v1';
  /** Short name used in warnings, e.g. `slack`, `pagerduty`, `aws.sns`. */
  readonly name: string;
  /**
   * Whether it delivers to this channel name. Absent: every channel. The plan is
   * invalid when a notify step names a channel nothing bound delivers to.
   */
  delivers?(channel: string): boolean;
  send(notification: Notification, options?: NotifierSendOptions): ResultAsync<void, FailoverError>;
}
