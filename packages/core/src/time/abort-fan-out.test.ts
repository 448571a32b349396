import { describe, expect, it } from 'vitest';
import { offAbort, onAbort } from './abort-fan-out.js';
import { createVirtualTime } from './virtual-time.js';

describe('onAbort', () => {
  it('adds one listener to a signal however many callers watch it', () => {
    const controller = new AbortController();
    let added = 0;
    const original = controller.signal.addEventListener.bind(controller.signal);
    controller.signal.addEventListener = ((...args: Parameters<typeof original>) => {
      added++;
      return original(...args);
    }) as typeof original;
    const called: number[] = [];
    const callbacks = Array.from({ length: 100 }, (_, index) => () => called.push(index));
    for (const callback of callbacks) onAbort(controller.signal, callback);
    offAbort(controller.signal, callbacks[7]!);
    controller.abort();
    expect(added).toBe(1);
    expect(called).toHaveLength(99);
    expect(called).not.toContain(7);
  });

  it('calls back at once for a signal already aborted', () => {
    let called = 0;
    onAbort(AbortSignal.abort(), () => called++);
    expect(called).toBe(1);
  });
});

describe('virtual time with many sleepers on one signal', () => {
  it('wakes every sleeper on abort, counts none pending, and does not move the clock for them', async () => {
    const time = createVirtualTime({ autoAdvance: false });
    const controller = new AbortController();
    const sleeps = Array.from({ length: 1_000 }, (_, index) => time.sleep(60_000 + index, controller.signal));
    const other = time.sleep(10, new AbortController().signal);
    expect(time.pendingSleeps).toBe(1_001);
    controller.abort();
    await Promise.all(sleeps);
    expect(time.pendingSleeps).toBe(1);
    const start = time.now();
    await time.advanceBy(5);
    expect(time.now()).toBe(start + 5);
    await time.advanceBy(5);
    await other;
    expect(time.pendingSleeps).toBe(0);
  });
});
