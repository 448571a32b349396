// The flags adapter's one error mapper: whatever a request threw becomes a FailoverError.
import { cancelledError, FailoverError, type FailoverErrorKind } from '@failover/core';
import { AcmeApiError } from './acme-dns-error.js';

export const acmeFlagsProvider = 'acme.flags';

const kinds: Record<number, FailoverErrorKind> = {
  400: 'invalid-input',
  401: 'unauthorized',
  403: 'unauthorized',
  404: 'not-found',
  // The flag moved since we read it (If-Match): someone else is changing it.
  412: 'conflict',
  // Locked: only an operator may change it. Nothing was changed.
  423: 'precondition-failed',
  429: 'throttled',
};

/** Status to kind (`retryable` follows the kind), the service's Retry-After kept, the raw error as `cause`. */
export function toAcmeFlagsError(thrown: unknown, operation: string, signal?: AbortSignal): FailoverError {
  if (signal?.aborted) return cancelledError(acmeFlagsProvider, operation, signal.reason);
  const api = thrown instanceof AcmeApiError ? thrown : undefined;
  const kind = api
    ? (kinds[api.status] ?? (api.status === 0 || api.status >= 500 ? 'unavailable' : 'unexpected'))
    : 'unexpected';
  return new FailoverError({
    kind,
    message: `Acme Flags ${operation}: ${thrown instanceof Error ? thrown.message : String(thrown)}`,
    provider: acmeFlagsProvider,
    operation,
    retryAfterMs: api?.retryAfterMs,
    cause: thrown,
  });
}

/** A refusal found before any request: bad arguments, or a change the service would refuse. */
export function acmeFlagsRefusal(
  kind: 'invalid-input' | 'precondition-failed',
  operation: string,
  message: string,
  path: string,
): FailoverError {
  return new FailoverError({ kind, message, provider: acmeFlagsProvider, operation, path });
}
