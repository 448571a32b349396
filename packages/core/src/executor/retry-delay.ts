import type { RetryPolicy } from '../plan/step.js';

/** The defaults of a step's retry policy. */
export const defaultRetryPolicy: Readonly<Required<RetryPolicy>> = {
  maxAttempts: 3,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
};

/** The step's policy, field by field over the run's default. */
export function resolveRetryPolicy(
  policy: RetryPolicy | undefined,
  fallback: Required<RetryPolicy>,
): Required<RetryPolicy> {
  return {
    maxAttempts: policy?.maxAttempts ?? fallback.maxAttempts,
    baseDelayMs: policy?.baseDelayMs ?? fallback.baseDelayMs,
    maxDelayMs: policy?.maxDelayMs ?? fallback.maxDelayMs,
  };
}

/**
 * Delay before the retry that follows failed attempt `attempt` (1-based):
 * exponential backoff with full jitter, `random() * min(maxDelay, base * 2^(attempt-1))`,
 * but never less than the service's `retryAfterMs`.
 */
export function retryDelayMs(
  policy: Required<RetryPolicy>,
  attempt: number,
  random: () => number,
  retryAfterMs?: number,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jitter = Math.floor(clamp01(random()) * ceiling);
  return Math.max(jitter, retryAfterMs ?? 0);
}

function clamp01(value: number): number {
  return Number.isFinite(value) ? Math.min(Math.max(value, 0), 1) : 0;
}
