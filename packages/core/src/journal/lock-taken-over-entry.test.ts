import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileJournal } from './file-journal.js';
import type { JournalEntry } from './journal-entry.js';
import { journalEntryProblem } from './journal-entry-schema.js';
import { createObjectStoreJournal } from './object-store-journal.js';
import { createMemoryObjectStore } from './object-store-memory.js';
import { replayJournal } from './replay-journal.js';

// A takeover of a journal's lock is journaled, for file and object-store journals alike:
// a `lock-taken-over` entry ahead of the new holder's first entry, which replay ignores.
const start = (runId: string, at: number, resumes?: string): JournalEntry => ({
  type: 'run-start',
  runId,
  at,
  planId: 'p',
  fingerprint: 'f',
  ...(resumes !== undefined && { resumes }),
});
const stepEnd = (runId: string, stepId: string): JournalEntry => ({
  type: 'step-end',
  runId,
  at: 3,
  stepId,
  status: 'succeeded',
  changed: true,
  startedAt: 2,
  attempts: 1,
});

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('a lock taken over is journaled', () => {
  it('object store: --take-over writes who took over whom ahead of the new run, once, without the lock token', async () => {
    const store = createMemoryObjectStore();
    const dead = createObjectStoreJournal(store);
    (await dead.acquireLock('p', 'run-a'))._unsafeUnwrap();
    (await dead.append(start('run-a', 1)))._unsafeUnwrap();
    (await dead.append(stepEnd('run-a', 'one')))._unsafeUnwrap();

    // Of two operators taking over at once, exactly one gets the lock, and only it journals.
    const [x, y] = [
      createObjectStoreJournal(store, { takeOver: 'run-a' }),
      createObjectStoreJournal(store, { takeOver: 'run-a' }),
    ];
    const [lockX, lockY] = await Promise.all([x.acquireLock('p', 'run-x'), y.acquireLock('p', 'run-y')]);
    expect([lockX.isOk(), lockY.isOk()].filter(Boolean)).toHaveLength(1);
    const [winner, runId] = lockX.isOk() ? [x, 'run-x'] : [y, 'run-y'];
    (await winner.append(start(runId, 10, 'run-a')))._unsafeUnwrap();
    (await winner.append(stepEnd(runId, 'two')))._unsafeUnwrap();

    const entries = (await winner.read())._unsafeUnwrap();
    expect(entries.map((entry) => entry.type)).toEqual([
      'run-start',
      'step-end',
      'lock-taken-over',
      'run-start',
      'step-end',
    ]);
    const taken = entries[2]!;
    expect(taken).toEqual({
      type: 'lock-taken-over',
      runId,
      at: 10,
      how: 'take-over',
      previous: {
        runId: 'run-a',
        planId: 'p',
        pid: process.pid,
        hostname: hostname(),
        acquiredAt: expect.any(String),
      },
      by: { pid: process.pid, hostname: hostname(), planId: 'p' },
    });
    expect(JSON.stringify(taken)).not.toContain('token');
    expect(journalEntryProblem(taken)).toBeUndefined();
    // Written once: the next batch does not repeat it.
    expect(entries.filter((entry) => entry.type === 'lock-taken-over')).toHaveLength(1);
    // The create-only claim that decided between the takers is still there.
    expect(store.objects.has('takeovers/run-a.json')).toBe(true);
  });

  it('a lock taken normally journals nothing extra', async () => {
    const store = createMemoryObjectStore();
    const journal = createObjectStoreJournal(store, { takeOver: 'nobody' });
    (await journal.acquireLock('p', 'run-a'))._unsafeUnwrap();
    (await journal.append(start('run-a', 1)))._unsafeUnwrap();
    expect((await journal.read())._unsafeUnwrap().map((entry) => entry.type)).toEqual(['run-start']);
  });

  it('file: --force-unlock and a dead process lock are journaled, synced with the first entry', async () => {
    dir = mkdtempSync(join(tmpdir(), 'failover-takeover-'));
    const path = join(dir, 'run.journal');
    const first = createFileJournal(path);
    (await first.acquireLock('p', 'run-a'))._unsafeUnwrap();
    (await first.append(start('run-a', 1)))._unsafeUnwrap();
    // A run-start is written behind; the first run's process would have written it by now.
    (await first.flush!())._unsafeUnwrap();

    // The holder is this (live) process: only --force-unlock takes it.
    expect((await createFileJournal(path).acquireLock('p', 'run-b')).isErr()).toBe(true);
    const forced = createFileJournal(path, { forceUnlock: true });
    const lock = (await forced.acquireLock('p', 'run-b'))._unsafeUnwrap();
    (await forced.append(start('run-b', 5, 'run-a')))._unsafeUnwrap();
    expect((await forced.read())._unsafeUnwrap()[1]).toMatchObject({
      type: 'lock-taken-over',
      runId: 'run-b',
      at: 5,
      how: 'force-unlock',
      previous: { runId: 'run-a', planId: 'p' },
    });
    (await lock.release())._unsafeUnwrap();

    // A lock left by a process of this host that is gone is taken over, and says so.
    const deadPid = 2 ** 22 + 1;
    writeFileSync(
      `${path}.lock`,
      `${JSON.stringify({ pid: deadPid, hostname: hostname(), planId: 'p', runId: 'run-c', acquiredAt: new Date(0).toISOString() })}\n`,
    );
    const taker = createFileJournal(path);
    (await taker.acquireLock('p', 'run-d'))._unsafeUnwrap();
    (await taker.append(start('run-d', 9, 'run-b')))._unsafeUnwrap();
    const entries = (await taker.read())._unsafeUnwrap();
    expect(entries.at(-2)).toMatchObject({
      type: 'lock-taken-over',
      runId: 'run-d',
      how: 'stale-lock',
      previous: { runId: 'run-c', pid: deadPid },
      by: { pid: process.pid, planId: 'p' },
    });
  });

  it('replay ignores it: the resume state is the one without the entry', () => {
    const chain = [start('run-a', 1), stepEnd('run-a', 'one')];
    const taken: JournalEntry = {
      type: 'lock-taken-over',
      runId: 'run-b',
      at: 5,
      how: 'take-over',
      previous: { runId: 'run-a', planId: 'p' },
      by: { pid: 1, hostname: 'h', planId: 'p' },
    };
    const plain = replayJournal([...chain, start('run-b', 5, 'run-a')], 'p', 'f')._unsafeUnwrap();
    const withEntry = replayJournal([...chain, taken, start('run-b', 5, 'run-a')], 'p', 'f')._unsafeUnwrap();
    expect(withEntry).toEqual(plain);
    expect(withEntry?.completed.has('one')).toBe(true);
  });
});
