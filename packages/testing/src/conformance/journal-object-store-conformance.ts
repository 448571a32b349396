import { createObjectStoreJournal, type JournalEntry, type JournalObjectStoreV1 } from '@failover/core';
import { expect, it } from 'vitest';

/** What the shared journal-store cases need of one backend, fresh for each case. */
export interface JournalObjectStoreCases {
  /** A store on the backend under test; each call a new client of the same prefix. */
  store(): JournalObjectStoreV1;
  /** The backend's keys as stored (with the store's prefix), to count the segments written. */
  storedKeys(): string[];
  /** Makes the backend's next create-only write be applied, then answered with a 5xx. */
  loseNextCreate(): void;
  /** Deletes a key (with the store's prefix) behind the stores' backs, as an operator or a lifecycle rule would. */
  removeStored(key: string): void;
  /** The store's key prefix (with no trailing slash). */
  prefix: string;
}

const start = (runId: string): JournalEntry => ({
  type: 'run-start',
  runId,
  at: 1,
  planId: 'p',
  fingerprint: 'f',
});

/**
 * Registers (as vitest `it`s) the cases every object-store journal backend shares: two runners
 * racing for one journal's lock, exactly one wins; a segment whose create was applied and its
 * answer lost is recognised as the writer's own, not written twice; a runner whose lock was
 * deleted is fenced once another runner has written.
 */
export function registerJournalObjectStoreCases(backend: () => JournalObjectStoreCases): void {
  it('lets exactly one of two runners racing for the same journal take its lock', async () => {
    const { store } = backend();
    const [a, b] = await Promise.all([
      createObjectStoreJournal(store()).acquireLock('p', 'run-a'),
      createObjectStoreJournal(store()).acquireLock('p', 'run-b'),
    ]);
    expect([a.isOk(), b.isOk()].filter(Boolean)).toHaveLength(1);
    expect((a.isErr() ? a : b)._unsafeUnwrapErr()).toMatchObject({ kind: 'conflict' });
  });

  it('recognises a segment whose create-only write was applied and answered 5xx as its own', async () => {
    const { store, storedKeys, loseNextCreate, prefix } = backend();
    const journal = createObjectStoreJournal(store());
    loseNextCreate();
    expect((await journal.append(start('r1'))).isOk()).toBe(true);
    expect(storedKeys()).toEqual([`${prefix}/segments/000000000001.jsonl`]);
    expect((await createObjectStoreJournal(store()).read())._unsafeUnwrap()).toEqual([start('r1')]);
  });

  it('fences a runner whose lock was deleted once another runner has written', async () => {
    const { store, removeStored, prefix } = backend();
    const a = createObjectStoreJournal(store());
    (await a.acquireLock('p', 'run-a'))._unsafeUnwrap();
    await a.append(start('run-a'));
    removeStored(`${prefix}/lock.json`);
    const b = createObjectStoreJournal(store());
    (await b.acquireLock('p', 'run-b'))._unsafeUnwrap();
    await b.append(start('run-b'));
    expect((await a.append(start('run-a-again')))._unsafeUnwrapErr()).toMatchObject({ kind: 'conflict' });
    expect((await b.read())._unsafeUnwrap().map((entry) => entry.runId)).toEqual(['run-a', 'run-b']);
  });
}
