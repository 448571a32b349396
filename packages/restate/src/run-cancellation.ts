import * as restate from '@restatedev/restate-sdk';

/** The durable promise that marks a run as asked to stop (by the `cancel` handler). */
export const cancelPromiseName = 'cancel';

/** What the `cancel` promise holds: who asked. */
export interface CancelRequest {
  by?: string;
}

/**
 * The run's abort signal, fed by Restate's own cancellation of the `run` invocation
 * (the `cancel` handler, the admin API, `restate invocations cancel`). The SDK surfaces
 * a cancellation as a `CancelledError` rejecting the durable operation the handler
 * awaits; `caught` turns it into an abort of the signal given to `runPlan`, so the run
 * ends as the executor ends any cancelled run (it stops waiting, rolls nothing back),
 * and the handler carries on to journal that outcome.
 */
export interface RunCancellation {
  readonly signal: AbortSignal;
  /** True (and the run is aborted) if `thrown` is Restate's cancellation. */
  caught(thrown: unknown): boolean;
  /** Aborts the run (a cancel asked for before it started). */
  abort(): void;
}

export function runCancellation(): RunCancellation {
  const controller = new AbortController();
  const abort = () => {
    if (!controller.signal.aborted) controller.abort(new Error('The run was cancelled through Restate.'));
  };
  return {
    signal: controller.signal,
    caught(thrown) {
      if (!(thrown instanceof restate.CancelledError)) return false;
      abort();
      return true;
    },
    abort,
  };
}
