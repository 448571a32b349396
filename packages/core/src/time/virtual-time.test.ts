import { describe, expect, it } from 'vitest';
import { createVirtualTime } from './virtual-time.js';

describe('createVirtualTime', () => {
  it('auto-advances to the next sleeper and wakes in due order', async () => {
    const time = createVirtualTime({ startAt: 0 });
    const woke: string[] = [];
    await Promise.all([
      time.sleep(300).then(() => woke.push(`c@${time.now()}`)),
      time.sleep(100).then(() => woke.push(`a@${time.now()}`)),
      time.sleep(100).then(() => woke.push(`b@${time.now()}`)),
    ]);
    expect(woke).toEqual(['a@100', 'b@100', 'c@300']);
  });

  it('chains sleeps: virtual time is the sum, real time is near zero', async () => {
    const time = createVirtualTime({ startAt: 0 });
    const started = performance.now();
    for (let i = 0; i < 1000; i++) await time.sleep(60_000);
    expect(time.now()).toBe(60_000_000);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('only moves when advanced in manual mode', async () => {
    const time = createVirtualTime({ startAt: 0, autoAdvance: false });
    let woke = false;
    void time.sleep(1_000).then(() => {
      woke = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(woke).toBe(false);
    await time.advanceBy(999);
    expect(woke).toBe(false);
    await time.advanceBy(1);
    expect(woke).toBe(true);
    expect(time.now()).toBe(1_000);
  });

  it('wakes an aborted sleeper at once and forgets it', async () => {
    const time = createVirtualTime({ startAt: 0, autoAdvance: false });
    const controller = new AbortController();
    const sleeping = time.sleep(10_000, controller.signal);
    expect(time.pendingSleeps).toBe(1);
    controller.abort();
    await sleeping;
    expect(time.pendingSleeps).toBe(0);
    expect(time.now()).toBe(0);
  });
});
