import type { WaitOptions } from '@failover/core';

/**
 * `expectedDurationMs` for a poll loop: the caller's, else the operation's usual
 * length on Google Cloud. Spread into the wait's options, so the poll schedule
 * starts from it where the wait loop reads it.
 */
export function expectedDuration(wait: WaitOptions, typicalMs: number): { expectedDurationMs: number } {
  return { expectedDurationMs: wait.expectedDurationMs ?? typicalMs };
}
