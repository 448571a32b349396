import type { WaitOptions } from '@failover/core';

/** What is wrong with the options of a wait, or undefined. */
export function waitProblem(wait: WaitOptions): string | undefined {
  if (typeof wait !== 'object' || wait === null) return 'The wait options are missing.';
  if (typeof wait.timeoutMs !== 'number' || !(wait.timeoutMs >= 0) || !Number.isFinite(wait.timeoutMs))
    return 'timeoutMs must be a non-negative number of milliseconds.';
  if (wait.pollIntervalMs !== undefined && !(wait.pollIntervalMs > 0))
    return 'pollIntervalMs must be a positive number of milliseconds.';
  return undefined;
}
