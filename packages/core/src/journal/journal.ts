import type { FailoverResult } from '../result.js';
import type { JournalEntry } from './journal-entry.js';

/** Proof that one run holds a journal. Release it when the run ends. */
export interface JournalLock {
  readonly planId: string;
  readonly runId: string;
  /** Gives the lock up; a later run of the same plan and journal may take it. */
  release(): FailoverResult<void>;
}

/**
 * The executor's append-only record of a run, read back to resume after a crash.
 *
 * The executor appends only while it holds the lock, and waits for each append
 * before it relies on the entry: `step-intent` before a mutating call,
 * `step-handle` before waiting, `step-end` before dependents start (a resume reads the
 * entries in order, so a dependent never looks started before what it waited for).
 */
export interface Journal {
  /** Takes the journal for one run. While it is held, another `acquireLock` fails with `conflict`. */
  acquireLock(planId: string, runId: string): FailoverResult<JournalLock>;
  /**
   * Appends one entry. When the result is ok the entry is recorded, after every entry
   * appended before it. It may be held in memory for a moment, but an entry that guards
   * a mutating call (`step-intent`, `rollback-start`, `rollback-step`) or ends the run
   * (`run-end`) is on disk when acknowledged, with every entry before it, and a
   * `step-handle` survives a crash of the process. So a crash loses at most entries a
   * resumed run can do without: it observes those steps again.
   */
  append(entry: JournalEntry): FailoverResult<void>;
  /**
   * Makes every entry appended so far survive a crash of the machine too. A journal
   * that syncs only the entries guarding a mutating call (the file journal) has the
   * others on disk with the next sync; the executor calls this before a long wait for
   * a human, so a machine lost meanwhile loses nothing. Optional: a journal whose
   * every ok append is already on disk has nothing to do.
   */
  flush?(): FailoverResult<void>;
  /** Every entry, in the order appended. */
  read(): FailoverResult<JournalEntry[]>;
}
