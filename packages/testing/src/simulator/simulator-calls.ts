import type { FailoverErrorKind } from '@failover/core';
import type { CallCounter, SimulatedFault, SimulatedOperation } from './simulator-faults.js';

/** One provider method call, as the world recorded it. */
export interface SimulatedCall {
  /** Order of the call in the world, from 1. */
  readonly seq: number;
  /** Simulated clock time the call was made. */
  readonly at: number;
  /** The provider id the call went through (`sim.dns` unless named). */
  readonly provider: string;
  readonly operation: SimulatedOperation;
  /** The arguments as plain JSON (abort signals and callbacks left out). */
  readonly args: readonly unknown[];
  /** True when the call changed the world (an ensure that had something to do). */
  readonly mutating: boolean;
  /** Simulated clock time the call returned; unset while it runs. */
  readonly endedAt?: number;
  /** `ok`, or the error kind it failed with; unset while it runs. */
  readonly outcome?: 'ok' | FailoverErrorKind;
  /** What was injected into this call, if anything. */
  readonly fault?: SimulatedFault['kind'] | 'region-dark';
}

/** Which calls `world.calls()` and `world.callCounts()` return. Every field narrows. */
export interface SimulatedCallFilter {
  provider?: string;
  operation?: SimulatedOperation | readonly SimulatedOperation[];
  mutating?: boolean;
  outcome?: 'ok' | FailoverErrorKind;
  /** Only calls made at or after this simulated time. */
  since?: number;
}

export type MutableCall = { -readonly [K in keyof SimulatedCall]: SimulatedCall[K] };

export interface CallRecorder extends CallCounter {
  start(provider: string, operation: SimulatedOperation, args: readonly unknown[], at: number): MutableCall;
  list(filter?: SimulatedCallFilter): SimulatedCall[];
  counts(filter?: SimulatedCallFilter): Record<string, number>;
}

export function createCallRecorder(): CallRecorder {
  const calls: MutableCall[] = [];
  const counters = new Map<string, number>();
  const bump = (key: string) => counters.set(key, (counters.get(key) ?? 0) + 1);

  const matches = (call: SimulatedCall, filter: SimulatedCallFilter) => {
    if (filter.provider !== undefined && call.provider !== filter.provider) return false;
    if (filter.operation !== undefined) {
      const wanted = typeof filter.operation === 'string' ? [filter.operation] : filter.operation;
      if (!wanted.includes(call.operation)) return false;
    }
    if (filter.mutating !== undefined && call.mutating !== filter.mutating) return false;
    if (filter.outcome !== undefined && call.outcome !== filter.outcome) return false;
    if (filter.since !== undefined && call.at < filter.since) return false;
    return true;
  };

  const list = (filter: SimulatedCallFilter = {}) =>
    calls.filter((call) => matches(call, filter)).map((call) => ({ ...call }));

  return {
    start(provider, operation, args, at) {
      const call: MutableCall = {
        seq: calls.length + 1,
        at,
        provider,
        operation,
        args: toJson(args),
        mutating: false,
      };
      calls.push(call);
      bump(operation);
      bump(`${provider}\u0000${operation}`);
      return call;
    },
    count: (operation, provider) =>
      counters.get(provider === undefined ? operation : `${provider}\u0000${operation}`) ?? 0,
    list,
    counts(filter) {
      const out: Record<string, number> = {};
      for (const call of list(filter)) out[call.operation] = (out[call.operation] ?? 0) + 1;
      return out;
    },
  };
}

/** A plain-JSON copy: functions and abort signals are dropped so records compare and print cleanly. */
function toJson(args: readonly unknown[]): unknown[] {
  return args.map((arg) => clean(arg));
}

function clean(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? undefined : value;
  if (typeof AbortSignal !== 'undefined' && value instanceof AbortSignal) return undefined;
  if (Array.isArray(value)) return value.map(clean);
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const cleaned = clean(inner);
    if (cleaned !== undefined) out[key] = cleaned;
  }
  return out;
}
