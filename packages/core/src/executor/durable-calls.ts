import { FailoverError, type SerializedFailoverError } from '../errors/failover-error.js';
import type { ApiCall } from '../providers/call-options.js';
import { err, ok, type Result } from '../result.js';

/**
 * A provider call's outcome as a durable-execution engine keeps it: plain JSON,
 * with the API requests the call reported, so a replay counts them again.
 */
export type RecordedCall =
  | { ok: true; value: unknown; apiCalls: ApiCall[] }
  | { ok: false; error: SerializedFailoverError; apiCalls: ApiCall[] };

/**
 * Makes each provider call of a run a durable side effect of a workflow engine
 * (Restate's `ctx.run`, say): a call whose outcome was recorded is not made again
 * when the run is replayed on another machine, and the recorded outcome is
 * returned instead. A call in flight when its machine died is made again, which
 * is safe because every provider method is idempotent (an `ensure` observes first
 * and finds the operation it started).
 *
 * The engine must replay calls in the order the run made them; the executor makes
 * them in an order fixed by the plan and the recorded outcomes, as long as its
 * clock, sleeps, random source, approvals and probes are the engine's too.
 */
export interface DurableCalls {
  /**
   * Runs `call` at most once to completion across replays; `name` labels it
   * (`aws-aurora.ensureWriter`). `signal` is the call's: an engine may journal whether
   * it had aborted (the step's deadline passed during the call), so that a replay,
   * which gets the outcome at once, waits for the same abort before going on.
   */
  record(name: string, call: () => Promise<RecordedCall>, signal?: AbortSignal): Promise<RecordedCall>;
  /**
   * Optional: the run's waits between calls (retry backoffs, poll intervals, `wait`
   * steps, rollback pauses) as durable timers, so a replay does not wait again and a
   * wait cut by a crash goes on for what is left. Resolves early when `signal` aborts,
   * as `Time.sleep` does. The executor's step deadlines do not go through it: their
   * timer runs while a call is in flight, and keeps `RunOptions.time`.
   */
  sleep?(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The recorded form of a provider result (Maps, Dates and `undefined` survive the JSON round trip). */
export function recordCall(result: Result<unknown, FailoverError>, apiCalls: ApiCall[]): RecordedCall {
  if (result.isOk()) return { ok: true, value: encodeValue(result.value), apiCalls };
  return { ok: false, error: result.error.toJSON(), apiCalls };
}

/** The provider result a recorded call stands for. */
export function replayCall<T>(recorded: RecordedCall): Result<T, FailoverError> {
  if (recorded.ok) return ok(decodeValue(recorded.value) as T);
  return err(FailoverError.fromJSON(recorded.error));
}

const tag = '$failover';

function encodeValue(value: unknown): unknown {
  if (value === undefined) return { [tag]: 'undefined' };
  if (value instanceof Map)
    return { [tag]: 'map', entries: [...value].map(([k, v]) => [encodeValue(k), encodeValue(v)]) };
  if (value instanceof Date) return { [tag]: 'date', at: value.toISOString() };
  if (Array.isArray(value)) return value.map(encodeValue);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) if (field !== undefined) out[key] = encodeValue(field);
    return out;
  }
  return value;
}

function decodeValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeValue);
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  if (record[tag] === 'undefined') return undefined;
  if (record[tag] === 'map')
    return new Map(
      (record.entries as [unknown, unknown][]).map(([k, v]) => [decodeValue(k), decodeValue(v)]),
    );
  if (record[tag] === 'date') return new Date(record.at as string);
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(record)) out[key] = decodeValue(field);
  return out;
}
