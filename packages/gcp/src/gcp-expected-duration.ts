import type { WaitOptions } from '@failover/core';

/**
 * The poll schedule of a wait, for `pollUntil`: counted from when the operation
 * started and drawn from how long it usually takes (the caller's
 * `expectedDurationMs`, else the operation's usual length on Google Cloud). A caller
 * that set only `pollIntervalMs` keeps plain interval polling.
 */
export function expectedDuration(
  wait: WaitOptions,
  typicalMs: number,
  startedAt?: number,
): { expectedDurationMs?: number; startedAt?: number } {
  if (wait.expectedDurationMs === undefined && wait.pollIntervalMs !== undefined) return {};
  return {
    expectedDurationMs: wait.expectedDurationMs ?? typicalMs,
    ...(typeof startedAt === 'number' && Number.isFinite(startedAt) && { startedAt }),
  };
}
