import { err, ok, type Result, ResultAsync } from 'neverthrow';
import { FailoverError } from '../errors/failover-error.js';
import { cancelledError, toFailoverError } from '../errors/to-failover-error.js';
import type { FailoverResult } from '../result.js';
import type { Time } from '../time/time.js';

/** One look at a long-running thing: done with a value, or not yet (maybe with the service's Retry-After). */
export type PollOutcome<T> =
  | { done: true; value: T }
  | { done: false; retryAfterMs?: number; status?: string };

/** Options of `pollUntil`. */
export interface PollUntilOptions<T> {
  time: Time;
  provider: string;
  operation: string;
  timeoutMs: number;
  /** First delay between polls. Default 1 s. Ignored when `expectedDurationMs` is given. */
  pollIntervalMs?: number;
  /** Cap of the exponential backoff. Default 30 s. */
  maxIntervalMs?: number;
  /**
   * How long the operation usually takes. The schedule then starts from it:
   * a first look at once, then polls at 67 %, 85 % and 100 % of it, then
   * densely after it (every 2 % of it, 1–2 s, for a third of it or 30 polls),
   * then growing ×1.5 up to a quarter of it.
   */
  expectedDurationMs?: number;
  /** When the operation started, on `time`; the schedule counts from it. Default: now. */
  startedAt?: number;
  abortSignal?: AbortSignal;
  /** Observes once. A retryable error (throttling) is waited out; any other error ends the wait. */
  poll: () => FailoverResult<PollOutcome<T>> | Promise<Result<PollOutcome<T>, FailoverError>>;
}

/**
 * The one wait loop every provider uses: poll on a schedule drawn from the
 * operation's expected duration (or back off exponentially without one), let
 * a running operation's Retry-After replace the schedule's delay, wait out a
 * throttled poll for at least its Retry-After, never sleep past the deadline,
 * and fail with `timeout` when it passes. Aborting stops the waiting, not the
 * remote operation.
 */
export function pollUntil<T>(options: PollUntilOptions<T>): FailoverResult<T> {
  return ResultAsync.fromPromise(run(options), (thrown) =>
    toFailoverError(thrown, options.provider, options.operation),
  ).andThen((result) => result);
}

async function run<T>(options: PollUntilOptions<T>) {
  const { time, abortSignal } = options;
  const deadline = time.now() + options.timeoutMs;
  const next = pollSchedule(options, time.now());
  let lastStatus: string | undefined;

  for (;;) {
    if (abortSignal?.aborted)
      return errResult<T>(cancelledError(options.provider, options.operation, abortSignal.reason));
    const outcome = await options.poll();
    let wait = next(time.now());
    if (outcome.isErr()) {
      if (!outcome.error.retryable) return errResult<T>(outcome.error);
      // Throttled: the service's wait is a floor.
      wait = Math.max(wait, outcome.error.retryAfterMs ?? 0);
    } else if (outcome.value.done) {
      return okResult(outcome.value.value);
    } else {
      lastStatus = outcome.value.status ?? lastStatus;
      // Still running: the service's Retry-After beats the schedule, shorter or longer.
      const retryAfter = outcome.value.retryAfterMs;
      if (retryAfter !== undefined && Number.isFinite(retryAfter) && retryAfter >= 0) wait = retryAfter;
    }

    const remaining = deadline - time.now();
    if (remaining <= 0) {
      return errResult<T>(
        new FailoverError({
          kind: 'timeout',
          message: `${options.operation} did not finish within ${options.timeoutMs} ms${lastStatus ? ` (last status: ${lastStatus})` : ''}.`,
          provider: options.provider,
          operation: options.operation,
          retryable: false,
        }),
      );
    }
    await time.sleep(Math.min(wait, remaining), abortSignal);
  }
}

/** Fractions of the expected duration at which the schedule looks, before it polls densely. */
const checkpoints = [0.67, 0.85, 1];
/** After the expected duration, the dense phase covers this much more of it (a 1.33x overrun)... */
const denseSpanFraction = 1 / 3;
/** ...but never more than this many polls, so a long operation does not poll every 2 s for minutes. */
const maxDensePolls = 30;

/**
 * The delay before the next poll, given the clock time now. With an expected
 * duration: the next checkpoint not yet passed, then a dense, short interval for
 * a third of the expected duration after it, then a growing one. Without:
 * exponential backoff from `pollIntervalMs`.
 *
 * Why dense after the expected duration: an operation ends as often after its usual
 * length as before it, and an end between two polls is seen late by up to the gap.
 * Polling every 1–2 s over the overrun keeps the median detection within 2 s, and
 * few checkpoints before it keep an operation that ends on time or a little late
 * within 6 polls (an end before the usual length is rarer, and is seen by the next
 * checkpoint).
 */
export function pollSchedule(
  options: Pick<
    PollUntilOptions<unknown>,
    'expectedDurationMs' | 'startedAt' | 'pollIntervalMs' | 'maxIntervalMs'
  >,
  now: number,
): (now: number) => number {
  const maxInterval = options.maxIntervalMs ?? 30_000;
  const expected = options.expectedDurationMs;
  if (expected === undefined || !(expected > 0) || !Number.isFinite(expected)) {
    let interval = options.pollIntervalMs ?? 1_000;
    return () => {
      const wait = interval;
      interval = Math.min(maxInterval, Math.ceil(interval * 1.5));
      return wait;
    };
  }
  const startedAt = options.startedAt ?? now;
  const dense = Math.min(2_000, Math.max(1_000, Math.round(expected * 0.02)));
  const denseUntil = expected + Math.min(expected * denseSpanFraction, dense * maxDensePolls);
  const cap = Math.min(maxInterval, Math.max(dense, expected / 4));
  let after = dense;
  return (at) => {
    const elapsed = at - startedAt;
    // The next checkpoint at least a dense interval away, so two polls never bunch up.
    for (const fraction of checkpoints) {
      const due = fraction * expected - elapsed;
      if (due >= dense / 2) return Math.round(due);
    }
    if (elapsed < denseUntil) return dense;
    const wait = after;
    after = Math.min(cap, Math.ceil(after * 1.5));
    return wait;
  };
}

const okResult = <T>(value: T): Result<T, FailoverError> => ok(value);
const errResult = <T>(error: FailoverError): Result<T, FailoverError> => err(error);
