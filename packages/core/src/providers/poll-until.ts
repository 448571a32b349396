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
  /** First delay between polls. Default 1 s. */
  pollIntervalMs?: number;
  /** Cap of the exponential backoff. Default 30 s. */
  maxIntervalMs?: number;
  abortSignal?: AbortSignal;
  /** Observes once. A retryable error (throttling) is waited out; any other error ends the wait. */
  poll: () => FailoverResult<PollOutcome<T>> | Promise<Result<PollOutcome<T>, FailoverError>>;
}

/**
 * The one wait loop every provider uses: poll, back off exponentially (a service
 * Retry-After wins), never sleep past the deadline, and fail with `timeout`
 * when it passes. Aborting stops the waiting, not the remote operation.
 */
export function pollUntil<T>(options: PollUntilOptions<T>): FailoverResult<T> {
  return ResultAsync.fromPromise(run(options), (thrown) =>
    toFailoverError(thrown, options.provider, options.operation),
  ).andThen((result) => result);
}

async function run<T>(options: PollUntilOptions<T>) {
  const { time, abortSignal } = options;
  const deadline = time.now() + options.timeoutMs;
  const maxInterval = options.maxIntervalMs ?? 30_000;
  let interval = options.pollIntervalMs ?? 1_000;
  let lastStatus: string | undefined;

  for (;;) {
    if (abortSignal?.aborted)
      return errResult<T>(cancelledError(options.provider, options.operation, abortSignal.reason));
    const outcome = await options.poll();
    let wait = interval;
    if (outcome.isErr()) {
      if (!outcome.error.retryable) return errResult<T>(outcome.error);
      wait = Math.max(wait, outcome.error.retryAfterMs ?? 0);
    } else if (outcome.value.done) {
      return okResult(outcome.value.value);
    } else {
      lastStatus = outcome.value.status ?? lastStatus;
      wait = Math.max(wait, outcome.value.retryAfterMs ?? 0);
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
    interval = Math.min(maxInterval, Math.ceil(interval * 1.5));
  }
}

const okResult = <T>(value: T): Result<T, FailoverError> => ok(value);
const errResult = <T>(error: FailoverError): Result<T, FailoverError> => err(error);
