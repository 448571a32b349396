// The adapter's one error mapper: whatever a request threw becomes a FailoverError.
import { cancelledError, FailoverError, type FailoverErrorKind } from '@failover/core';

export const acmeProvider = 'acme.dns';

/** A non-2xx answer, no answer at all (status 0) or no token, until `toAcmeError` maps it. */
export class AcmeApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

const kinds: Record<number, FailoverErrorKind> = {
  400: 'invalid-input',
  401: 'unauthorized',
  403: 'unauthorized',
  404: 'not-found',
  409: 'conflict',
  429: 'throttled',
};

/**
 * Status to kind (`retryable` follows the kind: throttled and unavailable retry), the
 * service's Retry-After kept, the raw error as `cause`. `FailoverError` redacts the message.
 */
export function toAcmeError(thrown: unknown, operation: string, signal?: AbortSignal): FailoverError {
  if (signal?.aborted) return cancelledError(acmeProvider, operation, signal.reason);
  const api = thrown instanceof AcmeApiError ? thrown : undefined;
  // No answer (status 0) or a 5xx: the service is having trouble, worth a retry.
  const kind = api
    ? (kinds[api.status] ?? (api.status === 0 || api.status >= 500 ? 'unavailable' : 'unexpected'))
    : 'unexpected';
  return new FailoverError({
    kind,
    message: `Acme DNS ${operation}: ${thrown instanceof Error ? thrown.message : String(thrown)}`,
    provider: acmeProvider,
    operation,
    retryAfterMs: api?.retryAfterMs,
    cause: thrown,
  });
}

/** Bad arguments, caught before any request is sent. */
export function acmeInvalidInput(message: string, path: string): FailoverError {
  return new FailoverError({
    kind: 'invalid-input',
    message,
    provider: acmeProvider,
    operation: 'validate',
    path,
  });
}
