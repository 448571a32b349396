import { FailoverError } from '../errors/failover-error.js';
import { err, ok, type Result } from '../result.js';
import type { JournalEntry, JournalEntryType } from './journal-entry.js';

const entryTypes = new Set<JournalEntryType>([
  'run-start',
  'step-start',
  'step-intent',
  'step-handle',
  'step-end',
  'rollback-start',
  'rollback-step',
  'run-end',
]);

/**
 * Parses JSON lines into journal entries. A torn last line (a crash while
 * writing it) is dropped: its entry was never acknowledged. Any other bad line
 * is an `invalid-input` error naming the line.
 */
export function parseJournalLines(text: string, source: string): Result<JournalEntry[], FailoverError> {
  const lines = text.split('\n');
  const entries: JournalEntry[] = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.trim() === '') continue;
    const isLast = index === lines.length - 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (cause) {
      if (isLast) break;
      return err(invalidLine(source, index, 'is not JSON', cause));
    }
    if (!isEntry(value)) {
      if (isLast) break;
      return err(invalidLine(source, index, 'is not a journal entry'));
    }
    entries.push(value);
  }
  return ok(entries);
}

function isEntry(value: unknown): value is JournalEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as { type?: unknown; runId?: unknown; at?: unknown };
  return (
    entryTypes.has(entry.type as JournalEntryType) &&
    typeof entry.runId === 'string' &&
    typeof entry.at === 'number'
  );
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
