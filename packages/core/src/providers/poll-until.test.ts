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
