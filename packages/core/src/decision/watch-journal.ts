import { appendFileSync, closeSync, fstatSync, fsyncSync, openSync, readFileSync, readSync } from 'node:fs';
import { FailoverError } from '../errors/failover-error.js';
import type { IncidentDetection } from '../report/incident-review.js';
import { type FailoverResult, okAsync, ResultAsync } from '../result.js';
import type { Decision } from './decision.js';
import type { EngineState, Evaluation } from './decision-engine.js';

/** How the bound plan's run ended, as the watcher saw it. */
export type WatchRunStatus = 'succeeded' | 'failed' | 'rolled-back' | 'cancelled' | 'error';

/**
 * What `watchHealth` records, in order: every evaluation with its inputs and the
 * state after it; the trigger of the one automatic run (written before it
 * starts, with the incident's detection) and its end; each manual review notified.
 */
export type WatchJournalEntry =
  | { type: 'watch-evaluation'; at: number; evaluation: Evaluation; state: EngineState }
  | { type: 'watch-trigger'; at: number; runId: string; decision: Decision; detection?: IncidentDetection }
  | { type: 'watch-run-end'; at: number; runId: string; status: WatchRunStatus; detail?: string }
  | { type: 'watch-review'; at: number; decision: Decision };

/** The watcher's append-only record: what a restarted watcher rebuilds its state from. */
export interface WatchJournal {
  append(entry: WatchJournalEntry): FailoverResult<void>;
  read(): FailoverResult<WatchJournalEntry[]>;
}

/** A watch journal in memory (tests, or a watcher that need not survive a restart). */
export function createMemoryWatchJournal(
  initial: readonly WatchJournalEntry[] = [],
): WatchJournal & { readonly entries: readonly WatchJournalEntry[] } {
  const entries = [...initial];
  return {
    entries,
    append(entry) {
      entries.push(structuredClone(entry));
      return okAsync(undefined);
    },
    read: () => okAsync(structuredClone(entries)),
  };
}

/**
 * A watch journal in a JSON-lines file, each entry synced to disk before the
 * append resolves (a trigger must be on disk before the run starts). A torn
 * last line (a crash mid-write) is ignored on read.
 */
export function createFileWatchJournal(path: string): WatchJournal {
  const fail = (operation: string, cause: unknown) =>
    new FailoverError({
      kind: 'unavailable',
      message: `The watch journal ${path} could not be ${operation === 'append' ? 'written' : 'read'}: ${String(cause)}`,
      provider: 'journal.watch',
      operation,
      retryable: false,
      cause,
    });
  return {
    append(entry) {
      return ResultAsync.fromPromise(
        (async () => {
          const handle = openSync(path, 'a+', 0o600);
          try {
            // After a line torn by a crash, start on a fresh line, or this entry would be lost with it.
            const size = fstatSync(handle).size;
            const last = Buffer.alloc(1);
            const torn = size > 0 && readSync(handle, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a;
            appendFileSync(handle, `${torn ? '\n' : ''}${JSON.stringify(entry)}\n`);
            fsyncSync(handle);
          } finally {
            closeSync(handle);
          }
        })(),
        (cause) => fail('append', cause),
      );
    },
    read() {
      return ResultAsync.fromPromise(
        (async () => {
          let text: string;
          try {
            text = readFileSync(path, 'utf8');
          } catch (cause) {
            if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return [];
            throw cause;
          }
          const entries: WatchJournalEntry[] = [];
          for (const line of text.split('\n')) {
            if (line.trim() === '') continue;
            try {
              entries.push(JSON.parse(line) as WatchJournalEntry);
            } catch {
              // A torn line from a crash mid-append: everything before it stands.
            }
          }
          return entries;
        })(),
        (cause) => fail('read', cause),
      );
    },
  };
}
