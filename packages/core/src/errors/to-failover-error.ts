import { FailoverError } from './failover-error.js';

/**
 * Wraps anything thrown where it should not have been (a provider bug, a
 * rejected promise) as an `unexpected` error, so the executor never crashes.
 * A `FailoverError` passes through unchanged.
 */
export function toFailoverError(thrown: unknown, provider: string, operation: string): FailoverError {
  if (FailoverError.isInstance(thrown)) return thrown;
  if (isNamedError(thrown, 'TimeoutError')) {
    return new FailoverError({
      kind: 'timeout',
      message: `${operation} timed out.`,
      provider,
      operation,
      cause: thrown,
    });
  }
  if (isNamedError(thrown, 'AbortError')) {
    return new FailoverError({
      kind: 'cancelled',
      message: 'The operation was aborted.',
      provider,
      operation,
      cause: thrown,
    });
  }
  const detail = thrown instanceof Error ? thrown.message : String(thrown);
  return new FailoverError({
    kind: 'unexpected',
    message: `Unexpected error in ${operation}: ${detail}`,
    provider,
    operation,
    cause: thrown,
  });
}

/** `cancelled`, built the same way everywhere an abort signal fires. */
export function cancelledError(provider: string, operation: string, reason?: unknown): FailoverError {
  return new FailoverError({
    kind: 'cancelled',
    message: `${operation} was cancelled.`,
    provider,
    operation,
    cause: reason,
  });
}

function isNamedError(value: unknown, name: string): boolean {
  return (value instanceof Error || value instanceof DOMException) && value.name === name;
}
