/**
 * What went wrong, as a closed set every provider maps its cloud's errors onto.
 * The executor decides on retries from `retryable`, never from the kind alone.
 */
export type FailoverErrorKind =
  | 'throttled'
  | 'not-found'
  | 'conflict'
  | 'precondition-failed'
  | 'timeout'
  | 'unauthorized'
  | 'invalid-input'
  | 'unavailable'
  | 'cancelled'
  | 'unsupported'
  | 'unexpected';

/** Whether a retry can help, when the provider has nothing more specific to say. */
export const defaultRetryable: Readonly<Record<FailoverErrorKind, boolean>> = {
  throttled: true,
  unavailable: true,
  timeout: false,
  conflict: false,
  'not-found': false,
  'precondition-failed': false,
  unauthorized: false,
  'invalid-input': false,
  cancelled: false,
  unsupported: false,
  unexpected: false,
};
