import { FailoverError } from '../errors/failover-error.js';
import { err, ok, type Result } from '../result.js';
import type { JournalEntry } from './journal-entry.js';
import { journalEntryProblem } from './journal-entry-schema.js';

/**
 * Parses JSON lines into journal entries, each checked against its schema.
 *
 * Every entry is written with its newline in the same write, so what follows the
 * last newline is either filler (the spaces a file journal grows its file by) or a
 * torn line (a crash while writing it), never acknowledged: it is dropped, whatever
 * it holds. So is a crash hole (see `isCrashHole`) and everything after it. Any
 * other bad line is an `invalid-input` error naming its line number.
 */
export function parseJournalLines(text: string, source: string): Result<JournalEntry[], FailoverError> {
  const lines = text.split('\n');
  // After the last newline: empty for an intact journal, filler or a torn line otherwise.
  lines.pop();
  const entries: JournalEntry[] = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.trim() === '') {
      // The writer never writes a blank line: a sector of nothing is a crash hole.
      if (holeRun.test(line)) break;
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (cause) {
      if (holeRun.test(line)) break;
      return err(invalidLine(source, index, 'is not JSON', cause));
    }
    const problem = journalEntryProblem(value);
    if (problem && holeRun.test(line)) break;
    if (problem) return err(invalidLine(source, index, `is not a valid journal entry: it ${problem}`));
    entries.push(value as JournalEntry);
  }
  return ok(entries);
}

/**
 * A sector's worth (512 bytes) of spaces or NULs in a row: what a crash leaves where a
 * write into the file's filler did not reach the disk while a later page of the same
 * write did (a disk may persist unsynced pages in any order). `JSON.stringify` never
 * writes such a run outside a string.
 */
const holeRun = /[ \0]{512,}/;

/**
 * Whether `line` is where a crash cut the journal: not a valid entry (JSON allows the
 * spaces between tokens, the schema then misses a field), or blank, with a hole in it. It was
 * written after the last sync, so nothing from it on was relied upon: a reader stops
 * there, and the next append cuts the file back to it, as for a torn last line.
 */
export function isCrashHole(line: string): boolean {
  if (!holeRun.test(line)) return false;
  if (line.trim() === '') return true;
  try {
    return journalEntryProblem(JSON.parse(line)) !== undefined;
  } catch {
    return true;
  }
}

/**
 * Where the journal's complete entries end, in bytes: after the last newline, or at
 * the start of the first crash hole. Past it lies filler, a torn line, or what a
 * crash left unsynced.
 */
export function completeEntriesEnd(bytes: Buffer): number {
  let start = 0;
  for (let newline = bytes.indexOf(0x0a); newline !== -1; newline = bytes.indexOf(0x0a, start)) {
    if (isCrashHole(bytes.toString('utf8', start, newline))) return start;
    start = newline + 1;
  }
  return start;
}

function invalidLine(source: string, index: number, problem: string, cause?: unknown): FailoverError {
  return new FailoverError({
    kind: 'invalid-input',
    message: `Line ${index + 1} of the journal ${source} ${problem}.`,
    provider: 'journal.file',
    operation: 'read',
    path: `line ${index + 1}`,
    cause,
  });
}
