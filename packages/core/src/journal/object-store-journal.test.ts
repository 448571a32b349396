import { describe, expect, it } from 'vitest';
import { FailoverError } from '../errors/failover-error.js';
import { errAsync } from '../result.js';
import type { JournalEntry } from './journal-entry.js';
import { createObjectStoreJournal } from './object-store-journal.js';
import { createMemoryObjectStore, type MemoryObjectStore } from './object-store-memory.js';
import type { JournalObjectStoreV1 } from './object-store-v1.js';

const start = (runId: string): JournalEntry => ({
  type: 'run-start',
  runId,
  at: 1,
  planId: 'p',
  fingerprint: 'f',
});
const stepStart = (runId: string, stepId: string): JournalEntry => ({
  type: 'step-start',
  runId,
  at: 2,
  stepId,
});
const segments = (store: MemoryObjectStore) =>
  [...store.objects.keys()].filter((key) => key.startsWith('segments/'));

/** A store whose next `createIfAbsent` calls are applied but answered with a retryable error. */
function losingAnswers(store: JournalObjectStoreV1, times: number): JournalObjectStoreV1 {
  let left = times;
  return {
    ...store,
    createIfAbsent(key, body) {
      if (left-- <= 0) return store.createIfAbsent(key, body);
      return store.createIfAbsent(key, body).andThen(() =>
        errAsync(
          new FailoverError({
            kind: 'unavailable',
            message: 'answer lost',
            provider: 'test',
            operation: 'put',
          }),
        ),
      );
    },
  };
}

describe('createObjectStoreJournal', () => {
  it('lets exactly one of two racing runners take the lock', async () => {
    const store = createMemoryObjectStore();
    const [a, b] = await Promise.all([
      createObjectStoreJournal(store).acquireLock('p', 'run-a'),
      createObjectStoreJournal(store).acquireLock('p', 'run-b'),
    ]);
    expect([a.isOk(), b.isOk()].filter(Boolean)).toHaveLength(1);
    const loser = a.isErr() ? a : b;
    expect(loser._unsafeUnwrapErr()).toMatchObject({ kind: 'conflict' });
    expect(loser._unsafeUnwrapErr().message).toMatch(/--take-over run-[ab]/);
  });

  it('writes the entries of one batch as one segment, acknowledged, and reads them back in order', async () => {
    const store = createMemoryObjectStore();
    const journal = createObjectStoreJournal(store);
    const results = await Promise.all([
      journal.append(start('r')),
      journal.append(stepStart('r', 'a')),
      journal.append(stepStart('r', 'b')),
    ]);
    expect(results.every((result) => result.isOk())).toBe(true);
    expect(segments(store)).toEqual(['segments/000000000001.jsonl']);
    await journal.append(stepStart('r', 'c'));
    expect(segments(store)).toHaveLength(2);
    const read = await createObjectStoreJournal(store).read();
    expect(read._unsafeUnwrap().map((entry) => ('stepId' in entry ? entry.stepId : entry.type))).toEqual([
      'run-start',
      'a',
      'b',
      'c',
    ]);
  });

  it('recognises its own segment and lock after an answer was lost, never calling them a conflict', async () => {
    const store = createMemoryObjectStore();
    const journal = createObjectStoreJournal(losingAnswers(store, 2));
    expect((await journal.acquireLock('p', 'r')).isOk()).toBe(true);
    expect((await journal.append(start('r'))).isOk()).toBe(true);
    expect(segments(store)).toHaveLength(1);
    expect((await journal.read())._unsafeUnwrap()).toHaveLength(1);
  });

  it('ignores a torn segment and records the repair before the next entries', async () => {
    const store = createMemoryObjectStore();
    const first = createObjectStoreJournal(store);
    await first.append(start('r1'));
    // A writer that died mid-upload on a store without atomic objects: half a line.
    store.objects.set('segments/000000000002.jsonl', '{"type":"step-start","runId":"r1","at":2,"st');
    const second = createObjectStoreJournal(store);
    expect((await second.read())._unsafeUnwrap()).toHaveLength(1);
    expect((await second.append(stepStart('r2', 'x'))).isOk()).toBe(true);
    const entries = (await second.read())._unsafeUnwrap();
    expect(entries.map((entry) => entry.type)).toEqual(['run-start', 'journal-repaired', 'step-start']);
    expect(entries[1]).toMatchObject({ runId: 'r2', line: 2 });
  });

  it('fences a runner whose lock was lost: the next writer owns the journal, the old one stops', async () => {
    const store = createMemoryObjectStore();
    const a = createObjectStoreJournal(store);
    const lockA = (await a.acquireLock('p', 'run-a'))._unsafeUnwrap();
    await a.append(start('run-a'));
    store.objects.delete('lock.json');
    const b = createObjectStoreJournal(store);
    expect((await b.acquireLock('p', 'run-b')).isOk()).toBe(true);
    expect((await b.append(start('run-b'))).isOk()).toBe(true);
    const stale = await a.append(stepStart('run-a', 'x'));
    expect(stale._unsafeUnwrapErr()).toMatchObject({ kind: 'conflict' });
    expect((await a.append(stepStart('run-a', 'y'))).isErr()).toBe(true);
    // Releasing a lost lock leaves the new holder's lock alone.
    expect((await lockA.release()).isOk()).toBe(true);
    expect((await b.lockHolder())._unsafeUnwrap()?.runId).toBe('run-b');
    const entries = (await b.read())._unsafeUnwrap();
    expect(entries.map((entry) => entry.runId)).toEqual(['run-a', 'run-b']);
  });

  it('takes a stale lock over only when told its run id, records it, and lets one of two takers win', async () => {
    const store = createMemoryObjectStore();
    (await createObjectStoreJournal(store).acquireLock('p', 'dead-run'))._unsafeUnwrap();
    expect((await createObjectStoreJournal(store).acquireLock('p', 'r1')).isErr()).toBe(true);
    const wrongName = await createObjectStoreJournal(store, { takeOver: 'other-run' }).acquireLock('p', 'r1');
    expect(wrongName._unsafeUnwrapErr()).toMatchObject({ kind: 'conflict' });

    const [x, y] = await Promise.all([
      createObjectStoreJournal(store, { takeOver: 'dead-run' }).acquireLock('p', 'taker-x'),
      createObjectStoreJournal(store, { takeOver: 'dead-run' }).acquireLock('p', 'taker-y'),
    ]);
    expect([x.isOk(), y.isOk()].filter(Boolean)).toHaveLength(1);
    const winner = x.isOk() ? 'taker-x' : 'taker-y';
    expect((await createObjectStoreJournal(store).lockHolder())._unsafeUnwrap()?.runId).toBe(winner);
    const record = JSON.parse(store.objects.get('takeovers/dead-run.json')!);
    expect(record).toMatchObject({ previous: { runId: 'dead-run' }, by: { runId: winner } });
  });

  it('releases its lock so the next run can take it', async () => {
    const store = createMemoryObjectStore();
    const lock = (await createObjectStoreJournal(store).acquireLock('p', 'r1'))._unsafeUnwrap();
    expect((await lock.release()).isOk()).toBe(true);
    expect(store.objects.has('lock.json')).toBe(false);
    expect((await createObjectStoreJournal(store).acquireLock('p', 'r2')).isOk()).toBe(true);
  });
});
