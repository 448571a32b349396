import { defaultRetryable, type FailoverErrorKind } from './failover-error-kind.js';
import { redact } from './redact.js';

const marker = Symbol.for('@failover/core/FailoverError');

/** What a `FailoverError` is built from. */
export interface FailoverErrorOptions {
  kind: FailoverErrorKind;
  message: string;
  /** Who failed, e.g. `aws.route53`, `azure.sql`, `executor`, `plan`. */
  provider: string;
  /** The operation that failed, e.g. `ChangeResourceRecordSets`, `validate`. */
  operation: string;
  /** Defaults to the kind's usual answer (`throttled` and `unavailable` retry). */
  retryable?: boolean;
  /** The service asked us to wait at least this long before retrying. */
  retryAfterMs?: number;
  /** For `invalid-input`: where the bad value is, e.g. `steps[3].timeoutMs`. */
  path?: string;
  /** The original error, kept for debugging; only a redacted summary is ever serialised. */
  cause?: unknown;
}

/**
 * The one error type that crosses a package boundary. Every provider call and
 * every executor result fails with it, never with a raw SDK or runtime error.
 */
export class FailoverError extends Error {
  override readonly name = 'FailoverError';
  readonly kind: FailoverErrorKind;
  readonly provider: string;
  readonly operation: string;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly path?: string;

  constructor(options: FailoverErrorOptions) {
    super(redact(options.message), { cause: options.cause });
    Object.defineProperty(this, marker, { value: true });
    this.kind = options.kind;
    this.provider = options.provider;
    this.operation = options.operation;
    this.retryable = options.retryable ?? defaultRetryable[options.kind];
    if (options.retryAfterMs !== undefined) this.retryAfterMs = Math.max(0, options.retryAfterMs);
    if (options.path !== undefined) this.path = options.path;
  }

  /** True for any `FailoverError`, even one from another copy of this package. */
  static isInstance(value: unknown): value is FailoverError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
  }

  /** A JSON-safe, redacted view: what events, journals and reports store. */
  toJSON(): SerializedFailoverError {
    return {
      kind: this.kind,
      message: this.message,
      provider: this.provider,
      operation: this.operation,
      retryable: this.retryable,
      ...(this.retryAfterMs !== undefined && { retryAfterMs: this.retryAfterMs }),
      ...(this.path !== undefined && { path: this.path }),
      ...(this.cause !== undefined && { cause: describeCause(this.cause) }),
    };
  }

  /** Rebuilds an error read back from a journal or report. */
  static fromJSON(json: SerializedFailoverError): FailoverError {
    return new FailoverError({ ...json, cause: json.cause });
  }
}

/** A `FailoverError` as JSON: what events, journals and reports store (redacted). */
export interface SerializedFailoverError {
  kind: FailoverErrorKind;
  message: string;
  provider: string;
  operation: string;
  retryable: boolean;
  retryAfterMs?: number;
  path?: string;
  cause?: string;
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) return redact(`${cause.name}: ${cause.message}`);
  return redact(typeof cause === 'string' ? cause : safeStringify(cause));
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
