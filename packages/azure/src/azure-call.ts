import { attempt, type CallOptions, cancelledError, type FailoverResult } from '@failover/core';
import { type AzureCallContext, runInCall } from './azure-call-context.js';
import { toAzureError } from './azure-error.js';

/**
 * Runs one adapter method: returns `cancelled` at once for an aborted signal,
 * reports its requests to `onApiCall`, carries the call's deadline and signal
 * to the pipeline's retry policy (`azure-retry-policy.ts`: each request is
 * retried there, inside `deadlineAt`), and maps whatever it throws through
 * the one Azure error mapper, so nothing throws across the package boundary.
 */
export function azureCall<T>(
  provider: string,
  operation: string,
  options: CallOptions | undefined,
  fn: (context: AzureCallContext) => Promise<T>,
): FailoverResult<T> {
  return attempt(
    async () => {
      if (options?.abortSignal?.aborted)
        throw cancelledError(provider, operation, options.abortSignal.reason);
      const context: AzureCallContext = {
        provider,
        ...(options?.onApiCall && { onApiCall: options.onApiCall }),
        ...(options?.deadlineAt !== undefined && { deadlineAt: options.deadlineAt }),
        ...(options?.abortSignal && { abortSignal: options.abortSignal }),
      };
      return runInCall(context, () => fn(context));
    },
    { provider, operation },
    (thrown) => toAzureError(thrown, provider, operation),
  );
}
