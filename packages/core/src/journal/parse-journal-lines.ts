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
 * it holds. Any other bad line is an `invalid-input` error naming its line number.
 */
export function parseJournalLines(text: string, source: string): Result<JournalEntry[], FailoverError> {
  const lines = text.split('\n');
  // After the last newline: empty for an intact journal, filler or a torn line otherwise.
  lines.pop();
  const entries: JournalEntry[] = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (cause) {
      return err(invalidLine(source, index, 'is not JSON', cause));
    }
    const problem = journalEntryProblem(value);
    if (problem) return err(invalidLine(source, index, `is not a valid journal entry: it ${problem}`));
    entries.push(value as JournalEntry);
  }
  return ok(entries);
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
