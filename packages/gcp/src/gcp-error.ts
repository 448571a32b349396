import { FailoverError, type FailoverErrorKind, redact, toFailoverError } from '@failover/core';

/**
 * What is kept of a Google API error as the `cause`: status, reason and message.
 * Never the request config, whose headers carry the bearer token.
 */
export interface GcpErrorCause {
  httpStatus?: number;
  /** Canonical status word, e.g. `RESOURCE_EXHAUSTED`. */
  status?: string;
  /** `errors[0].reason`, e.g. `conditionNotMet`. */
  reason?: string;
  /** Network error code, e.g. `ECONNRESET`. */
  code?: string;
  message: string;
}

interface GoogleErrorBody {
  code?: number;
  message?: string;
  status?: string;
  errors?: Array<{ reason?: string; message?: string }>;
  details?: Array<Record<string, unknown>>;
}

const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
]);

// Another operation holds the resource: Cloud SQL says 409 operationInProgress,
// GKE 400 FAILED_PRECONDITION "incompatible operation ... wait and try again".
const busyPattern = /operation.*(in progress|incompatible)|wait and try again/i;

/**
 * The one place Google API failures become `FailoverError`s: 429 /
 * RESOURCE_EXHAUSTED is `throttled` (with the RetryInfo delay), 404 `not-found`,
 * 409 / ABORTED / ALREADY_EXISTS `conflict`, 412 / FAILED_PRECONDITION
 * `precondition-failed`, 401 / 403 `unauthorized`, other 4xx `invalid-input`,
 * 5xx and network failures `unavailable`. Messages are redacted.
 */
export function mapGcpError(thrown: unknown, provider: string, operation: string): FailoverError {
  if (FailoverError.isInstance(thrown)) return thrown;
  const error = thrown as {
    name?: string;
    message?: string;
    code?: unknown;
    status?: number;
    response?: { status?: number; data?: unknown; headers?: unknown };
  } | null;
  if (typeof error !== 'object' || error === null) return toFailoverError(thrown, provider, operation);

  const inner = (error as { error?: { name?: string } }).error?.name;
  const timeoutMs = (error as { config?: { timeout?: unknown } }).config?.timeout;
  if (
    error.response === undefined &&
    typeof timeoutMs === 'number' &&
    timeoutMs > 0 &&
    isAbort(error.name, inner)
  ) {
    // gaxios enforces `timeout` by aborting the request: the network was too slow, nobody cancelled.
    const cause: GcpErrorCause = { message: redact(error.message ?? 'timeout') };
    return new FailoverError({
      kind: 'unavailable',
      message: `${operation}: no response within ${timeoutMs} ms.`,
      provider,
      operation,
      cause,
    });
  }
  if (isAbort(error.name, inner) || error.code === 'ABORT_ERR') {
    return new FailoverError({
      kind: 'cancelled',
      message: `${operation} was cancelled.`,
      provider,
      operation,
    });
  }

  const httpStatus = error.response?.status ?? (typeof error.status === 'number' ? error.status : undefined);
  const body = googleBody(error.response?.data);
  const code = typeof error.code === 'string' ? error.code : undefined;

  if (httpStatus === undefined) {
    const message = error.message ?? String(thrown);
    if (code !== undefined && networkCodes.has(code)) {
      return failure('unavailable', `${operation}: the Google API could not be reached (${code}).`, {
        code,
        message: redact(message),
      });
    }
    // googleapis-common checks required path parameters before sending anything.
    if (/^Missing required parameters/.test(message)) {
      return failure('invalid-input', `${operation}: ${message}`, { message: redact(message) });
    }
    return toFailoverError(thrown, provider, operation);
  }

  const status = body?.status;
  const reason = body?.errors?.[0]?.reason;
  const message = body?.message ?? error.message ?? `HTTP ${httpStatus}`;
  const cause: GcpErrorCause = {
    httpStatus,
    message: redact(message),
    ...(status !== undefined && { status }),
    ...(reason !== undefined && { reason }),
  };
  const text = `${operation} failed: ${httpStatus}${status ? ` ${status}` : ''}: ${message}`;
  const kind = kindOf(httpStatus, status);
  if (kind === 'throttled') {
    const retryAfterMs = retryDelayMs(body, error.response?.headers);
    return new FailoverError({
      kind,
      message: text,
      provider,
      operation,
      cause,
      ...(retryAfterMs !== undefined && { retryAfterMs }),
    });
  }
  if (
    (kind === 'conflict' || kind === 'precondition-failed' || kind === 'invalid-input') &&
    busyPattern.test(message)
  ) {
    return failure('conflict', text, cause, true);
  }
  return failure(kind, text, cause);

  function failure(kind: FailoverErrorKind, message: string, cause: GcpErrorCause, retryable?: boolean) {
    return new FailoverError({
      kind,
      message,
      provider,
      operation,
      cause,
      ...(retryable !== undefined && { retryable }),
    });
  }
}

const isAbort = (...names: Array<string | undefined>) =>
  names.some((name) => name === 'AbortError' || name === 'TimeoutError');

/** One error of a finished long-running operation (Cloud SQL `error.errors[]`, GKE `error`). */
export interface GcpOperationError {
  /** Cloud SQL: a code word such as `SWITCHOVER_TIMEOUT`; GKE: a google.rpc code number. */
  code?: string | number | null;
  message?: string | null;
}

/**
 * A long-running operation that ended DONE with an error: the request was
 * accepted, the work failed. The kind follows the error code where it says
 * something (quota, permission, state, transient), else `unexpected`.
 */
export function operationFailure(
  provider: string,
  operation: string,
  name: string,
  errors: GcpOperationError[],
): FailoverError {
  const first = errors[0] ?? {};
  const detail = errors
    .map((e) =>
      [e.code, e.message].filter((part) => part !== undefined && part !== null && part !== '').join(': '),
    )
    .join('; ');
  return new FailoverError({
    kind: operationKind(first.code),
    message: `Operation ${name} (${operation}) failed: ${detail || 'no error detail'}.`,
    provider,
    operation,
    cause: {
      message: detail,
      ...(first.code !== undefined && first.code !== null && { status: String(first.code) }),
    },
  });
}

// google.rpc.Code numbers, as GKE operation errors carry them.
const rpcCodes: Record<number, FailoverErrorKind> = {
  1: 'cancelled',
  3: 'invalid-input',
  4: 'unavailable',
  5: 'not-found',
  6: 'conflict',
  7: 'unauthorized',
  8: 'throttled',
  9: 'precondition-failed',
  10: 'conflict',
  13: 'unavailable',
  14: 'unavailable',
  16: 'unauthorized',
};

function operationKind(code: GcpOperationError['code']): FailoverErrorKind {
  if (typeof code === 'number') return rpcCodes[code] ?? 'unexpected';
  const word = String(code ?? '').toUpperCase();
  if (/QUOTA|RESOURCE_EXHAUSTED|RATE_LIMIT/.test(word)) return 'throttled';
  if (/NOT_AUTHORIZED|PERMISSION|FORBIDDEN/.test(word)) return 'unauthorized';
  if (/NOT_FOUND|DOES_NOT_EXIST/.test(word)) return 'not-found';
  if (/INVALID|BAD_REQUEST/.test(word)) return 'invalid-input';
  if (/TIMEOUT|LAG|CATCH_UP|STATE|PRECONDITION|NOT_READY/.test(word)) return 'precondition-failed';
  if (/INTERNAL|UNKNOWN|UNAVAILABLE|TRANSIENT/.test(word)) return 'unavailable';
  return 'unexpected';
}

function kindOf(httpStatus: number, status: string | undefined): FailoverErrorKind {
  if (httpStatus === 429 || status === 'RESOURCE_EXHAUSTED') return 'throttled';
  if (httpStatus === 401 || httpStatus === 403) return 'unauthorized';
  if (httpStatus === 404) return 'not-found';
  if (httpStatus === 409 || status === 'ABORTED' || status === 'ALREADY_EXISTS') return 'conflict';
  if (httpStatus === 412 || status === 'FAILED_PRECONDITION') return 'precondition-failed';
  if (httpStatus === 408 || httpStatus >= 500) return 'unavailable';
  if (httpStatus >= 400) return 'invalid-input';
  return 'unexpected';
}

function googleBody(data: unknown): GoogleErrorBody | undefined {
  let parsed = data;
  if (typeof data === 'string') {
    try {
      parsed = JSON.parse(data);
    } catch {
      return undefined;
    }
  }
  const error = (parsed as { error?: unknown } | null)?.error;
  return typeof error === 'object' && error !== null ? (error as GoogleErrorBody) : undefined;
}

/** The back-off the service asked for: a google.rpc.RetryInfo `retryDelay`, else a Retry-After header. */
function retryDelayMs(body: GoogleErrorBody | undefined, headers: unknown): number | undefined {
  for (const detail of body?.details ?? []) {
    if (String(detail['@type'] ?? '').endsWith('google.rpc.RetryInfo')) {
      const match = /^(\d+(?:\.\d+)?)s$/.exec(String(detail.retryDelay ?? ''));
      if (match) return Math.round(Number(match[1]) * 1000);
    }
  }
  const header =
    headers instanceof Headers
      ? headers.get('retry-after')
      : ((headers as Record<string, unknown> | undefined)?.['retry-after'] as string | undefined);
  if (header === undefined || header === null) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && header !== '' ? Math.max(0, seconds * 1000) : undefined;
}
