import { setMaxListeners } from 'node:events';
import { offAbort, onAbort } from '../time/abort-fan-out.js';
import type { CallScope } from './run-context.js';
import type { StepRun } from './step-run.js';

/**
 * The scope of one batch call: the first member's call tally, the earliest deadline
 * (no member is kept past its own), and a signal that aborts once every member stopped.
 */
export function batchScope(runs: readonly StepRun[]): { scope: CallScope; release: () => void } {
  const [first] = runs;
  const controller = new AbortController();
  // The provider may pass the signal to many requests of the batch at once.
  setMaxListeners(0, controller.signal);
  let running = runs.length;
  let deadline = Number.POSITIVE_INFINITY;
  const stopped = () => {
    if (--running === 0) controller.abort(first!.signal.reason);
  };
  for (const run of runs) {
    onAbort(run.signal, stopped);
    deadline = Math.min(deadline, run.deadline);
  }
  return {
    scope: {
      ctx: first!.ctx,
      stepId: first!.stepId,
      signal: controller.signal,
      deadline,
      calls: first!.calls,
    },
    release: () => {
      for (const run of runs) offAbort(run.signal, stopped);
    },
  };
}
