import { AsyncLocalStorage } from 'node:async_hooks';
import type { ApiCall } from '@failover/core';

/** What one adapter call carries down to the pipeline: who to report requests to, and what came back. */
export interface AzureCallContext {
  provider: string;
  onApiCall?: (call: ApiCall) => void;
  /** The wait the last response asked for (Retry-After), for the next poll. */
  lastRetryAfterMs?: number;
  /** The call's deadline and signal: the retry policy never pauses past the one, and stops on the other. */
  deadlineAt?: number;
  abortSignal?: AbortSignal;
}

let storage: AsyncLocalStorage<AzureCallContext> | undefined;

/**
 * The clients are shared by every call of an adapter, so the pipeline policy
 * finds the calling context through async-local storage rather than a field
 * that concurrent calls would overwrite.
 */
export function callContexts(): AsyncLocalStorage<AzureCallContext> {
  storage ??= new AsyncLocalStorage<AzureCallContext>();
  return storage;
}

export function runInCall<T>(context: AzureCallContext, fn: () => Promise<T>): Promise<T> {
  return callContexts().run(context, fn);
}
