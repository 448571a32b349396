import { describe, expect, it } from 'vitest';
import { FailoverError } from '../errors/failover-error.js';
import { err, ok, type Result } from '../result.js';
import { createVirtualTime } from '../time/virtual-time.js';
import { backoffDelayMs, isTransient, retryWithinDeadline } from './retry-within-deadline.js';
import { createSharedBackoff } from './shared-backoff.js';

const failure = (kind: 'throttled' | 'unavailable' | 'conflict', retryAfterMs?: number) =>
  new FailoverError({
    kind,
    message: kind,
    provider: 'test',
    operation: 'Send',
    ...(retryAfterMs !== undefined && { retryAfterMs }),
  });

/** A sender that fails with `errors` in turn, then answers `done`; it records when it was called. */
function sender(errors: FailoverError[]) {
  const at: number[] = [];
  return {
    at,
    send: (time: { now(): number }) => async (): Promise<Result<string, FailoverError>> => {
      at.push(time.now());
      const next = errors.shift();
      return next ? err(next) : ok('done');
    },
  };
}

describe('retryWithinDeadline', () => {
  it('retries with full jitter under a doubling ceiling, deterministic for an injected random', async () => {
    const time = createVirtualTime({ startAt: 0 });
    const calls = sender([failure('throttled'), failure('unavailable'), failure('throttled')]);
    const result = await retryWithinDeadline(calls.send(time), {
      time,
      deadlineAt: 60_000,
      baseDelayMs: 1_000,
      random: () => 0.5,
    });
    expect(result._unsafeUnwrap()).toBe('done');
    // 0.5 x 1 s, 0.5 x 2 s, 0.5 x 4 s.
    expect(calls.at).toEqual([0, 500, 1_500, 3_500]);
  });

  it('waits at least the Retry-After, even when the jitter draws less', async () => {
    const time = createVirtualTime({ startAt: 0 });
    const calls = sender([failure('throttled', 3_000)]);
    await retryWithinDeadline(calls.send(time), { time, deadlineAt: 60_000, random: () => 0 });
    expect(calls.at).toEqual([0, 3_000]);
  });

  it('gives up with the last error rather than sleep past the deadline', async () => {
    const time = createVirtualTime({ startAt: 0 });
    const calls = sender(Array.from({ length: 100 }, () => failure('throttled', 4_000)));
    const result = await retryWithinDeadline(calls.send(time), { time, deadlineAt: 10_000 });
    expect(result._unsafeUnwrapErr().kind).toBe('throttled');
    expect(calls.at).toEqual([0, 4_000, 8_000]);
    expect(time.now()).toBe(8_000);
  });

  it('does not retry what shouldRetry refuses (by default: what is not retryable)', async () => {
    const time = createVirtualTime({ startAt: 0 });
    const conflict = sender([failure('conflict')]);
    expect((await retryWithinDeadline(conflict.send(time), { time }))._unsafeUnwrapErr().kind).toBe(
      'conflict',
    );
    expect(conflict.at).toHaveLength(1);

    const unavailable = sender([failure('unavailable')]);
    const refused = await retryWithinDeadline(unavailable.send(time), {
      time,
      shouldRetry: (error) => error.kind === 'throttled',
    });
    expect(refused._unsafeUnwrapErr().kind).toBe('unavailable');
    expect(unavailable.at).toHaveLength(1);
  });

  it('stops at once when the signal aborts during a pause', async () => {
    const time = createVirtualTime({ startAt: 0, autoAdvance: false });
    const controller = new AbortController();
    const calls = sender([failure('throttled', 10_000)]);
    const pending = retryWithinDeadline(calls.send(time), {
      time,
      abortSignal: controller.signal,
    });
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    expect((await pending)._unsafeUnwrapErr().kind).toBe('throttled');
    expect(calls.at).toHaveLength(1);
  });

  it('tells onRetry before each pause', async () => {
    const time = createVirtualTime({ startAt: 0 });
    const seen: number[] = [];
    const calls = sender([failure('throttled', 2_000), failure('throttled', 1_000)]);
    await retryWithinDeadline(calls.send(time), {
      time,
      random: () => 0,
      onRetry: ({ delayMs }) => seen.push(delayMs),
    });
    expect(seen).toEqual([2_000, 1_000]);
  });
});

describe('backoffDelayMs and isTransient', () => {
  it('caps the ceiling and tolerates a broken random', () => {
    const backoff = { base: 1_000, cap: 5_000, random: () => 0.999 };
    expect(backoffDelayMs(40, backoff)).toBeLessThanOrEqual(5_000);
    expect(backoffDelayMs(1, { ...backoff, random: () => Number.NaN })).toBe(0);
  });

  it('calls throttling and unavailability transient, a conflict not', () => {
    expect(isTransient(failure('throttled'))).toBe(true);
    expect(isTransient(failure('unavailable'))).toBe(true);
    expect(isTransient(failure('conflict'))).toBe(false);
  });
});

describe('createSharedBackoff', () => {
  it('holds every caller until the pause started by one throttle is over', async () => {
    const time = createVirtualTime({ startAt: 0 });
    const gate = createSharedBackoff(time);
    await gate.wait();
    expect(time.now()).toBe(0);
    gate.hold(2_000);
    gate.hold(500); // a shorter pause does not shorten the one in force
    const woke: number[] = [];
    await Promise.all([
      gate.wait().then(() => woke.push(time.now())),
      gate.wait().then(() => woke.push(time.now())),
    ]);
    expect(woke).toEqual([2_000, 2_000]);
  });
});

describe('retryWithinDeadline maxAttempts', () => {
  it('stops after maxAttempts tries even with time left', async () => {
    const time = createVirtualTime({ startAt: 0 });
    const calls = sender([failure('throttled'), failure('throttled'), failure('throttled')]);
    const result = await retryWithinDeadline(calls.send(time), { time, maxAttempts: 2 });
    expect(result.isErr()).toBe(true);
    expect(calls.at).toHaveLength(2);
  });
});
