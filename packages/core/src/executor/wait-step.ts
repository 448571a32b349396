import type { FailoverError } from '../errors/failover-error.js';
import type { WaitStep } from '../plan/step.js';
import { ok, type Result } from '../result.js';
import type { StepRun, StepValue } from './step-run.js';

/** Sleeps on the injected clock (a dry-run does not). Aborting wakes it early; the caller reports why. */
export function runWaitStep(run: StepRun, step: WaitStep): Promise<Result<StepValue, FailoverError>> {
  if (run.ctx.dryRun) {
    return Promise.resolve(ok({ changed: false, diff: { type: 'wait', wouldWaitMs: step.durationMs } }));
  }
  return run.ctx.time.sleep(step.durationMs, run.signal).then(() => waited);
}

/** Shared: results are never mutated, and a wait step is the most common step of a large plan. */
const waited: Result<StepValue, FailoverError> = ok(Object.freeze({ changed: false }));
