import type { FailoverError, SignalQuery } from '@failover/core';
import type { AwsClients } from '../aws-clients.js';

/** The call options of one source read: its deadline on the injected clock, its cancellation. */
export function readCallOptions(clients: AwsClients, query: SignalQuery) {
  return {
    deadlineAt: query.deadlineAt ?? clients.runtime.time.now() + query.timeoutMs,
    ...(query.abortSignal && { abortSignal: query.abortSignal }),
    ...(query.onApiCall && { onApiCall: query.onApiCall }),
  };
}

/** One region's read: its answer, or why it could not be read. */
export type RegionRead<T> = { region: string; value: T } | { region: string; error: FailoverError };
