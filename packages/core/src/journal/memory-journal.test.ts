import { describe, expect, it } from 'vitest';
import { createMemoryJournal } from './memory-journal.js';

describe('createMemoryJournal', () => {
  it('keeps entries and allows one lock holder at a time', async () => {
    const journal = createMemoryJournal();
    await journal.append({ type: 'run-end', runId: 'r', at: 1, status: 'succeeded' });
    expect((await journal.read())._unsafeUnwrap()).toHaveLength(1);
    const lock = (await journal.acquireLock('p', 'r1'))._unsafeUnwrap();
    expect((await journal.acquireLock('p', 'r2'))._unsafeUnwrapErr().kind).toBe('conflict');
    await lock.release();
    expect((await journal.acquireLock('p', 'r2')).isOk()).toBe(true);
  });
});
