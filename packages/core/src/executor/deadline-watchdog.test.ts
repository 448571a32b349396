import { describe, expect, it } from 'vitest';
import { createVirtualTime } from '../time/virtual-time.js';
import { createDeadlineWatchdog } from './deadline-watchdog.js';

describe('createDeadlineWatchdog', () => {
  it('fires deadlines in order, skips cancelled ones, and keeps one sleeper', async () => {
    const time = createVirtualTime({ autoAdvance: false });
    const watchdog = createDeadlineWatchdog(time);
    const fired: string[] = [];
    const start = time.now();
    const target = (name: string) => ({ expire: () => fired.push(name) });
    watchdog.watch(start + 300, target('c'));
    watchdog.watch(start + 100, target('a'));
    const entry = watchdog.watch(start + 200, target('b'));
    expect(time.pendingSleeps).toBe(1);
    entry.cancelled = true;
    await time.advanceBy(150);
    expect(fired).toEqual(['a']);
    await time.advanceBy(200);
    expect(fired).toEqual(['a', 'c']);
    expect(time.pendingSleeps).toBe(0);
  });

  it('releases its timer on close', async () => {
    const time = createVirtualTime({ autoAdvance: false });
    const watchdog = createDeadlineWatchdog(time);
    let fired = false;
    watchdog.watch(time.now() + 100, {
      expire: () => {
        fired = true;
      },
    });
    watchdog.close();
    expect(time.pendingSleeps).toBe(0);
    await time.advanceBy(1_000);
    expect(fired).toBe(false);
  });
});
