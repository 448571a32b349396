import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileWatchJournal, type WatchJournalEntry } from './watch-journal.js';

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'watch-journal-'));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

const decision = {
  kind: 'AUTOMATIC_FAILOVER' as const,
  reason: 'r',
  confidence: 'HIGH' as const,
  evidence: [],
};

describe('createFileWatchJournal', () => {
  it('reads back what a previous process appended, ignoring a line torn by a crash', async () => {
    const path = join(directory, 'watch.jsonl');
    expect((await createFileWatchJournal(path).read())._unsafeUnwrap()).toEqual([]);
    const first = createFileWatchJournal(path);
    const trigger: WatchJournalEntry = { type: 'watch-trigger', at: 80_000, runId: 'run-1', decision };
    (await first.append(trigger))._unsafeUnwrap();
    appendFileSync(path, '{"type":"watch-run-end","at":9');
    const reopened = createFileWatchJournal(path);
    expect((await reopened.read())._unsafeUnwrap()).toEqual([trigger]);
    // The next process's entry starts on a fresh line: it survives the torn one.
    const ended: WatchJournalEntry = {
      type: 'watch-run-end',
      at: 200_000,
      runId: 'run-1',
      status: 'succeeded',
    };
    (await reopened.append(ended))._unsafeUnwrap();
    expect((await createFileWatchJournal(path).read())._unsafeUnwrap()).toEqual([trigger, ended]);
  });

  it('fails as a value when the file cannot be written', async () => {
    const journal = createFileWatchJournal(join(directory, 'missing-dir', 'watch.jsonl'));
    const appended = await journal.append({ type: 'watch-review', at: 0, decision });
    expect(appended._unsafeUnwrapErr()).toMatchObject({ kind: 'unavailable', provider: 'journal.watch' });
  });
});
