import {
  type CallOptions,
  type EnsureResult,
  FailoverError,
  type FailoverErrorKind,
  type OperationHandle,
  type ProviderIdentity,
  type ProviderKind,
  type Result,
  realTime,
  type Time,
  type WaitOptions,
} from '@failover/core';
import { expect, it } from 'vitest';
import type { ConformanceOptions, ConformanceSetup, ConformanceTimeouts } from './conformance-options.js';

const errorKinds: ReadonlySet<FailoverErrorKind> = new Set([
  'throttled',
  'not-found',
  'conflict',
  'precondition-failed',
  'timeout',
  'unauthorized',
  'invalid-input',
  'unavailable',
  'cancelled',
  'unsupported',
  'unexpected',
]);

export type AnySetup<P> = ConformanceSetup<P, unknown, string>;

export interface ResolvedTimeouts {
  waitTimeoutMs: number;
  pollIntervalMs?: number;
  deadlineMs: number;
  abortAfterMs: number;
  retryAfterMs: number;
}

export function resolveTimeouts(timeouts: ConformanceTimeouts = {}): ResolvedTimeouts {
  return {
    waitTimeoutMs: timeouts.waitTimeoutMs ?? 30 * 60_000,
    ...(timeouts.pollIntervalMs !== undefined && { pollIntervalMs: timeouts.pollIntervalMs }),
    deadlineMs: timeouts.deadlineMs ?? 1,
    abortAfterMs: timeouts.abortAfterMs ?? 1,
    retryAfterMs: timeouts.retryAfterMs ?? 2_000,
  };
}

/** What the suite learned from the collection-time setup: enough to decide every skip. */
export interface Probe<P> {
  provider: P;
  fixture: unknown;
  throttle: boolean;
  stuck: boolean;
  loseAnswer: boolean;
  mutatingCalls: boolean;
}

export async function probe<P, F, Op extends string>(
  options: ConformanceOptions<P, F, Op>,
): Promise<Probe<P>> {
  const setup = await options.setup();
  try {
    return {
      provider: setup.provider,
      fixture: setup.fixture,
      throttle: typeof setup.faults?.throttle === 'function',
      stuck: typeof setup.faults?.stuck === 'function',
      loseAnswer: typeof setup.faults?.loseAnswer === 'function',
      mutatingCalls: typeof setup.mutatingCalls === 'function',
    };
  } finally {
    await setup.teardown?.();
  }
}

/** Registers one case: skipped visibly with the reason in its title, or run over a fresh setup. */
export function conformanceCase<P, F, Op extends string>(
  options: ConformanceOptions<P, F, Op>,
  title: string,
  skipReason: string | false | undefined,
  body: (setup: ConformanceSetup<P, F, Op>) => Promise<void>,
): void {
  if (skipReason) {
    it.skip(`${title} [skipped: ${skipReason}]`, () => {});
    return;
  }
  it(title, async () => {
    const setup = await options.setup();
    try {
      await body(setup);
    } finally {
      await setup.teardown?.();
    }
  });
}

/**
 * Calls a provider method the way the executor would: a throw, a rejection or an error that
 * is not a well-formed `FailoverError` fails the case.
 */
export async function call<T>(
  provider: ProviderIdentity<ProviderKind>,
  what: string,
  fn: () => PromiseLike<Result<T, FailoverError>>,
): Promise<Result<T, FailoverError>> {
  let result: Result<T, FailoverError>;
  try {
    result = await fn();
  } catch (thrown) {
    expect.fail(`${what} threw or rejected instead of returning a FailoverError: ${describeThrown(thrown)}`);
  }
  if (result === null || typeof result !== 'object' || typeof result.isErr !== 'function') {
    expect.fail(`${what} did not resolve to a Result.`);
  }
  if (result.isErr()) expectWellFormed(provider, what, result.error);
  return result;
}

function expectWellFormed(provider: ProviderIdentity<ProviderKind>, what: string, error: unknown): void {
  expect(
    FailoverError.isInstance(error),
    `${what} failed with something that is not a FailoverError: ${describeThrown(error)}`,
  ).toBe(true);
  const failure = error as FailoverError;
  expect(errorKinds.has(failure.kind), `${what}: unknown error kind "${failure.kind}"`).toBe(true);
  expect(failure.provider, `${what}: the error names the provider`).toBe(provider.provider);
  expect(
    typeof failure.operation === 'string' && failure.operation.length > 0,
    `${what}: the error names the operation`,
  ).toBe(true);
  expect(typeof failure.retryable, `${what}: retryable is a boolean`).toBe('boolean');
  if (failure.retryAfterMs !== undefined) {
    expect(failure.retryAfterMs >= 0, `${what}: retryAfterMs is not negative`).toBe(true);
  }
}

export function expectOk<T>(result: Result<T, FailoverError>, what: string): T {
  if (result.isErr()) {
    expect.fail(`${what} failed: ${result.error.kind}: ${result.error.message}`);
  }
  return result.value;
}

export function expectErr<T>(
  result: Result<T, FailoverError>,
  kind: FailoverErrorKind,
  what: string,
): FailoverError {
  if (result.isOk()) expect.fail(`${what} succeeded; expected a ${kind} error.`);
  expect(result.error.kind, `${what}: ${result.error.message}`).toBe(kind);
  return result.error;
}

/** Any well-formed `FailoverError` will do (the call already checked it). */
export function expectSomeErr<T>(result: Result<T, FailoverError>, what: string): FailoverError {
  if (result.isOk()) expect.fail(`${what} succeeded; expected a FailoverError.`);
  return result.error;
}

/** Checks a handle is plain JSON with the fields the executor journals, and returns its JSON round trip. */
export function journalled(
  handle: OperationHandle | undefined,
  provider: ProviderIdentity<ProviderKind>,
): OperationHandle {
  expect(handle, 'a change returns a handle').toBeDefined();
  const h = handle!;
  expect(h.provider, 'handle.provider').toBe(provider.provider);
  expect(
    typeof h.operation === 'string' && h.operation.length > 0,
    'handle.operation is a non-empty string',
  ).toBe(true);
  expect(Number.isFinite(h.startedAt), 'handle.startedAt is a number').toBe(true);
  const copy = JSON.parse(JSON.stringify(h)) as OperationHandle;
  expect(copy, 'the handle survives a JSON round trip (the journal stores it)').toEqual(h);
  return copy;
}

export async function mutationCount(setup: { mutatingCalls?(): number | Promise<number> }): Promise<number> {
  return setup.mutatingCalls ? await setup.mutatingCalls() : 0;
}

/** An abort signal that fires `afterMs` from now on the provider's clock. */
export function abortLater(time: Time | undefined, afterMs: number): AbortController {
  const controller = new AbortController();
  void (time ?? realTime)
    .sleep(afterMs)
    .then(() => controller.abort(new Error('aborted by the conformance kit')));
  return controller;
}

export function abortedSignal(): AbortSignal {
  const controller = new AbortController();
  controller.abort(new Error('aborted by the conformance kit before the call'));
  return controller.signal;
}

export function waitOptions(timeouts: ResolvedTimeouts, extra: Partial<WaitOptions> = {}): WaitOptions {
  return {
    timeoutMs: timeouts.waitTimeoutMs,
    ...(timeouts.pollIntervalMs !== undefined && { pollIntervalMs: timeouts.pollIntervalMs }),
    ...extra,
  };
}

/** The operations a suite needs to run the cases every interface shares. */
export interface Subject<P extends ProviderIdentity<ProviderKind>, F, Op extends string, Observed> {
  operations: { observe: Op; ensure: Op; wait: Op };
  observe(
    setup: ConformanceSetup<P, F, Op>,
    options?: CallOptions,
  ): PromiseLike<Result<Observed, FailoverError>>;
  /** Makes the suite's main change from the seeded state; calling it again asks for the same state. */
  change(
    setup: ConformanceSetup<P, F, Op>,
    options?: CallOptions,
  ): PromiseLike<Result<EnsureResult<unknown>, FailoverError>>;
  wait(
    setup: ConformanceSetup<P, F, Op>,
    handle: OperationHandle,
    options: WaitOptions,
  ): PromiseLike<Result<unknown, FailoverError>>;
  /** Asserts the observed state is still the seeded one. */
  expectSeeded(setup: ConformanceSetup<P, F, Op>, observed: Observed): void;
  /** Asserts the main change is in effect. */
  expectChanged(setup: ConformanceSetup<P, F, Op>, observed: Observed): void;
}

/** Identity, deadline, abort, throttling, idempotence and observe-only cases, shared by the three suites. */
export function registerSharedCases<
  P extends ProviderIdentity<ProviderKind>,
  F,
  Op extends string,
  Observed,
>(input: {
  options: ConformanceOptions<P, F, Op>;
  probe: Probe<P>;
  kind: ProviderKind;
  subject: Subject<P, F, Op, Observed>;
  /** Why the main change cannot be tried (a capability is missing), if so. */
  changeSkip?: string | false | undefined;
}): void {
  const { options, probe: found, kind, subject } = input;
  const timeouts = resolveTimeouts(options.timeouts);
  const ops = subject.operations;
  const changeSkip = input.changeSkip;
  const noThrottle = !found.throttle && 'setup() provides no faults.throttle hook';
  const noCount = !found.mutatingCalls && 'setup() provides no mutatingCalls() hook';

  const observe = async (setup: ConformanceSetup<P, F, Op>, opts?: CallOptions) =>
    call(setup.provider, ops.observe, () => subject.observe(setup, opts));
  const change = async (setup: ConformanceSetup<P, F, Op>, opts?: CallOptions) =>
    call(setup.provider, ops.ensure, () => subject.change(setup, opts));
  const wait = async (setup: ConformanceSetup<P, F, Op>, handle: OperationHandle, opts: WaitOptions) =>
    call(setup.provider, ops.wait, () => subject.wait(setup, handle, opts));
  const waitToFinish = async (setup: ConformanceSetup<P, F, Op>, handle: OperationHandle) => {
    await setup.finishOperations?.();
    return expectOk(await wait(setup, handle, waitOptions(timeouts)), ops.wait);
  };

  conformanceCase(
    options,
    `declares specificationVersion v1, kind ${kind} and a provider id`,
    false,
    async (setup) => {
      expect(setup.provider.specificationVersion).toBe('v1');
      expect(setup.provider.kind).toBe(kind);
      expect(typeof setup.provider.provider === 'string' && setup.provider.provider.length > 0).toBe(true);
    },
  );

  conformanceCase(options, `${ops.observe} returns the seeded state`, false, async (setup) => {
    subject.expectSeeded(setup, expectOk(await observe(setup), ops.observe));
  });

  conformanceCase(
    options,
    `observe-only calls (${ops.observe}) make no mutating call`,
    noCount,
    async (setup) => {
      const before = await mutationCount(setup);
      expectOk(await observe(setup), ops.observe);
      expectOk(await observe(setup), ops.observe);
      expect(await mutationCount(setup), 'mutating calls during observe-only calls').toBe(before);
    },
  );

  conformanceCase(
    options,
    `a desired-state change (${ops.ensure}) applies and is observable after ${ops.wait}`,
    changeSkip,
    async (setup) => {
      const ensured = expectOk(await change(setup), ops.ensure);
      expect(ensured.changed, 'changed').toBe(true);
      const handle = journalled(ensured.handle, setup.provider);
      await waitToFinish(setup, handle);
      subject.expectChanged(setup, expectOk(await observe(setup), ops.observe));
    },
  );

  conformanceCase(
    options,
    `applying the same desired state twice reports changed: false the second time`,
    changeSkip,
    async (setup) => {
      const first = expectOk(await change(setup), ops.ensure);
      await waitToFinish(setup, journalled(first.handle, setup.provider));
      const second = expectOk(await change(setup), `${ops.ensure} (again)`);
      expect(second.changed, 'changed on the second apply').toBe(false);
      expect(second.handle, 'no handle when nothing changed').toBeUndefined();
      subject.expectChanged(setup, expectOk(await observe(setup), ops.observe));
    },
  );

  conformanceCase(
    options,
    `applying the same desired state twice makes no second mutating call`,
    changeSkip || noCount,
    async (setup) => {
      const start = await mutationCount(setup);
      const first = expectOk(await change(setup), ops.ensure);
      await waitToFinish(setup, journalled(first.handle, setup.provider));
      const afterFirst = await mutationCount(setup);
      expect(afterFirst, 'the first apply made a mutating call').toBeGreaterThan(start);
      expectOk(await change(setup), `${ops.ensure} (again)`);
      expect(await mutationCount(setup), 'mutating calls made by the second apply').toBe(afterFirst);
    },
  );

  conformanceCase(
    options,
    found.stuck
      ? `${ops.wait} on an operation that never finishes fails with timeout at its deadline, never ok`
      : `${ops.wait} with a deadline shorter than the operation fails with timeout, never ok`,
    changeSkip,
    async (setup) => {
      if (found.stuck) await setup.faults!.stuck!(ops.ensure);
      const ensured = expectOk(await change(setup), ops.ensure);
      const handle = journalled(ensured.handle, setup.provider);
      const result = await wait(setup, handle, waitOptions(timeouts, { timeoutMs: timeouts.deadlineMs }));
      const error = expectErr(result, 'timeout', `${ops.wait} past its deadline`);
      expect(error.retryable, 'a wait timeout is not retryable').toBe(false);
    },
  );

  conformanceCase(
    options,
    `an already-aborted signal makes every method return cancelled`,
    changeSkip,
    async (setup) => {
      expectErr(await observe(setup, { abortSignal: abortedSignal() }), 'cancelled', ops.observe);
      const before = await mutationCount(setup);
      expectErr(await change(setup, { abortSignal: abortedSignal() }), 'cancelled', ops.ensure);
      expect(await mutationCount(setup), `${ops.ensure} with an aborted signal made no mutating call`).toBe(
        before,
      );
      subject.expectSeeded(setup, expectOk(await observe(setup), ops.observe));
      const ensured = expectOk(await change(setup), ops.ensure);
      const handle = journalled(ensured.handle, setup.provider);
      const aborted = waitOptions(timeouts, { abortSignal: abortedSignal() });
      expectErr(await wait(setup, handle, aborted), 'cancelled', ops.wait);
    },
  );

  conformanceCase(options, `aborting during ${ops.wait} returns cancelled`, changeSkip, async (setup) => {
    if (found.stuck) await setup.faults!.stuck!(ops.ensure);
    const ensured = expectOk(await change(setup), ops.ensure);
    const handle = journalled(ensured.handle, setup.provider);
    const controller = abortLater(setup.time, timeouts.abortAfterMs);
    const result = await wait(setup, handle, waitOptions(timeouts, { abortSignal: controller.signal }));
    expect(controller.signal.aborted, 'the kit aborted during the wait').toBe(true);
    expectErr(result, 'cancelled', `${ops.wait} aborted midway`);
  });

  const expectThrottled = (error: FailoverError, what: string) => {
    expect(error.retryable, `${what}: throttling is retryable`).toBe(true);
    expect(error.retryAfterMs, `${what}: throttling carries retryAfterMs`).toBeTypeOf('number');
    expect(
      error.retryAfterMs!,
      `${what}: retryAfterMs is about what the service asked`,
    ).toBeGreaterThanOrEqual(timeouts.retryAfterMs / 2);
    expect(error.retryAfterMs!, `${what}: retryAfterMs is about what the service asked`).toBeLessThanOrEqual(
      timeouts.retryAfterMs + 1_000,
    );
  };

  conformanceCase(
    options,
    `throttling of ${ops.observe} surfaces as a retryable throttled error with retryAfterMs`,
    noThrottle,
    async (setup) => {
      await setup.faults!.throttle!(ops.observe, { count: 1, retryAfterMs: timeouts.retryAfterMs });
      expectThrottled(expectErr(await observe(setup), 'throttled', ops.observe), ops.observe);
      subject.expectSeeded(setup, expectOk(await observe(setup), `${ops.observe} after the throttling`));
    },
  );

  conformanceCase(
    options,
    `throttling of ${ops.ensure} surfaces as a retryable throttled error and changes nothing`,
    changeSkip || noThrottle,
    async (setup) => {
      await setup.faults!.throttle!(ops.ensure, { count: 1, retryAfterMs: timeouts.retryAfterMs });
      expectThrottled(expectErr(await change(setup), 'throttled', ops.ensure), ops.ensure);
      subject.expectSeeded(setup, expectOk(await observe(setup), ops.observe));
      const retried = expectOk(await change(setup), `${ops.ensure} retried`);
      expect(retried.changed).toBe(true);
    },
  );

  conformanceCase(
    options,
    `a throttled poll during ${ops.wait} is waited out, not fatal`,
    changeSkip || noThrottle,
    async (setup) => {
      const ensured = expectOk(await change(setup), ops.ensure);
      const handle = journalled(ensured.handle, setup.provider);
      await setup.faults!.throttle!(ops.wait, { count: 1, retryAfterMs: timeouts.retryAfterMs });
      await waitToFinish(setup, handle);
      subject.expectChanged(setup, expectOk(await observe(setup), ops.observe));
    },
  );
}

function describeThrown(thrown: unknown): string {
  if (thrown instanceof Error) return `${thrown.name}: ${thrown.message}`;
  try {
    return JSON.stringify(thrown) ?? String(thrown);
  } catch {
    return String(thrown);
  }
}
