import { FailoverError } from '@failover/core';

/**
 * Whether a failed mutation may still have been applied: its answer was lost
 * (a 5xx, a reset, a timeout) or the service calls the resource busy, which is
 * what a re-sent request meets when the first one did go through.
 */
export function mayHaveBeenApplied(thrown: unknown): boolean {
  if (!FailoverError.isInstance(thrown)) return true;
  return (
    thrown.kind === 'unavailable' ||
    thrown.kind === 'timeout' ||
    thrown.kind === 'unexpected' ||
    (thrown.kind === 'conflict' && thrown.retryable)
  );
}

/**
 * Sends a mutation; when it fails in a way that leaves it unknown whether it
 * was applied, observes again through `inFlight`. If that finds the operation
 * under way (or done), its answer is used instead of the error, so a lost
 * answer is waited on and never re-sent nor called a conflict.
 */
export async function sendOrFindInFlight<T>(
  send: () => Promise<T>,
  inFlight: () => Promise<T | undefined>,
): Promise<T> {
  try {
    return await send();
  } catch (thrown) {
    if (!mayHaveBeenApplied(thrown)) throw thrown;
    let found: T | undefined;
    try {
      found = await inFlight();
    } catch {
      // Observing failed too: the original error says more.
      throw thrown;
    }
    if (found === undefined) throw thrown;
    return found;
  }
}
