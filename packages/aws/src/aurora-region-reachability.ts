import type { CallOptions, FailoverError, Time } from '@failover/core';

/** Default of `unreachableAfterMs`: how long one member region's reads are retried before it counts as dark. */
export const defaultUnreachableAfterMs = 30_000;

/**
 * What the Aurora adapter knows about the regions of a global cluster's members that
 * stopped answering. Reading a member's region retries transient failures only for a short
 * budget, not until the step's deadline: a region whose front doors are gone (connections
 * refused or reset, no DNS answer, 503 after 503) will not come back within the step, and
 * the forced path needs nothing from it. Once a region has used up its budget it is dark:
 * each later read of it is tried once, until one is answered.
 */
export interface AuroraRegionReachability {
  /** The options for one read of `region`: the call's, with its deadline brought forward. */
  readOptions(region: string, call: CallOptions): CallOptions;
  /** Notes how a read of `region` ended; true when the failure says the region is unreachable. */
  noteOutcome(region: string, error?: FailoverError): boolean;
}

/** Failures that say the region did not answer at all (as opposed to answering "no"). */
export function isUnreachable(error: FailoverError): boolean {
  return error.kind === 'unavailable' || error.kind === 'timeout';
}

export function createAuroraRegionReachability(
  time: Time,
  unreachableAfterMs = defaultUnreachableAfterMs,
): AuroraRegionReachability {
  const dark = new Set<string>();
  return {
    readOptions(region, call) {
      const budgetEnd = dark.has(region) ? time.now() : time.now() + unreachableAfterMs;
      return { ...call, deadlineAt: Math.min(call.deadlineAt ?? Number.POSITIVE_INFINITY, budgetEnd) };
    },
    noteOutcome(region, error) {
      if (error === undefined) {
        dark.delete(region);
        return false;
      }
      if (!isUnreachable(error)) return false;
      dark.add(region);
      return true;
    },
  };
}
