import type { Time } from '../time/time.js';

/**
 * A pause shared by every call to one cloud account: when the service throttles
 * one request, the others hold off for the same while instead of spending the
 * account's rate budget on requests that would be throttled too.
 */
export interface SharedBackoff {
  /** Resolves once no pause is in force (at once when none is); early when the signal aborts. */
  wait(signal?: AbortSignal): Promise<void>;
  /** Starts (or lengthens) a pause of `ms` from now. */
  hold(ms: number): void;
}

/** A `SharedBackoff` on the injected clock. */
export function createSharedBackoff(time: Time): SharedBackoff {
  let until = Number.NEGATIVE_INFINITY;
  return {
    async wait(signal) {
      for (;;) {
        const left = until - time.now();
        if (left <= 0 || signal?.aborted) return;
        await time.sleep(left, signal);
      }
    },
    hold(ms) {
      if (ms > 0 && Number.isFinite(ms)) until = Math.max(until, time.now() + ms);
    },
  };
}
