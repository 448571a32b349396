import type { FailoverError } from '../errors/failover-error.js';
import type { Result } from '../result.js';
import type { Time } from '../time/time.js';

/** How a call backs off between tries. Every field has a default. */
export interface RetryBackoff {
  /** Ceiling of the first pause; doubles per try. Default 250 ms. */
  baseDelayMs?: number;
  /** Largest ceiling of a pause. Default 20 s. */
  maxDelayMs?: number;
  /** How long retrying may go on when the call has no `deadlineAt`. Default 5 minutes. */
  maxElapsedMs?: number;
  /** Source of the jitter, in [0, 1). Inject a seeded one for deterministic runs. Default `Math.random`. */
  random?: () => number;
  /** Tries in all, as an extra cap besides time. Default: no cap, only the deadline. */
  maxAttempts?: number;
}

/** Options of `retryWithinDeadline`. */
export interface RetryWithinDeadlineOptions extends RetryBackoff {
  time: Time;
  /** Clock time by which the call must be over (`CallOptions.deadlineAt`); no pause ends past it. */
  deadlineAt?: number;
  abortSignal?: AbortSignal;
  /** Whether this failure may be sent again. Default: `error.retryable`. */
  shouldRetry?: (error: FailoverError) => boolean;
  /** Told before each pause, e.g. to make a shared rate budget back off after throttling. */
  onRetry?: (retry: { error: FailoverError; attempt: number; delayMs: number }) => void;
}

const defaults = { baseDelayMs: 250, maxDelayMs: 20_000, maxElapsedMs: 5 * 60_000 };

/**
 * Sends `send` again after each retryable failure, as a budget of time rather
 * than a count: full-jitter exponential backoff (`random() * min(max, base * 2^n)`),
 * never shorter than the service's `retryAfterMs`, and no pause that would end
 * after the deadline. Returns the last failure once the budget is spent, the
 * error is not retryable, or the signal aborts. Never throws.
 *
 * Used by the cloud wrappers for each request and by the executor around each
 * provider method, so every cloud retries the same way.
 */
export async function retryWithinDeadline<T>(
  send: (attempt: number) => PromiseLike<Result<T, FailoverError>>,
  options: RetryWithinDeadlineOptions,
): Promise<Result<T, FailoverError>> {
  const { time, abortSignal } = options;
  const base = options.baseDelayMs ?? defaults.baseDelayMs;
  const cap = options.maxDelayMs ?? defaults.maxDelayMs;
  const random = options.random ?? Math.random;
  const shouldRetry = options.shouldRetry ?? ((error: FailoverError) => error.retryable);
  const deadline = options.deadlineAt ?? time.now() + (options.maxElapsedMs ?? defaults.maxElapsedMs);

  for (let attempt = 1; ; attempt++) {
    const result = await send(attempt);
    if (result.isOk() || abortSignal?.aborted || !shouldRetry(result.error)) return result;
    if (attempt >= (options.maxAttempts ?? Number.POSITIVE_INFINITY)) return result;
    const delayMs = backoffDelayMs(attempt, { base, cap, random }, result.error.retryAfterMs);
    if (time.now() + delayMs >= deadline) return result;
    options.onRetry?.({ error: result.error, attempt, delayMs });
    await time.sleep(delayMs, abortSignal);
    if (abortSignal?.aborted) return result;
  }
}

/**
 * The pause after failed try `attempt` (1-based): full jitter under an
 * exponential ceiling, but never less than the service's Retry-After.
 */
export function backoffDelayMs(
  attempt: number,
  backoff: { base: number; cap: number; random: () => number },
  retryAfterMs?: number,
): number {
  const ceiling = Math.min(backoff.cap, backoff.base * 2 ** Math.min(attempt - 1, 30));
  const draw = backoff.random();
  const jitter = Math.floor((Number.isFinite(draw) ? Math.min(Math.max(draw, 0), 1) : 0) * ceiling);
  return Math.max(jitter, retryAfterMs ?? 0);
}

/**
 * Failures that say nothing about the request itself: the service refused it
 * for now (`throttled`) or could not answer (`unavailable`: 5xx, a reset, a
 * network timeout). Retrying them is a matter of time, not of a step attempt.
 */
export function isTransient(error: FailoverError): boolean {
  return error.retryable && (error.kind === 'throttled' || error.kind === 'unavailable');
}
