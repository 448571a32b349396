import { FailoverError } from '../errors/failover-error.js';

/** A condition that does not hold, or an approval that was not given: not retryable. */
export function preconditionFailed(stepId: string, operation: string, message: string): FailoverError {
  return new FailoverError({
    kind: 'precondition-failed',
    message,
    provider: 'executor',
    operation,
    retryable: false,
    path: `step ${stepId}`,
  });
}

/** A step that passed its deadline, all attempts included. */
export function stepTimedOut(
  stepId: string,
  timeoutMs: number,
  lastStatus?: string,
  lastError?: FailoverError,
): FailoverError {
  const detail = lastStatus
    ? ` Last observed: ${lastStatus}.`
    : lastError
      ? ` Last error: ${lastError.message}`
      : '';
  return new FailoverError({
    kind: 'timeout',
    message: `Step ${stepId} did not finish within ${timeoutMs} ms.${detail}`,
    provider: 'executor',
    operation: 'step',
    retryable: false,
    cause: lastError,
  });
}
