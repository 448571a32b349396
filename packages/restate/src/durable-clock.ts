import { realTime, type Time } from '@failover/core';
import type * as restate from '@restatedev/restate-sdk';
import type { RunCancellation } from './run-cancellation.js';

/** Where a durable run's time comes from: the wall clock, or an emulator's clock in a drill. */
export interface ClockSource {
  now(): number;
}

/** The run's clock, and how a recorded call moves it. */
export interface DurableClock {
  readonly time: Time;
  /** A recorded call ended at `at` (read when it was made, replayed from the journal after). */
  observe(at: number): void;
}

/**
 * A clock that is the same on every replay: it reads the source once, journaled, when
 * the run starts; afterwards it moves only by what the journal holds (the end time
 * recorded with each provider call, the wake-up time of each journaled wait) and by
 * the step deadlines' timers, to exactly the time they were set for. Between those moments the
 * executor's own work takes no time, which is what makes a replay take the same
 * decisions as the first execution.
 *
 * `timeScale` converts a sleep of clock time into real time when the source runs faster
 * than the wall clock (an emulator at 600x): a 30 s poll interval is a 50 ms timer.
 */
export async function createDurableClock(
  ctx: restate.Context,
  source: ClockSource,
  timeScale = 1,
  cancellation?: RunCancellation,
): Promise<DurableClock> {
  const read = () => ctx.run('clock', () => source.now());
  // Cancelled while reading: the run is aborted, and it still needs a clock to end with.
  let now = await read().catch((thrown: unknown) => {
    if (cancellation?.caught(thrown)) return read();
    throw thrown;
  });
  const time: Time = {
    now: () => now,
    async sleep(ms, signal) {
      if (signal?.aborted || ms <= 0) return;
      // A plain timer: only the executor's step deadlines sleep here (its other waits are
      // the journaled sleeps of restateDurableCalls), and a deadline's timer runs while a
      // provider call is in flight, which the calls' queue of ctx.run cannot hold.
      const until = now + ms;
      await realTime.sleep(Math.max(1, Math.round(ms / timeScale)), signal);
      // To the wake-up time, not by ms: calls observed meanwhile moved the clock already, and
      // a replay observes them before this timer fires; max() gives both orders one clock.
      if (!signal?.aborted) now = Math.max(now, until);
    },
  };
  return {
    time,
    observe(at) {
      if (at > now) now = at;
    },
  };
}
