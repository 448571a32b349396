import { describe, expect, it } from 'vitest';
import { FailoverError } from '../errors/failover-error.js';
import { errAsync, okAsync } from '../result.js';
import { createVirtualTime } from '../time/virtual-time.js';
import { type PollOutcome, pollUntil } from './poll-until.js';

const context = { provider: 'test', operation: 'GetChange' };
const notDone = (retryAfterMs?: number) =>
  okAsync<PollOutcome<string>, FailoverError>({ done: false, retryAfterMs, status: 'PENDING' });

describe('pollUntil', () => {
  it('polls with exponential backoff until done', async () => {
    const time = createVirtualTime({ startAt: 0 });
    const polledAt: number[] = [];
    const result = await pollUntil({
      ...context,
      time,
      timeoutMs: 60_000,
      pollIntervalMs: 1_000,
      poll: () => {
        polledAt.push(time.now());
        return polledAt.length < 4 ? notDone() : okAsync({ done: true as const, value: 'INSYNC' });
      },
    });
    expect(result._unsafeUnwrap()).toBe('INSYNC');
    expect(polledAt).toEqual([0, 1_000, 2_500, 4_750]);
  });

  it('fails with timeout at the deadline, never sleeping past it', async () => {
    const time = createVirtualTime({ startAt: 0 });
    const result = await pollUntil({ ...context, time, timeoutMs: 10_000, poll: () => notDone() });
    const error = result._unsafeUnwrapErr();
    expect(error.kind).toBe('timeout');
    expect(error.message).toContain('PENDING');
    expect(time.now()).toBe(10_000);
  });

  it('honours a Retry-After longer than the interval', async () => {
    const time = createVirtualTime({ startAt: 0 });
    const polledAt: number[] = [];
    await pollUntil({
      ...context,
      time,
      timeoutMs: 60_000,
      poll: () => {
        polledAt.push(time.now());
        if (polledAt.length === 1) {
          return errAsync(
            new FailoverError({ kind: 'throttled', message: 'slow down', ...context, retryAfterMs: 7_000 }),
          );
        }
        return okAsync({ done: true as const, value: 1 });
      },
    });
    expect(polledAt).toEqual([0, 7_000]);
  });

  it('stops on a non-retryable error', async () => {
    const time = createVirtualTime({ startAt: 0 });
    let polls = 0;
    const result = await pollUntil({
      ...context,
      time,
      timeoutMs: 60_000,
      poll: () => {
        polls++;
        return errAsync(new FailoverError({ kind: 'not-found', message: 'gone', ...context }));
      },
    });
    expect(result._unsafeUnwrapErr().kind).toBe('not-found');
    expect(polls).toBe(1);
  });

  it('is cancelled by the abort signal, mid-wait', async () => {
    const time = createVirtualTime({ startAt: 0, autoAdvance: false });
    const controller = new AbortController();
    const waiting = pollUntil({
      ...context,
      time,
      timeoutMs: 60_000,
      abortSignal: controller.signal,
      poll: () => notDone(),
    });
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    expect((await waiting)._unsafeUnwrapErr().kind).toBe('cancelled');
  });

  it('turns a poll that throws into unexpected', async () => {
    const time = createVirtualTime({ startAt: 0 });
    const result = await pollUntil({
      ...context,
      time,
      timeoutMs: 1_000,
      poll: () => {
        throw new Error('bug');
      },
    });
    expect(result._unsafeUnwrapErr().kind).toBe('unexpected');
  });
});

const running = (retryAfterMs?: number) =>
  okAsync<PollOutcome<number>, FailoverError>({ done: false, retryAfterMs, status: 'RUNNING' });
const doneAt = (value: number) => okAsync<PollOutcome<number>, FailoverError>({ done: true, value });

describe('pollUntil from the expected duration', () => {
  /** Polls an operation that finishes `durationMs` after the start; when it was seen done, and how many polls. */
  async function detect(durationMs: number, expectedDurationMs: number, retryAfterMs?: number) {
    const time = createVirtualTime({ startAt: 0 });
    let polls = 0;
    const result = await pollUntil({
      ...context,
      time,
      timeoutMs: 30 * 60_000,
      expectedDurationMs,
      poll: () => {
        polls++;
        return time.now() >= durationMs ? doneAt(time.now()) : running(retryAfterMs);
      },
    });
    return { lateMs: result._unsafeUnwrap() - durationMs, polls };
  }

  it('sees a 90 s operation with 6 polls at most and within 2 s, at its nominal length', async () => {
    for (const durationMs of [88_000, 90_000, 91_000]) {
      const { lateMs, polls } = await detect(durationMs, 90_000);
      expect(lateMs, `${durationMs}`).toBeLessThanOrEqual(2_000);
      expect(polls, `${durationMs}`).toBeLessThanOrEqual(6);
    }
  });

  it('looks at 0, 67 %, 85 % and 100 % of the expected duration, then densely', async () => {
    const time = createVirtualTime({ startAt: 0 });
    const polledAt: number[] = [];
    await pollUntil({
      ...context,
      time,
      timeoutMs: 120_000,
      expectedDurationMs: 100_000,
      poll: () => {
        polledAt.push(time.now());
        return polledAt.length < 9 ? running() : doneAt(1);
      },
    });
    expect(polledAt).toEqual([0, 67_000, 85_000, 100_000, 102_000, 104_000, 106_000, 108_000, 110_000]);
  });

  it('polls densely for a third of the expected duration after it, then backs off', async () => {
    const time = createVirtualTime({ startAt: 0 });
    const polledAt: number[] = [];
    await pollUntil({
      ...context,
      time,
      timeoutMs: 30 * 60_000,
      expectedDurationMs: 60_000,
      poll: () => {
        polledAt.push(time.now());
        return polledAt.length < 30 ? running() : doneAt(1);
      },
    });
    const gapsAfter = (from: number) =>
      polledAt.flatMap((at, index) =>
        index > 0 && polledAt[index - 1]! >= from ? [at - polledAt[index - 1]!] : [],
      );
    // 60 s: dense every 1.2 s from 60 s until 80 s, then growing ×1.5 up to a quarter of 60 s.
    expect(polledAt.filter((at) => at > 60_000 && at <= 80_000)).toHaveLength(16);
    expect(new Set(gapsAfter(60_000).slice(0, 17))).toEqual(new Set([1_200]));
    expect(gapsAfter(80_000).slice(0, 8)).toEqual([1_200, 1_800, 2_700, 4_050, 6_075, 9_113, 13_670, 15_000]);
  });

  it('keeps a long operation’s dense phase to 30 polls', async () => {
    const time = createVirtualTime({ startAt: 0 });
    const polledAt: number[] = [];
    await pollUntil({
      ...context,
      time,
      timeoutMs: 60 * 60_000,
      expectedDurationMs: 30 * 60_000,
      poll: () => {
        polledAt.push(time.now());
        return time.now() >= 40 * 60_000 ? doneAt(1) : running();
      },
    });
    expect(polledAt.filter((at) => at > 30 * 60_000 && at <= 31 * 60_000)).toHaveLength(30);
    expect(polledAt.length).toBeLessThan(60);
  });

  it('over 0.67-1.33x of a 90 s expectation: median within 2 s and 6 polls, at evenly spread lengths', async () => {
    // 17 lengths evenly spread over the range, none chosen to fall on a checkpoint.
    const lengths = Array.from({ length: 17 }, (_, index) =>
      Math.round(90_000 * (0.67 + (0.66 * index) / 16)),
    );
    const seen = await Promise.all(lengths.map((length) => detect(length + 137, 90_000)));
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    expect(median(seen.map((each) => each.lateMs))).toBeLessThanOrEqual(2_000);
    expect(median(seen.map((each) => each.polls))).toBeLessThanOrEqual(6);
    // Past the expectation every end is seen within the dense interval.
    for (const [index, length] of lengths.entries())
      if (length > 90_000) expect(seen[index]!.lateMs, `${length}`).toBeLessThanOrEqual(1_800);
  });

  it('counts from the operation start when the wait begins late (a resumed wait)', async () => {
    const time = createVirtualTime({ startAt: 50_000 });
    const polledAt: number[] = [];
    await pollUntil({
      ...context,
      time,
      timeoutMs: 120_000,
      expectedDurationMs: 60_000,
      startedAt: 0,
      poll: () => {
        polledAt.push(time.now());
        return polledAt.length < 3 ? running() : doneAt(1);
      },
    });
    expect(polledAt).toEqual([50_000, 51_000, 60_000]); // 85 % and 100 % of 60 s
  });

  it('honours a running operation’s shorter Retry-After', async () => {
    const { lateMs, polls } = await detect(20_000, 90_000, 5_000);
    expect(lateMs).toBe(0);
    expect(polls).toBe(5); // 0, 5, 10, 15, 20 s instead of waiting for 60 s
  });

  it('bounds the total: a timeout at the deadline, never a sleep past it', async () => {
    const time = createVirtualTime({ startAt: 0 });
    const result = await pollUntil({
      ...context,
      time,
      timeoutMs: 200_000,
      expectedDurationMs: 60_000,
      poll: () => running(),
    });
    expect(result._unsafeUnwrapErr().kind).toBe('timeout');
    expect(time.now()).toBe(200_000);
  });
});
