import { seededRandom } from './seeded-random.js';

/**
 * - `throttle`: the cloud's throttling error (AWS `Throttling` 400, Azure 429 + Retry-After, Google 429).
 * - `server-error`: the cloud's 500/503 error; nothing is applied.
 * - `applied-then-500`: the request is applied (a mutation takes effect, an operation starts),
 *   but the answer is the cloud's 500: the client cannot tell it from `server-error`.
 * - `slow`: answered after `delayMs` of real time.
 * - `spike`: answered after `delayMs` of emulator time (a latency spike of the cloud, on the
 *   emulator's clock: 3 s is 3 s of the drill's time whatever the time scale).
 * - `drop`: the connection is destroyed without a response; nothing is applied.
 * - `stuck`: the long-running operation the call starts never finishes.
 */
export type FaultKind =
  | 'throttle'
  | 'server-error'
  | 'applied-then-500'
  | 'slow'
  | 'spike'
  | 'drop'
  | 'stuck';

/** One injected fault: what, on which service and operation, for how many calls or at what rate. */
export interface FaultRule {
  fault: FaultKind;
  /** Service id (`aws.route53`); any when omitted. */
  service?: string;
  /** Operation name (`ChangeResourceRecordSets`); any when omitted. */
  operation?: string;
  /** Apply to the next N matching calls, then expire. */
  times?: number;
  /** Apply to this share of matching calls (0..1), drawn from the seeded PRNG. Ignored when `times` is set. */
  rate?: number;
  /** For `slow`: real milliseconds; for `spike`: emulator milliseconds. Default 200 (`slow`), 3 000 (`spike`). */
  delayMs?: number;
  /** For `throttle`: the Retry-After to advertise (where the cloud has one). Default 1. */
  retryAfterSeconds?: number;
}

/** The faults a test injects into the running emulator (`emulator.faults`). */
export interface FaultInjector {
  /** Adds a rule; returns a function that removes it. */
  add(rule: FaultRule): () => void;
  /** Removes every rule. */
  clear(): void;
  /** The fault that applies to this call, consuming one use of a counted rule. */
  take(service: string, operation: string): FaultRule | undefined;
}

export function createFaultInjector(seed: number): FaultInjector {
  const random = seededRandom(seed ^ 0x5eed);
  const rules: Array<FaultRule & { remaining?: number }> = [];
  return {
    add(rule) {
      validateRule(rule);
      const entry = { ...rule, ...(rule.times !== undefined && { remaining: rule.times }) };
      rules.push(entry);
      return () => {
        const index = rules.indexOf(entry);
        if (index >= 0) rules.splice(index, 1);
      };
    },
    clear() {
      rules.length = 0;
    },
    take(service, operation) {
      for (const rule of rules) {
        if (rule.service !== undefined && rule.service !== service) continue;
        if (rule.operation !== undefined && rule.operation !== operation) continue;
        if (rule.remaining !== undefined) {
          if (rule.remaining <= 0) continue;
          rule.remaining--;
          return rule;
        }
        if (random() < (rule.rate ?? 1)) return rule;
      }
      return undefined;
    },
  };
}

function validateRule(rule: FaultRule): void {
  if (rule.times !== undefined && (!Number.isInteger(rule.times) || rule.times < 1)) {
    throw new RangeError('FaultRule.times must be a positive integer');
  }
  if (rule.rate !== undefined && !(rule.rate >= 0 && rule.rate <= 1)) {
    throw new RangeError('FaultRule.rate must be between 0 and 1');
  }
}

/**
 * The fault profiles of the resilience tests, each applied at a rate to every
 * call of every service:
 * - `throttling`, `5xx`, `resets`, `applied-then-500`: that one fault at `rate`;
 * - `latency`: 3 s spikes (emulator time) on 5 % of calls (`rate` is ignored);
 * - `mixed`: the four faults at `rate / 4` each, plus the latency spikes.
 */
export type FaultProfile = 'throttling' | '5xx' | 'resets' | 'applied-then-500' | 'latency' | 'mixed';

/** Every fault profile, in the order the benchmark reports them. */
export const faultProfiles: readonly FaultProfile[] = [
  'throttling',
  '5xx',
  'resets',
  'applied-then-500',
  'latency',
  'mixed',
];

/** The rules of a fault profile at `rate` (0..1), to `add()` to an emulator's `faults`. */
export function faultProfileRules(profile: FaultProfile, rate: number): FaultRule[] {
  const spikes: FaultRule = { fault: 'spike', rate: 0.05, delayMs: 3_000 };
  switch (profile) {
    case 'throttling':
      return [{ fault: 'throttle', rate }];
    case '5xx':
      return [{ fault: 'server-error', rate }];
    case 'resets':
      return [{ fault: 'drop', rate }];
    case 'applied-then-500':
      return [{ fault: 'applied-then-500', rate }];
    case 'latency':
      return [spikes];
    case 'mixed': {
      // Each rule draws in turn; a quarter of the rate each keeps the total near `rate`.
      const share = rate / 4;
      return [
        { fault: 'throttle', rate: share },
        { fault: 'server-error', rate: share },
        { fault: 'drop', rate: share },
        { fault: 'applied-then-500', rate: share },
        spikes,
      ];
    }
  }
}
