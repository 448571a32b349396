import { offAbort, onAbort } from './abort-fan-out.js';

/**
 * A clock and a sleeper, passed in wherever code waits, so a 30-minute
 * simulated failover runs in milliseconds in tests.
 */
export interface Time {
  /** Milliseconds since the epoch on this clock. */
  now(): number;
  /**
   * Resolves after `ms` on this clock, or early (without rejecting) when the
   * signal aborts: callers check `signal.aborted` afterwards.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Wall-clock time. */
export const realTime: Time = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        if (signal) offAbort(signal, done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      if (signal) onAbort(signal, done);
    }),
};
