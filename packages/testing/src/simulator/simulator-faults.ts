import type { FailoverErrorKind } from '@failover/core';
import { createPrng, hashSeed } from './simulator-prng.js';

/** The provider methods of the interfaces, which is what faults and call records name. */
export type SimulatedOperation =
  | 'getRecordSet'
  | 'ensureRecordSet'
  | 'ensureRecordSets'
  | 'waitForChange'
  | 'describe'
  | 'ensureWriter'
  | 'waitForWriter'
  | 'describePool'
  | 'ensureSize'
  | 'waitForPool'
  | 'precheckRecordSet'
  | 'precheckWriter'
  | 'precheckSize'
  | 'observeResource'
  | 'ensureResource'
  | 'waitForResource'
  | 'precheckResource'
  | 'checkResource';

/** Methods that start remote work; only they can be made `stuck`. */
export const operationStarters: ReadonlySet<SimulatedOperation> = new Set([
  'ensureRecordSet',
  'ensureRecordSets',
  'ensureWriter',
  'ensureSize',
  'ensureResource',
]);

/** Methods that wait on an operation: a fault hits their first poll, so retryable faults are waited out. */
export const waitOperations: ReadonlySet<SimulatedOperation> = new Set([
  'waitForChange',
  'waitForWriter',
  'waitForPool',
  'waitForResource',
]);

/**
 * What goes wrong on a call:
 * - `throttled`: a retryable `throttled` error with `retryAfterMs` (default 1 s);
 * - `unavailable`: a transient server error (5xx), retryable;
 * - `timeout`: the request hangs `afterMs` (default `durations.requestTimeout`) and fails with a retryable `timeout`;
 * - `stuck`: the call succeeds but the operation it starts never finishes (ensure methods only);
 * - `lost-answer`: the call is applied (the change is made, its operation starts) but its
 *   answer is lost: the caller gets a retryable `unavailable` error (ensure methods only);
 * - `error`: any other `FailoverError` kind, e.g. `unauthorized` or `conflict`.
 */
export type SimulatedFault =
  | { kind: 'throttled'; retryAfterMs?: number }
  | { kind: 'unavailable'; message?: string }
  | { kind: 'timeout'; afterMs?: number }
  | { kind: 'stuck' }
  | { kind: 'lost-answer' }
  | { kind: 'error'; error: FailoverErrorKind; retryable?: boolean; message?: string };

/** A fault on chosen calls: "the 3rd call of ensureRecordSet is throttled". */
export interface ScheduledFault {
  operation: SimulatedOperation;
  /**
   * Which call fails, 1-based, counted over the world's life (over `provider`'s calls when
   * it is given). Default: the next call from now.
   */
  call?: number;
  /** How many consecutive matching calls fail, starting at `call`. Default 1. */
  count?: number;
  /** Only calls made through the provider with this id (`world.dnsProvider('dns-a')`). */
  provider?: string;
  fault: SimulatedFault;
}

/** A fault that hits each eligible call with probability `rate`, drawn from the world's seed. */
export interface RandomFaults {
  /** Probability per call, 0 to 1. */
  rate: number;
  fault: SimulatedFault;
  /** Default: every operation (`stuck`: every ensure method). */
  operations?: SimulatedOperation[];
  providers?: string[];
}

/** Fault injection of a simulated world (`world.faults`). */
export interface SimulatedFaults {
  /** Makes chosen calls fail, e.g. `{ operation: 'ensureRecordSet', call: 3, fault: { kind: 'throttled', retryAfterMs: 2000 } }`. */
  schedule(fault: ScheduledFault): void;
  /** Makes calls fail at random, reproducibly from the world's seed. */
  random(faults: RandomFaults): void;
  /** Removes every scheduled and random fault. */
  clear(): void;
}

interface ScheduledRule {
  kind: 'scheduled';
  operation: SimulatedOperation;
  provider?: string;
  from: number;
  to: number;
  fault: SimulatedFault;
}

interface RandomRule {
  kind: 'random';
  rate: number;
  operations?: ReadonlySet<SimulatedOperation>;
  providers?: ReadonlySet<string>;
  fault: SimulatedFault;
}

/** Call counters the injector matches scheduled rules against. */
export interface CallCounter {
  /** Calls of `operation` so far (through `provider` when given), the current one included. */
  count(operation: SimulatedOperation, provider?: string): number;
}

export interface FaultInjector extends SimulatedFaults {
  /** The fault for the call being made (already counted), if any. */
  pick(operation: SimulatedOperation, provider: string): SimulatedFault | undefined;
}

export function createFaultInjector(seed: number, counter: CallCounter): FaultInjector {
  const prng = createPrng(hashSeed(seed, 'faults'));
  let rules: Array<ScheduledRule | RandomRule> = [];

  const check = (operation: SimulatedOperation | undefined, fault: SimulatedFault) => {
    if (
      (fault.kind === 'stuck' || fault.kind === 'lost-answer') &&
      operation !== undefined &&
      !operationStarters.has(operation)
    ) {
      throw new RangeError(`A ${fault.kind} fault needs an ensure method; ${operation} starts no operation.`);
    }
  };

  return {
    schedule(scheduled) {
      check(scheduled.operation, scheduled.fault);
      const count = scheduled.count ?? 1;
      const from = scheduled.call ?? counter.count(scheduled.operation, scheduled.provider) + 1;
      if (!(Number.isInteger(from) && from >= 1 && Number.isInteger(count) && count >= 1)) {
        throw new RangeError('A scheduled fault needs call >= 1 and count >= 1 (integers).');
      }
      rules.push({
        kind: 'scheduled',
        operation: scheduled.operation,
        ...(scheduled.provider !== undefined && { provider: scheduled.provider }),
        from,
        to: from + count - 1,
        fault: scheduled.fault,
      });
    },
    random(random) {
      if (!(random.rate >= 0 && random.rate <= 1)) throw new RangeError('A random fault rate is 0 to 1.');
      for (const operation of random.operations ?? []) check(operation, random.fault);
      const operations =
        random.operations ??
        (random.fault.kind === 'stuck' || random.fault.kind === 'lost-answer'
          ? [...operationStarters]
          : undefined);
      rules.push({
        kind: 'random',
        rate: random.rate,
        ...(operations && { operations: new Set(operations) }),
        ...(random.providers && { providers: new Set(random.providers) }),
        fault: random.fault,
      });
    },
    clear() {
      rules = [];
    },
    pick(operation, provider) {
      let picked: SimulatedFault | undefined;
      for (const rule of rules) {
        if (rule.kind === 'scheduled') {
          if (rule.operation !== operation) continue;
          if (rule.provider !== undefined && rule.provider !== provider) continue;
          const n = counter.count(operation, rule.provider);
          if (n >= rule.from && n <= rule.to) picked ??= rule.fault;
        } else {
          if (rule.operations && !rule.operations.has(operation)) continue;
          if (rule.providers && !rule.providers.has(provider)) continue;
          // Draw for every eligible call, hit or not, so the sequence depends only on the calls made.
          const hit = prng.next() < rule.rate;
          if (hit) picked ??= rule.fault;
        }
      }
      return picked;
    },
  };
}
