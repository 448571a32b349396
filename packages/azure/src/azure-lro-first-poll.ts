import type { Time } from '@failover/core';

/**
 * Sleeps until the first poll of a long-running operation may go out: `retryAfterMs`
 * after it was accepted (the Retry-After of its 202 / 201), not at once.
 */
export async function waitForFirstPoll(
  time: Time,
  acceptedAt: number,
  retryAfterMs: number | undefined,
  signal?: AbortSignal,
): Promise<void> {
  if (retryAfterMs === undefined || !Number.isFinite(retryAfterMs) || retryAfterMs <= 0) return;
  const remaining = acceptedAt + retryAfterMs - time.now();
  if (remaining > 0) await time.sleep(remaining, signal);
}
