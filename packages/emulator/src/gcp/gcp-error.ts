import type { EmulatorResponse, ServiceErrorKind } from '../server/emulator-types.js';

// The canonical status word Google's JSON APIs put beside each HTTP code.
const statusWords: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  405: 'INVALID_ARGUMENT',
  409: 'ABORTED',
  412: 'FAILED_PRECONDITION',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

const defaultReasons: Record<number, string> = {
  400: 'invalid',
  401: 'required',
  403: 'forbidden',
  404: 'notFound',
  405: 'badRequest',
  409: 'conflict',
  412: 'conditionNotMet',
  429: 'rateLimitExceeded',
  500: 'backendError',
  503: 'backendError',
};

export interface GoogleErrorOptions {
  /** The `errors[].reason`, e.g. `notFound`, `alreadyExists`. */
  reason?: string;
  /** Overrides the canonical status word, e.g. `ALREADY_EXISTS` with 409. */
  status?: string;
  /** The `errors[].domain`. Default `global` (`usageLimits` for throttling). */
  domain?: string;
  headers?: Record<string, string>;
  /** `google.rpc` detail messages, e.g. a `RetryInfo`. */
  details?: Array<Record<string, unknown>>;
}

/** A Google JSON API error: `{ error: { code, message, errors: [{ domain, reason, message }], status } }`. */
export function googleError(
  code: number,
  message: string,
  options: GoogleErrorOptions = {},
): EmulatorResponse {
  const reason = options.reason ?? defaultReasons[code] ?? 'unknown';
  const domain = options.domain ?? (code === 429 ? 'usageLimits' : 'global');
  return {
    status: code,
    headers: options.headers,
    body: {
      error: {
        code,
        message,
        errors: [{ message, domain, reason }],
        status: options.status ?? statusWords[code] ?? 'UNKNOWN',
        ...(options.details && { details: options.details }),
      },
    },
  };
}

/** The response every Google service gives for an injected fault or an unparseable request. */
export function googleFaultResponse(
  kind: ServiceErrorKind,
  detail: { message: string; retryAfterSeconds?: number },
): EmulatorResponse {
  if (kind === 'throttled') {
    // Google says how long to back off in a google.rpc.RetryInfo detail, not in a
    // Retry-After header (which gaxios would ignore anyway).
    return googleError(429, `Quota exceeded: ${detail.message}`, {
      reason: 'rateLimitExceeded',
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.RetryInfo',
          retryDelay: `${detail.retryAfterSeconds ?? 1}s`,
        },
      ],
    });
  }
  if (kind === 'server-error') return googleError(503, detail.message, { reason: 'backendError' });
  return googleError(400, detail.message, { reason: 'parseError' });
}

export const notFound = (message: string): EmulatorResponse => googleError(404, message);
export const invalid = (message: string, reason = 'invalid'): EmulatorResponse =>
  googleError(400, message, { reason });
