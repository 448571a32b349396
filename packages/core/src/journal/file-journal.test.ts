import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createFileJournal } from './file-journal.js';
import type { JournalEntry } from './journal-entry.js';
import { stepHandle, stepStart } from './test-support/journal-entries.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'failover-journal-'));
  dirs.push(dir);
  return dir;
};
const tempPath = () => join(tempDir(), 'run.jsonl');
const entry = stepStart;
const handle = stepHandle;

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
    // Starts are written behind (see the durability tests below); flush puts them in the file.
    expect((await journal.flush!()).isOk()).toBe(true);
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

  it('cuts a torn last line back to the last complete entry before appending, and journals the repair', async () => {
    const path = tempPath();
    const torn = '{"type":"step-end","runId":"r1","at":2,"step';
    writeFileSync(path, `${JSON.stringify(entry('a'))}\n${torn}`);
    const journal = createFileJournal(path);
    // A torn line is never acknowledged: read drops it, even before the repair.
    expect((await journal.read())._unsafeUnwrap()).toEqual([entry('a')]);
    const later: JournalEntry = { type: 'step-start', runId: 'r2', at: 5, stepId: 'b' };
    expect((await journal.append(later)).isOk()).toBe(true);
    expect((await journal.flush!()).isOk()).toBe(true);
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines).toHaveLength(4); // a, repaired, b, and the empty string after the last newline
    expect(JSON.parse(lines[1]!)).toEqual({
      type: 'journal-repaired',
      runId: 'r2',
      at: 5,
      line: 2,
      truncatedBytes: Buffer.byteLength(torn),
    });
    expect((await createFileJournal(path).read())._unsafeUnwrap().map((e) => e.type)).toEqual([
      'step-start',
      'journal-repaired',
      'step-start',
    ]);
  });

  it('treats a last line without its newline as torn, even when it parses', async () => {
    const path = tempPath();
    writeFileSync(path, `${JSON.stringify(entry('a'))}\n${JSON.stringify(entry('b'))}`);
    expect((await createFileJournal(path).read())._unsafeUnwrap()).toEqual([entry('a')]);
  });

  it('validates every entry against its schema and names the line of a bad one', async () => {
    const path = tempPath();
    const bad = {
      type: 'step-end',
      runId: 'r1',
      at: 3,
      stepId: 's',
      changed: true,
      startedAt: 1,
      attempts: 1,
    };
    writeFileSync(
      path,
      `${JSON.stringify(entry('a'))}\n${JSON.stringify(bad)}\n${JSON.stringify(entry('b'))}\n`,
    );
    const error = (await createFileJournal(path).read())._unsafeUnwrapErr();
    expect(error.kind).toBe('invalid-input');
    expect(error.path).toBe('line 2');
    expect(error.message).toContain('Line 2 of the journal');
    expect(error.message).toContain('(step-end) lacks "status"');

    writeFileSync(path, `${JSON.stringify({ ...entry('a'), at: 'noon' })}\n`);
    expect((await createFileJournal(path).read())._unsafeUnwrapErr().message).toContain(
      '"at" must be a finite number',
    );
    writeFileSync(
      path,
      `${JSON.stringify({ type: 'step-intent', runId: 'r', at: 1, stepId: 's', operation: 'x', before: 7 })}\n`,
    );
    expect((await createFileJournal(path).read())._unsafeUnwrapErr().message).toContain(
      '"before" must be an object or null',
    );
    writeFileSync(path, `${JSON.stringify({ type: 'step-teleport', runId: 'r', at: 1 })}\n`);
    expect((await createFileJournal(path).read())._unsafeUnwrapErr().message).toContain(
      'unknown type "step-teleport"',
    );
  });

  it.runIf(process.platform !== 'win32')(
    'refuses a FIFO or a device instead of reading it forever',
    async () => {
      const fifo = join(tempDir(), 'fifo');
      expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
      for (const path of [fifo, '/dev/zero']) {
        const journal = createFileJournal(path);
        const read = (await journal.read())._unsafeUnwrapErr();
        expect(read.kind).toBe('invalid-input');
        expect(read.message).toContain('is not a regular file');
        const appended = (await journal.append(entry('a')))._unsafeUnwrapErr();
        expect(appended.message).toContain('is not a regular file');
      }
    },
  );

  it('writes the step handles appended in one turn together, each acknowledged only once written', async () => {
    const path = tempPath();
    const journal = createFileJournal(path);
    const ids = Array.from({ length: 50 }, (_, index) => `s${index}`);
    const appended = ids.map((id) => journal.append(handle(id)));
    // The file is opened by the first append; nothing is written before the batch is.
    expect(readFileSync(path, 'utf8')).toBe('');
    const first = await appended[0]!;
    expect(first.isOk()).toBe(true);
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(50);
    expect((await Promise.all(appended)).every((result) => result.isOk())).toBe(true);
    expect(((await journal.read())._unsafeUnwrap() as { stepId: string }[]).map((e) => e.stepId)).toEqual(
      ids,
    );
    expect((await journal.append(handle('later'))).isOk()).toBe(true);
    expect((await journal.read())._unsafeUnwrap()).toHaveLength(51);
  });

  it('acknowledges an entry that guards nothing at once, and writes it in order within 20 ms or with the next batch', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const path = tempPath();
      const journal = createFileJournal(path);
      const stepIds = () =>
        readFileSync(path, 'utf8')
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line).stepId);
      expect((await journal.append(entry('a'))).isOk()).toBe(true);
      expect((await journal.append(entry('b'))).isOk()).toBe(true);
      expect(stepIds()).toEqual([]);
      vi.advanceTimersByTime(19);
      expect(stepIds()).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(stepIds()).toEqual(['a', 'b']);
      // A handle's batch takes the starts appended before it along, in order, and no timer is left.
      expect((await journal.append(entry('c'))).isOk()).toBe(true);
      expect((await journal.append(handle('d'))).isOk()).toBe(true);
      expect(stepIds()).toEqual(['a', 'b', 'c', 'd']);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('writes what is behind when the process exits, even by process.exit', () => {
    const path = tempPath();
    const script = [
      `import { createFileJournal } from ${JSON.stringify(new URL('./file-journal.ts', import.meta.url).pathname)};`,
      `const journal = createFileJournal(${JSON.stringify(path)});`,
      `await journal.append(${JSON.stringify(entry('a'))});`,
      'process.exit(0);',
    ].join('\n');
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(entry('a'));
  });

  it('grows the file ahead with spaces, which read skips, and cuts them off at the run end', async () => {
    const path = tempPath();
    const journal = createFileJournal(path);
    expect((await journal.append(handle('a'))).isOk()).toBe(true);
    const growing = readFileSync(path, 'utf8');
    const entries = growing.slice(0, growing.lastIndexOf('\n') + 1);
    expect(entries).toBe(`${JSON.stringify(handle('a'))}\n`);
    // The rest is filler, so a sync commits data, not a new size.
    expect(growing.length).toBeGreaterThanOrEqual(64 * 1024);
    expect(growing.slice(entries.length).trim()).toBe('');
    expect((await createFileJournal(path).read())._unsafeUnwrap()).toEqual([handle('a')]);
    const end: JournalEntry = { type: 'run-end', runId: 'r1', at: 2, status: 'succeeded' };
    expect((await journal.append(end)).isOk()).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(`${entries}${JSON.stringify(end)}\n`);
  });

  it('reuses the filler a crash left behind, and repairs a torn line before it by the torn bytes only', async () => {
    const path = tempPath();
    const spaces = ' '.repeat(1000);
    writeFileSync(path, `${JSON.stringify(entry('a'))}\n${spaces}`);
    const reused = createFileJournal(path);
    expect((await reused.read())._unsafeUnwrap()).toEqual([entry('a')]);
    expect((await reused.append(handle('b'))).isOk()).toBe(true);
    expect((await reused.read())._unsafeUnwrap()).toEqual([entry('a'), handle('b')]);
    // The file did not grow: the new entry went into the filler.
    expect(readFileSync(path).length).toBe(Buffer.byteLength(`${JSON.stringify(entry('a'))}\n${spaces}`));

    const torn = '{"type":"step-end","runId":"r1","at":2,"step';
    writeFileSync(path, `${JSON.stringify(entry('a'))}\n${torn}${spaces}`);
    const repaired = createFileJournal(path);
    expect((await repaired.append(handle('c'))).isOk()).toBe(true);
    expect((await repaired.read())._unsafeUnwrap()).toEqual([
      entry('a'),
      { type: 'journal-repaired', runId: 'r1', at: 1, line: 2, truncatedBytes: torn.length },
      handle('c'),
    ]);
  });

  it('stops at a hole a crash left in the unsynced tail, and cuts it off with what follows before appending', async () => {
    const path = tempPath();
    // A crash persisted a later page of a write but not the page before it: that page still
    // holds the filler it overwrote, in the middle of a line.
    const damaged = `{"type":"step-end","runId":"r1",${' '.repeat(600)}"stepId":"b","status":"succeeded"}`;
    const after = JSON.stringify(entry('c'));
    const file = `${JSON.stringify(entry('a'))}\n${damaged}\n${after}\n${' '.repeat(300)}`;
    writeFileSync(path, file);
    const journal = createFileJournal(path);
    expect((await journal.read())._unsafeUnwrap()).toEqual([entry('a')]);
    expect((await journal.append(handle('d'))).isOk()).toBe(true);
    expect((await journal.read())._unsafeUnwrap()).toEqual([
      entry('a'),
      {
        type: 'journal-repaired',
        runId: 'r1',
        at: 1,
        line: 2,
        truncatedBytes: Buffer.byteLength(`${damaged}\n${after}\n`),
      },
      handle('d'),
    ]);
    // A hole inside a token (not JSON at all) is a crash hole too.
    writeFileSync(path, `${JSON.stringify(entry('a'))}\n{"type":"step-e${' '.repeat(512)}nd"}\n${after}\n`);
    expect((await createFileJournal(path).read())._unsafeUnwrap()).toEqual([entry('a')]);
    // A whole line lost to a hole (its newline persisted): the lines after it are not kept either.
    writeFileSync(path, `${JSON.stringify(entry('a'))}\n${' '.repeat(700)}\n${after}\n`);
    expect((await createFileJournal(path).read())._unsafeUnwrap()).toEqual([entry('a')]);
    // A bad line without a hole is still corruption, not a crash: it is refused.
    writeFileSync(path, `${JSON.stringify(entry('a'))}\n{"type":"step-end",  "runId"\n${after}\n`);
    expect((await createFileJournal(path).read())._unsafeUnwrapErr().path).toBe('line 2');
  });

  it('names the live holder of the lock, and not a dead one', async () => {
    const path = tempPath();
    const journal = createFileJournal(path);
    expect(journal.lockHolder()).toBeUndefined();
    const lock = (await journal.acquireLock('plan', 'run-1'))._unsafeUnwrap();
    expect(journal.lockHolder()).toMatchObject({ pid: process.pid, hostname: hostname(), runId: 'run-1' });
    const second = (await createFileJournal(path).acquireLock('plan', 'run-2'))._unsafeUnwrapErr();
    expect(second.message).toMatch(
      new RegExp(
        `Another run holds the lock of the journal .*: run run-1 of plan plan \\(pid ${process.pid} on .*, since \\d{4}-`,
      ),
    );
    await lock.release();
    writeFileSync(
      `${path}.lock`,
      JSON.stringify({ pid: deadPid(), hostname: hostname(), planId: 'p', runId: 'x', acquiredAt: 'then' }),
    );
    expect(journal.lockHolder()).toBeUndefined();
  });

  it('reports an I/O failure as an error value', async () => {
    const journal = createFileJournal(join(tempPath(), 'no-such-dir', 'run.jsonl'));
    const appended = await journal.append(entry('a'));
    expect(appended.isErr()).toBe(true);
    expect(appended._unsafeUnwrapErr().provider).toBe('journal.file');
  });
});
