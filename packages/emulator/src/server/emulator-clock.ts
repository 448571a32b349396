/**
 * The emulator's time. With `timeScale` > 0 it runs `timeScale` times faster than
 * the wall clock (1000 makes a 60 s DNS change take 60 ms); with 0 it only moves
 * when advanced, and `sleep()` advances it, so a client waiting on it never waits.
 * It has the shape of `@failover/core`'s `Time`, so adapters can share it.
 *
 * A manual clock suits one waiter at a time (an adapter test polling an operation).
 * With several concurrent waiters, as in `runPlan`, each `sleep` moves time for all
 * of them (a step deadline would fire at once): run plans on a scaled clock.
 */
export interface EmulatorClock {
  /** Emulator time, epoch milliseconds. */
  now(): number;
  /** Waits `ms` of emulator time (real `ms / timeScale`); on a manual clock, advances it at once. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Moves the clock forward by `ms`. */
  advance(ms: number): void;
  /** 0 for a manual or a deterministic clock. */
  readonly timeScale: number;
  /**
   * A deterministic clock (`createDeterministicClock`) only: keeps time still until the
   * returned function is called. The emulator holds it while it answers a request.
   */
  hold?(): () => void;
}

/** A clock `timeScale` times faster than the wall clock (0: manual), starting at `startAt`. */
export function createEmulatorClock(options: { timeScale?: number; startAt?: number } = {}): EmulatorClock {
  const timeScale = options.timeScale ?? 1;
  if (!(timeScale >= 0) || !Number.isFinite(timeScale))
    throw new RangeError('timeScale must be a finite number >= 0');
  const startAt = options.startAt ?? Date.UTC(2026, 0, 1);
  const realStart = performance.now();
  let offset = 0;

  const now = () => Math.floor(startAt + (performance.now() - realStart) * timeScale + offset);
  return {
    now,
    timeScale,
    advance(ms) {
      offset += Math.max(0, ms);
    },
    sleep(ms, signal) {
      if (timeScale === 0 || ms <= 0) {
        if (!signal?.aborted) offset += Math.max(0, ms);
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        if (signal?.aborted) return resolve();
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, ms / timeScale);
        signal?.addEventListener('abort', done, { once: true });
      });
    },
  };
}
