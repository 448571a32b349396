import type { Time } from '@failover/core';

/**
 * Fault hooks a backend may offer. Each one the setup provides turns on the cases that
 * need it; the others are skipped visibly, with the missing hook named in the title.
 */
export interface ConformanceFaultHooks<TOperation extends string> {
  /**
   * Make the next `count` calls of `operation` fail the way the backend throttles, asking for
   * `retryAfterMs` before a retry. For a wait method, throttle its next poll. The adapter must
   * surface it as a retryable `throttled` error with `retryAfterMs` (so turn off SDK-level
   * retries: the executor owns retrying).
   */
  throttle?(operation: TOperation, options: { count: number; retryAfterMs: number }): void | Promise<void>;
  /** Make the next remote operation that `operation` (an ensure method) starts never finish. */
  stuck?(operation: TOperation): void | Promise<void>;
  /**
   * Make the next call of `operation` (an ensure method) be applied by the backend (the change
   * is made, the long-running operation starts) but its answer lost: a 500 or a dropped
   * connection after the commit. The emulator does it with its `applied-then-500` fault, the
   * simulator with its `lost-answer` fault. Turns on the "answer was lost" case: the retry must
   * find the operation in flight and wait on it, never send it again or call it a conflict.
   */
  loseAnswer?(operation: TOperation): void | Promise<void>;
}

/** What `setup()` returns for one case: a fresh provider over freshly seeded state. */
export interface ConformanceSetup<TProvider, TFixture, TOperation extends string> {
  /** The provider under test, new for this case. */
  provider: TProvider;
  /** Refs to the seeded state the cases use (see each suite's fixture type). */
  fixture: TFixture;
  faults?: ConformanceFaultHooks<TOperation>;
  /**
   * Mutating requests the backend has received so far: the emulator's request log, the
   * simulator's call log. Without it the "no mutating call" cases are skipped visibly.
   */
  mutatingCalls?(): number | Promise<number>;
  /**
   * The clock the provider waits on (its injected `Time`). The kit schedules its aborts
   * on it and measures waits with it. Default: `realTime`.
   */
  time?: Time;
  /**
   * For a backend whose clock is moved by hand: let every in-flight operation finish.
   * The kit calls it before each wait that must succeed. Not needed for an auto-advancing
   * virtual clock or a real-time-scaled emulator.
   */
  finishOperations?(): void | Promise<void>;
  /** Releases what setup created (servers, worlds). Called after every case, pass or fail. */
  teardown?(): void | Promise<void>;
}

/** Durations the kit uses, all on the provider's clock. */
export interface ConformanceTimeouts {
  /** Deadline of waits that must succeed. Default 30 min (a scaled or virtual clock makes it cheap). */
  waitTimeoutMs?: number;
  /** Poll interval passed to every wait. Default: the provider's own. */
  pollIntervalMs?: number;
  /**
   * A deadline shorter than any operation of this backend takes, used by the deadline case when
   * there is no `stuck` hook. Default 1 ms.
   */
  deadlineMs?: number;
  /** How long after a wait starts the kit aborts it (measured on `time`). Default 1 ms. */
  abortAfterMs?: number;
  /** The retry-after the `throttle` hook is asked for. Default 2000 ms. */
  retryAfterMs?: number;
}

/** Options of every `run*Conformance` suite. */
export interface ConformanceOptions<TProvider, TFixture, TOperation extends string> {
  /** Shown in the suite title, e.g. `aws.route53 on the emulator`. */
  name?: string;
  /**
   * Returns a fresh provider over freshly seeded state. It is called once per case, and once
   * more while vitest collects the suite, to read the provider's `capabilities` and which hooks
   * exist, so that cases they rule out are registered as visible skips (that instance is torn
   * down straight away).
   */
  setup():
    | ConformanceSetup<TProvider, TFixture, TOperation>
    | Promise<ConformanceSetup<TProvider, TFixture, TOperation>>;
  timeouts?: ConformanceTimeouts;
}
