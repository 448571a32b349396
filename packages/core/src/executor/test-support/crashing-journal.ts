import { FailoverError } from '../../errors/failover-error.js';
import type { Journal } from '../../journal/journal.js';
import type { JournalEntry } from '../../journal/journal-entry.js';
import { errAsync, okAsync } from '../../result.js';

/**
 * Wraps a journal to simulate the process dying right after `crashAfter`'s
 * entry reached the disk: every later append fails (so nothing more reaches the
 * file, as if the process were gone) and the lock is never released. The entry
 * and those before it are flushed at the crash, so a test names its crash point
 * by the last entry on disk, whatever that entry's durability class (a file
 * journal writes most entries behind).
 */
export function crashingJournal(
  inner: Journal,
  crashAfter: (entry: JournalEntry) => boolean,
  /** Called at the crash, e.g. to abort the run: work between two appends stops too, as in a dead process. */
  onCrash?: () => void,
  /** `failFirst`: the very first append already fails (the journal was never writable). */
  options: { failFirst?: boolean } = {},
): Journal {
  let crashed = options.failFirst ?? false;
  return {
    acquireLock: (planId, runId) =>
      inner.acquireLock(planId, runId).map((lock) => ({ ...lock, release: () => okAsync(undefined) })),
    append(entry) {
      if (crashed) {
        return errAsync(
          new FailoverError({
            kind: 'unavailable',
            message: 'simulated crash',
            provider: 'test',
            operation: 'append',
          }),
        );
      }
      return inner.append(entry).andThen(() => {
        if (!crashAfter(entry)) return okAsync(undefined);
        crashed = true;
        onCrash?.();
        return inner.flush?.() ?? okAsync(undefined);
      });
    },
    read: () => inner.read(),
  };
}
