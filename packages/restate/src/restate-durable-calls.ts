import { cancelledError, type DurableCalls, type RecordedCall, realTime } from '@failover/core';
import type * as restate from '@restatedev/restate-sdk';
import type { ClockSource, DurableClock } from './durable-clock.js';
import type { RunCancellation } from './run-cancellation.js';

/** What the journal keeps of one provider call: its outcome, when it ended, and which worker made it. */
interface JournaledCall {
  outcome: RecordedCall;
  at: number;
  worker: string;
  /** The call's signal had aborted when it ended (its step's deadline passed during it). */
  aborted?: boolean;
}

/** What the journal keeps of one wait: whether it ran its course (else an abort cut it short). */
interface JournaledSleep {
  slept: boolean;
}

/** The run's durable calls and waits, and the queue they share. */
export interface RestateDurableCalls extends DurableCalls {
  /** The workers that made the run's calls, in order (one per stretch). */
  readonly workers: readonly string[];
  /** Runs one durable operation in the queue of the calls: the handler awaits one at a time. */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  /** `sleep`, answering whether the wait ran its course (false: an abort cut it, the same on replay). */
  wait(ms: number, signal?: AbortSignal): Promise<boolean>;
}

/**
 * Each provider call is one `ctx.run`: Restate journals its outcome before the run goes
 * on, and a replay on another worker gets the outcome back instead of calling again.
 * `workers` lists, in order, the workers that made the run's calls (replayed ones
 * included), so a run that moved between workers says so.
 *
 * A cancellation of the run that arrives while a call is awaited aborts the run
 * (`cancellation`) and the call ends `cancelled`, as a call does when the local
 * executor's signal aborts; the request it sent, if any, may still be applied.
 */
export function restateDurableCalls(
  ctx: restate.Context,
  clock: DurableClock,
  source: ClockSource,
  workerId: string,
  cancellation?: RunCancellation,
  timeScale = 1,
): RestateDurableCalls {
  const workers: string[] = [];
  // One ctx.run at a time: the SDK lets a handler await one durable operation at once,
  // and the executor's pre-check pass reads several steps together. Queued in call order,
  // which the executor makes the same on every replay.
  let previous: Promise<unknown> = Promise.resolve();
  const enqueue = <T>(work: () => Promise<T>): Promise<T> => {
    const done = previous.then(work);
    previous = done.catch(() => undefined);
    return done;
  };
  const wait = (ms: number, signal?: AbortSignal): Promise<boolean> => {
    if (ms <= 0 || Number.isNaN(ms)) return Promise.resolve(signal?.aborted !== true);
    const wakeAt = clock.time.now() + ms;
    return enqueue(async () => {
      let journaled: JournaledSleep;
      try {
        journaled = await ctx.run<JournaledSleep>(`sleep ${ms} ms`, async () => {
          const left = wakeAt - source.now();
          if (left > 0) await realTime.sleep(Math.max(1, Math.round(left / timeScale)), signal);
          return { slept: signal?.aborted !== true };
        });
      } catch (thrown) {
        if (cancellation?.caught(thrown)) return false;
        throw thrown;
      }
      if (journaled.slept) {
        clock.observe(wakeAt);
        return true;
      }
      await abortOf(signal);
      return false;
    });
  };
  return {
    workers,
    exclusive: enqueue,
    wait,
    record(name, call, signal) {
      return enqueue(async (): Promise<RecordedCall> => {
        let journaled: JournaledCall;
        try {
          journaled = await ctx.run<JournaledCall>(name, async () => {
            const outcome = await call();
            return {
              outcome,
              at: source.now(),
              worker: workerId,
              ...(signal?.aborted && { aborted: true }),
            };
          });
        } catch (thrown) {
          if (!cancellation?.caught(thrown)) throw thrown;
          return { ok: false, error: cancelledError('restate', name, thrown).toJSON(), apiCalls: [] };
        }
        clock.observe(journaled.at);
        if (workers.at(-1) !== journaled.worker) workers.push(journaled.worker);
        // A deadline passed during the call: a replay, which gets here at once, waits for
        // the same abort, so the executor reads the outcome as the first execution did.
        if (journaled.aborted) await abortOf(signal);
        return journaled.outcome;
      });
    },

    /**
     * A wait of the run (a retry backoff, a poll interval, a `wait` step) as one journaled
     * `ctx.run`, queued with the calls: a replay gets its outcome back without waiting again,
     * and a worker that took over a wait cut by a crash waits only what is left, because
     * the wake-up time is fixed on the run's clock, the same on every replay. Whether an
     * abort (the step's deadline, a cancel) cut it short is journaled too: a replay that
     * finds it was cut waits for the same abort, so it goes on exactly as the first
     * execution did. Not `ctx.sleep`: that timer cannot be cut short by the executor's
     * abort without the handler awaiting two durable operations at once (see docs/durable-runs.md).
     */
    async sleep(ms, signal) {
      await wait(ms, signal);
    },
  };
}

/** Resolves once `signal` has aborted (at once if it has, or if there is none). */
function abortOf(signal: AbortSignal | undefined): Promise<void> {
  if (!signal || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
