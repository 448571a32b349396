import { FailoverError } from '../errors/failover-error.js';
import { errAsync, okAsync } from '../result.js';
import type { Journal, JournalLock } from './journal.js';
import type { JournalEntry } from './journal-entry.js';

export interface MemoryJournal extends Journal {
  /** The entries so far (a live view; treat as read-only). */
  readonly entries: readonly JournalEntry[];
}

/**
 * A journal held in memory: the default, and enough to resume within one
 * process (pass the same journal to the next `runPlan`). Entries are kept by
 * reference, not copied.
 */
export function createMemoryJournal(initial: readonly JournalEntry[] = []): MemoryJournal {
  const entries: JournalEntry[] = [...initial];
  let holder: { planId: string; runId: string } | undefined;

  return {
    entries,
    acquireLock(planId, runId) {
      if (holder) {
        return errAsync(
          new FailoverError({
            kind: 'conflict',
            message: `The journal is locked by run ${holder.runId} of plan ${holder.planId}.`,
            provider: 'journal.memory',
            operation: 'acquireLock',
          }),
        );
      }
      const mine = { planId, runId };
      holder = mine;
      const lock: JournalLock = {
        planId,
        runId,
        release() {
          if (holder === mine) holder = undefined;
          return okAsync(undefined);
        },
      };
      return okAsync(lock);
    },
    append(entry) {
      entries.push(entry);
      return okAsync(undefined);
    },
    read() {
      return okAsync([...entries]);
    },
  };
}
