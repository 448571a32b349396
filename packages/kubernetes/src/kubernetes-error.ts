import { FailoverError, type FailoverErrorKind, redact, toFailoverError } from '@failover/core';

/**
 * What is kept of a Kubernetes API error as the `cause`: the HTTP status and
 * the `Status` reason and message. Never the request, whose headers carry the token.
 */
export interface KubernetesErrorCause {
  httpStatus?: number;
  /** `Status.reason`, e.g. `NotFound`, `Conflict`. */
  reason?: string;
  /** Network error code, e.g. `ECONNREFUSED`. */
  code?: string;
  message: string;
}

const networkCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * The one place Kubernetes API failures become `FailoverError`s: 404
 * `not-found`, 409 `conflict`, 401 / 403 `unauthorized`, 429 `throttled` and
 * 5xx `unavailable` (both retryable, with `Retry-After`), other 4xx
 * `invalid-input`, network failures `unavailable`. Messages are redacted.
 */
export function mapKubernetesError(thrown: unknown, provider: string, operation: string): FailoverError {
  if (FailoverError.isInstance(thrown)) return thrown;
  const error = thrown as {
    name?: string;
    code?: unknown;
    body?: unknown;
    headers?: Record<string, string>;
    message?: string;
  } | null;
  if (typeof error !== 'object' || error === null) return toFailoverError(thrown, provider, operation);

  if (typeof error.code === 'number') {
    const status = error.code;
    const body = statusBody(error.body);
    const cause: KubernetesErrorCause = {
      httpStatus: status,
      ...(body.reason !== undefined && { reason: body.reason }),
      message: redact(body.message ?? `HTTP ${status}`),
    };
    const retryAfterMs = retryAfter(error.headers);
    return new FailoverError({
      kind: kindFor(status),
      message: `${operation}: ${cause.message}`,
      provider,
      operation,
      ...(retryAfterMs !== undefined && { retryAfterMs }),
      cause,
    });
  }
  const code = typeof error.code === 'string' ? error.code : undefined;
  const nested = (error as { cause?: { code?: unknown } }).cause?.code;
  const networkCode = code ?? (typeof nested === 'string' ? nested : undefined);
  if ((networkCode && networkCodes.has(networkCode)) || error.name === 'FetchError') {
    const cause: KubernetesErrorCause = {
      ...(networkCode && { code: networkCode }),
      message: redact(error.message ?? 'network error'),
    };
    return new FailoverError({
      kind: 'unavailable',
      message: `${operation}: the API server could not be reached (${networkCode ?? 'network error'}).`,
      provider,
      operation,
      cause,
    });
  }
  return toFailoverError(thrown, provider, operation);
}

function kindFor(status: number): FailoverErrorKind {
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 429) return 'throttled';
  if (status >= 500) return 'unavailable';
  return 'invalid-input';
}

/** The client hands the body over parsed, or as a string when it could not parse it. */
function statusBody(body: unknown): { reason?: string; message?: string } {
  let value = body;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return { message: String(body).slice(0, 200) };
    }
  }
  if (typeof value !== 'object' || value === null) return {};
  const { reason, message } = value as { reason?: unknown; message?: unknown };
  return {
    ...(typeof reason === 'string' && { reason }),
    ...(typeof message === 'string' && { message }),
  };
}

/** `Retry-After` in seconds or as an HTTP date, in milliseconds. */
function retryAfter(headers: Record<string, string> | undefined): number | undefined {
  if (!headers) return undefined;
  const entry = Object.entries(headers).find(([name]) => name.toLowerCase() === 'retry-after');
  if (!entry) return undefined;
  const seconds = Number(entry[1]);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(entry[1]);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
