import {
  attempt,
  type CallOptions,
  cancelledError,
  errAsync,
  FailoverError,
  type FailoverResult,
  type Result,
  ResultAsync,
  toFailoverError,
} from '@failover/core';
import { mapGcpError } from './gcp-error.js';
import { type GcpCallScope, inGcpCall } from './gcp-request-retry.js';

/**
 * Sends one Google API request: refuses to start once aborted, reports it
 * through `onApiCall`, and maps any failure with the package's error mapper.
 * The SDKs' own retries are off (they sleep in real time); the clients' auth
 * requester retries transient failures instead (`gcp-request-retry.ts`), on
 * the injected clock inside the call's `deadlineAt`, reporting each retry.
 */
export function gcpCall<T>(
  provider: string,
  operation: string,
  mutating: boolean,
  options: CallOptions | undefined,
  send: (signal: AbortSignal | undefined) => Promise<T>,
): FailoverResult<T> {
  const signal = options?.abortSignal;
  if (signal?.aborted) return errAsync(cancelledError(provider, operation, signal.reason));
  options?.onApiCall?.({ provider, operation, mutating });
  const scope: GcpCallScope = {
    provider,
    operation,
    mutating,
    ...(options?.deadlineAt !== undefined && { deadlineAt: options.deadlineAt }),
    ...(signal && { abortSignal: signal }),
    ...(options?.onApiCall && { onApiCall: options.onApiCall }),
  };
  return attempt(
    () => inGcpCall(scope, () => send(signal)),
    { provider, operation },
    (thrown) =>
      signal?.aborted && !FailoverError.isInstance(thrown)
        ? cancelledError(provider, operation, signal.reason)
        : mapGcpError(thrown, provider, operation),
  );
}

/** `invalid-input` for a bad argument, before any request. */
export function invalidInput(
  provider: string,
  operation: string,
  message: string,
  path?: string,
): FailoverError {
  return new FailoverError({
    kind: 'invalid-input',
    message,
    provider,
    operation,
    ...(path !== undefined && { path }),
  });
}

/**
 * Runs a provider method written as linear async code over `Result`s. A throw
 * (a bug) still comes back as an `unexpected` FailoverError, never a rejection.
 */
export function runGcp<T>(
  provider: string,
  operation: string,
  body: () => Promise<Result<T, FailoverError>>,
): FailoverResult<T> {
  return ResultAsync.fromPromise((async () => body())(), (thrown) =>
    toFailoverError(thrown, provider, operation),
  ).andThen((result) => result);
}
