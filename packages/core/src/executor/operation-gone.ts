import type { FailoverError } from '../errors/failover-error.js';
import type { StepRun } from './step-run.js';

/**
 * A wait that finds no operation behind its handle (it never started: its request failed
 * and its answer was lost with it) errs `not-found` and retryable. The step's next attempt
 * must then observe and ensure again instead of waiting on the same dead handle; ensure
 * observes first, so a change that did happen after all is not made twice.
 */
export function forgetGoneOperation(run: StepRun, error: FailoverError): FailoverError {
  if (error.kind === 'not-found' && error.retryable) run.progress.ensured = undefined;
  return error;
}
