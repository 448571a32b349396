import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import {
  createSharedBackoff,
  err,
  FailoverError,
  isTransient,
  ok,
  type Result,
  realTime,
  retryWithinDeadline,
  type Time,
} from '@failover/core';
import { callContexts } from './azure-call-context.js';
import { toAzureError } from './azure-error.js';
import { armOperation } from './azure-operation-name.js';
import { type HeaderLookup, retryAfterMs } from './azure-retry-after.js';
import type { AzureRetrySettings } from './azure-settings.js';

const retryPolicyName = 'failoverRetryPolicy';

/**
 * Retries each ARM request as a budget of time on the injected clock (the SDK's
 * own retry policy sleeps in real time): a read on 429, 5xx, resets and
 * timeouts; a mutation only on 429 (refused, so not applied: any other failure
 * may have been applied, and goes back to the adapter, whose ensure observes
 * before acting again). Full jitter, never less than the Retry-After, and no
 * pause past the call's `deadlineAt`. A 429 holds every request of the
 * subscription's clients for its Retry-After.
 */
export function azureRetryPolicy(time: Time = realTime, retry: AzureRetrySettings = {}): PipelinePolicy {
  const pause = createSharedBackoff(time);
  const random = retry.random ?? Math.random;
  return {
    name: retryPolicyName,
    async sendRequest(request, next) {
      const context = callContexts().getStore();
      const { operation, mutating } = armOperation(request.method, request.url);
      const provider = context?.provider ?? 'azure';
      const signal = context?.abortSignal ?? (request.abortSignal as AbortSignal | undefined);
      let lastThrown: unknown;
      let lastResponse: Awaited<ReturnType<typeof next>> | undefined;
      const result = await retryWithinDeadline(
        async (): Promise<Result<Awaited<ReturnType<typeof next>>, FailoverError>> => {
          await pause.wait(signal);
          try {
            const response = await next(request);
            // A long-running operation's first answer comes back unparsed: judge it by its status.
            const failure = failureOf(response.status, response.headers, provider, operation);
            if (!failure) return ok(response);
            lastResponse = response;
            lastThrown = undefined;
            return err(failure);
          } catch (thrown) {
            lastThrown = thrown;
            lastResponse = undefined;
            return err(toAzureError(thrown, provider, operation));
          }
        },
        {
          time,
          random,
          baseDelayMs: retry.baseDelayMs ?? 500,
          ...(retry.maxDelayMs !== undefined && { maxDelayMs: retry.maxDelayMs }),
          ...(retry.maxAttempts !== undefined && { maxAttempts: retry.maxAttempts }),
          ...(signal && { abortSignal: signal }),
          ...(context?.deadlineAt !== undefined && { deadlineAt: context.deadlineAt }),
          shouldRetry: (error) => isTransient(error) && (error.kind === 'throttled' || !mutating),
          onRetry: ({ error, delayMs }) => {
            if (error.kind === 'throttled') pause.hold(error.retryAfterMs ?? delayMs);
          },
        },
      );
      if (result.isOk()) return result.value;
      if (lastResponse) return lastResponse;
      throw lastThrown;
    },
  };
}

/** A 429 or a 5xx answer as the error the retry decides on; undefined for any other status. */
function failureOf(
  status: number,
  headers: HeaderLookup,
  provider: string,
  operation: string,
): FailoverError | undefined {
  if (status === 429) {
    const wait = retryAfterMs(headers);
    return new FailoverError({
      kind: 'throttled',
      message: `${operation} was throttled (HTTP 429).`,
      provider,
      operation,
      ...(wait !== undefined && { retryAfterMs: wait }),
    });
  }
  if (status >= 500 || status === 408)
    return new FailoverError({
      kind: 'unavailable',
      message: `${operation} failed with HTTP ${status}.`,
      provider,
      operation,
    });
  return undefined;
}
