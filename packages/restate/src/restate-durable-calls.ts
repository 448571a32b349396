import { cancelledError, type DurableCalls, type RecordedCall } from '@failover/core';
import type * as restate from '@restatedev/restate-sdk';
import type { ClockSource, DurableClock } from './durable-clock.js';
import type { RunCancellation } from './run-cancellation.js';

/** What the journal keeps of one provider call: its outcome, when it ended, and which worker made it. */
interface JournaledCall {
  outcome: RecordedCall;
  at: number;
  worker: string;
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
): DurableCalls & { readonly workers: readonly string[] } {
  const workers: string[] = [];
  // One ctx.run at a time: the SDK lets a handler await one durable operation at once,
  // and the executor's pre-check pass reads several steps together. Queued in call order,
  // which the executor makes the same on every replay.
  let previous: Promise<unknown> = Promise.resolve();
  return {
    workers,
    record(name, call) {
      const recorded = previous.then(async (): Promise<RecordedCall> => {
        let journaled: JournaledCall;
        try {
          journaled = await ctx.run<JournaledCall>(name, async () => {
            const outcome = await call();
            return { outcome, at: source.now(), worker: workerId };
          });
        } catch (thrown) {
          if (!cancellation?.caught(thrown)) throw thrown;
          return { ok: false, error: cancelledError('restate', name, thrown).toJSON(), apiCalls: [] };
        }
        clock.observe(journaled.at);
        if (workers.at(-1) !== journaled.worker) workers.push(journaled.worker);
        return journaled.outcome;
      });
      previous = recorded.catch(() => undefined);
      return recorded;
    },
  };
}
