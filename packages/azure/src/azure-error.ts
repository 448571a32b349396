import { FailoverError, type FailoverErrorKind, redact, toFailoverError } from '@failover/core';
import { armOperation } from './azure-operation-name.js';
import { retryAfterMs } from './azure-retry-after.js';

/** The fields of an Azure `RestError` we read (duck-typed: no SDK import just to map errors). */
interface RestErrorLike {
  name: string;
  message: string;
  code?: string;
  statusCode?: number;
  response?: { headers?: { get(name: string): string | undefined } };
  request?: { method?: string; url?: string };
}

const statusKinds: ReadonlyArray<[(status: number) => boolean, FailoverErrorKind]> = [
  [(status) => status === 429, 'throttled'],
  [(status) => status === 404, 'not-found'],
  [(status) => status === 409 || status === 412, 'conflict'],
  [(status) => status === 401 || status === 403, 'unauthorized'],
  [(status) => status === 408 || status >= 500, 'unavailable'],
  [(status) => status >= 400 && status < 500, 'invalid-input'],
];

// Node socket errors the SDK gives up on: the service may simply be unreachable for now.
const networkCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

/**
 * The one place where Azure errors become `FailoverError`s: `RestError` by
 * HTTP status (429 throttled with its Retry-After, 404 not-found, 409/412
 * conflict, 401/403 unauthorized, other 4xx invalid-input, 5xx and 408
 * unavailable), socket errors unavailable, credential failures unauthorized,
 * aborts cancelled. Messages are redacted; the raw error stays as `cause`.
 */
export function toAzureError(thrown: unknown, provider: string, operation: string): FailoverError {
  if (FailoverError.isInstance(thrown)) return thrown;
  if (isAbort(thrown)) return toFailoverError(thrown, provider, operation);
  const error = thrown as Partial<RestErrorLike> | undefined;

  if (error && typeof error === 'object' && error.name === 'RestError') {
    const status = typeof error.statusCode === 'number' ? error.statusCode : undefined;
    if (status === undefined) {
      return networkError(error as RestErrorLike, provider, operation);
    }
    const kind = statusKinds.find(([matches]) => matches(status))?.[1] ?? 'unexpected';
    const wait = retryAfterMs(error.response?.headers);
    const request =
      error.request?.method && error.request.url
        ? armOperation(error.request.method, error.request.url)
        : undefined;
    return new FailoverError({
      kind,
      message: `${operation}: ${request ? `${request.operation} ` : ''}failed with HTTP ${status}${error.code ? ` ${error.code}` : ''}: ${error.message ?? ''}`,
      provider,
      operation,
      ...(wait !== undefined && { retryAfterMs: wait }),
      cause: sanitised(error as RestErrorLike),
    });
  }
  if (error && typeof error === 'object' && isCredentialError(error as RestErrorLike)) {
    return new FailoverError({
      kind: 'unauthorized',
      message: `${operation} could not get an Azure token: ${(error as RestErrorLike).message}`,
      provider,
      operation,
      cause: sanitised(error as RestErrorLike),
    });
  }
  if (error && typeof error === 'object' && networkCodes.has(String((error as RestErrorLike).code))) {
    return networkError(error as RestErrorLike, provider, operation);
  }
  return toFailoverError(thrown, provider, operation);
}

/** A long-running operation that ARM reports `Failed` or `Canceled`: the service refused the change. */
export function lroFailed(
  provider: string,
  operation: string,
  detail: string,
  cause?: unknown,
): FailoverError {
  return new FailoverError({
    kind: 'precondition-failed',
    message: `${operation} failed in Azure: ${detail}`,
    provider,
    operation,
    retryable: false,
    cause,
  });
}

function networkError(error: RestErrorLike, provider: string, operation: string): FailoverError {
  return new FailoverError({
    kind: 'unavailable',
    message: `${operation} could not reach Azure${error.code ? ` (${error.code})` : ''}: ${error.message}`,
    provider,
    operation,
    cause: sanitised(error),
  });
}

function isCredentialError(error: RestErrorLike): boolean {
  return (
    error.name === 'CredentialUnavailableError' ||
    error.name === 'AuthenticationRequiredError' ||
    error.name === 'AuthenticationError' ||
    error.name === 'AggregateAuthenticationError'
  );
}

function isAbort(value: unknown): boolean {
  return value instanceof Error && (value.name === 'AbortError' || value.name === 'TimeoutError');
}

/**
 * The cause we keep: name, code, status and a redacted message. `RestError`
 * already sanitises its request, but the request object holds headers we never
 * want serialised by accident, so it is left out.
 */
function sanitised(error: RestErrorLike): Error & { code?: string; statusCode?: number } {
  const copy = new Error(redact(error.message ?? '')) as Error & { code?: string; statusCode?: number };
  copy.name = error.name;
  if (error.code !== undefined) copy.code = error.code;
  if (error.statusCode !== undefined) copy.statusCode = error.statusCode;
  return copy;
}
