import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileJournal } from './file-journal.js';
import type { JournalEntry } from './journal-entry.js';

const tempPath = () => join(mkdtempSync(join(tmpdir(), 'failover-journal-')), 'run.jsonl');
const entry = (stepId: string): JournalEntry => ({ type: 'step-start', runId: 'r1', at: 1, stepId });

/** A pid that certainly belonged to a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid!;
}

describe('createFileJournal', () => {
  it('appends JSON lines and reads them back in order', async () => {
    const path = tempPath();
    const journal = createFileJournal(path);
    expect((await journal.read())._unsafeUnwrap()).toEqual([]);
    for (const id of ['a', 'b', 'c']) expect((await journal.append(entry(id))).isOk()).toBe(true);
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(3);
    const reread = await createFileJournal(path).read();
    expect(reread._unsafeUnwrap().map((e) => (e.type === 'step-start' ? e.stepId : ''))).toEqual([
      'a',
      'b',
      'c',
    ]);
  });

  it('ignores a torn last line but rejects a corrupt line in the middle', async () => {
    const path = tempPath();
    writeFileSync(path, `${JSON.stringify(entry('a'))}\n{"type":"step-st`);
    expect((await createFileJournal(path).read())._unsafeUnwrap()).toHaveLength(1);
    writeFileSync(path, `${JSON.stringify(entry('a'))}\nnot json\n${JSON.stringify(entry('b'))}\n`);
    const error = (await createFileJournal(path).read())._unsafeUnwrapErr();
    expect(error.kind).toBe('invalid-input');
    expect(error.path).toBe('line 2');
  });

  it('lets one holder take the lock; a second gets conflict until it is released', async () => {
    const path = tempPath();
    const first = await createFileJournal(path).acquireLock('plan', 'run-1');
    expect(first.isOk()).toBe(true);
    const second = await createFileJournal(path).acquireLock('plan', 'run-2');
    expect(second._unsafeUnwrapErr().kind).toBe('conflict');
    expect(second._unsafeUnwrapErr().message).toContain('run-1');
    await first._unsafeUnwrap().release();
    expect((await createFileJournal(path).acquireLock('plan', 'run-3')).isOk()).toBe(true);
  });

  it('takes over a lock left by a dead process on this host, never one from elsewhere', async () => {
    const path = tempPath();
    const lock = (pid: number, host: string) =>
      writeFileSync(
        `${path}.lock`,
        JSON.stringify({
          pid,
          hostname: host,
          planId: 'plan',
          runId: 'crashed',
          acquiredAt: '2026-01-01T00:00:00Z',
        }),
      );
    lock(deadPid(), hostname());
    expect((await createFileJournal(path).acquireLock('plan', 'run-2')).isOk()).toBe(true);

    lock(deadPid(), 'some-other-host');
    expect((await createFileJournal(path).acquireLock('plan', 'run-3'))._unsafeUnwrapErr().kind).toBe(
      'conflict',
    );
    lock(deadPid(), hostname());
    const strict = await createFileJournal(path, { staleLock: 'never' }).acquireLock('plan', 'run-4');
    expect(strict._unsafeUnwrapErr().kind).toBe('conflict');
    // The operator's --force-unlock.
    lock(process.pid, 'some-other-host');
    expect((await createFileJournal(path, { forceUnlock: true }).acquireLock('plan', 'run-5')).isOk()).toBe(
      true,
    );
  });

  it('reports an I/O failure as an error value', async () => {
    const journal = createFileJournal(join(tempPath(), 'no-such-dir', 'run.jsonl'));
    const appended = await journal.append(entry('a'));
    expect(appended.isErr()).toBe(true);
    expect(appended._unsafeUnwrapErr().provider).toBe('journal.file');
  });
});
