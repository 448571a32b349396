import {
  closeSync,
  constants,
  fdatasyncSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readFileSync,
  statSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { FailoverError } from '../errors/failover-error.js';
import { err, errAsync, ok, okAsync, type Result, ResultAsync } from '../result.js';
import type { Journal } from './journal.js';
import type { JournalEntry, JournalRepairedEntry, LockTakenOverEntry } from './journal-entry.js';
import {
  claimLockFile,
  forceRemoveLockFile,
  isStaleHolder,
  type LockHolder,
  readLockHolder,
  releaseLockFile,
  type StaleLockPolicy,
} from './journal-lock-file.js';
import { parseJournalLines } from './parse-journal-lines.js';

export type { LockHolder } from './journal-lock-file.js';

/** Options of `createFileJournal`: where the lock lives and how a stale one is treated. */
export interface FileJournalOptions {
  /** Where the lock lives. Default: the journal path plus `.lock`. */
  lockPath?: string;
  /**
   * What to do with a lock left behind by a process that died:
   * - `check-pid` (default): when the lock was taken on this host and its pid is
   *   no longer alive, it is taken over (atomically: of several racing takers,
   *   exactly one wins). A lock from another host is never assumed stale.
   * - `never`: any existing lock is a `conflict`.
   */
  staleLock?: StaleLockPolicy;
  /**
   * Removes any existing lock first, whoever holds it: the `--force-unlock` of
   * this journal. Only for an operator who knows the holder is gone.
   */
  forceUnlock?: boolean;
}

/** A journal in a file, which can also say who holds its lock. */
export interface FileJournal extends Journal {
  /** The live holder of the lock (not a stale one a new run would take over), if any. */
  lockHolder(): LockHolder | undefined;
}

const provider = 'journal.file';
/**
 * Entries synced (with everything written before them) before they are acknowledged:
 * those the executor writes just before a mutating call (`step-intent` before an
 * ensure, `rollback-start` and `rollback-step` before undos), and the run's end.
 * Any other entry is written at once — a crash of the process keeps it, it is in
 * the kernel — and reaches the disk with the next sync, which comes before the
 * next mutating call. So every acknowledged entry is on disk before any later
 * mutating call, with one sync per batch of mutating steps instead of one per entry.
 */
const syncBeforeAck = new Set<JournalEntry['type']>([
  'step-intent',
  'rollback-start',
  'rollback-step',
  'run-end',
]);

/** Microtask turns without a new entry before a batch is written (cheap: no I/O, no timer). */
const quietTurnsBeforeFlush = 16;
const readFlags = constants.O_RDONLY | constants.O_NONBLOCK;
const appendFlags = constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | constants.O_NONBLOCK;

/**
 * A journal in a file, one JSON entry per line.
 *
 * Group commit: the entries appended within a few promise turns of each other
 * (the parallel steps of a wide plan) are written together by one write, in a
 * microtask, and synced by one `fdatasync` when the batch holds an entry that
 * guards a mutating call (see `syncBeforeAck`). Every append's result resolves
 * only after that, so an entry the executor relies on is on disk before the
 * mutating call it guards. No I/O callback or timer runs in between, so a
 * virtual clock cannot jump while entries are being written. `flush()` syncs
 * whatever is not on disk yet (the executor calls it before awaiting an approval).
 *
 * A crash mid-write leaves at most a torn last line: `read()` ignores it, and
 * the first append cuts the file back to its last complete entry and records
 * that with a `journal-repaired` entry, so no entry is ever glued to a torn one.
 * Only regular files are used: a FIFO or a device is refused, not read forever.
 *
 * The lock is a separate file holding the pid, host and run id, created and
 * taken over atomically; see `staleLock` and `forceUnlock`.
 */
export function createFileJournal(path: string, options: FileJournalOptions = {}): FileJournal {
  const lockPath = options.lockPath ?? `${path}.lock`;
  const policy = options.staleLock ?? 'check-pid';
  let fd: number | undefined;
  /** Bytes known to be complete (written whole): a failed write is cut back to here. */
  let writtenSize = 0;
  /** Bytes the last `fdatasync` made durable: `flush()` has nothing to do when all are. */
  let syncedSize = 0;
  let batch:
    | { lines: string[]; first: JournalEntry; mustSync: boolean; done: Promise<Result<void, FailoverError>> }
    | undefined;
  let settleBatch: ((result: Result<void, FailoverError>) => void) | undefined;
  /** A lock this journal took over (stale, or forced), journaled ahead of the next batch. */
  let takenOver: Omit<LockTakenOverEntry, 'at'> | undefined;

  /** Opens for appending; a torn last line is cut off and the repair returned as an entry to write first. */
  const openForAppend = (first: JournalEntry): string => {
    refuseNonRegular(path);
    const handle = openSync(path, appendFlags, 0o644);
    try {
      if (!fstatSync(handle).isFile()) throw nonRegularError(path);
      const text = readFileSync(handle);
      const cut = text.lastIndexOf(0x0a) + 1;
      let repair = '';
      if (cut < text.length) {
        ftruncateSync(handle, cut);
        const entry: JournalRepairedEntry = {
          type: 'journal-repaired',
          runId: first.runId,
          at: first.at,
          line: countNewlines(text, cut) + 1,
          truncatedBytes: text.length - cut,
        };
        repair = `${JSON.stringify(entry)}\n`;
      }
      syncDirectory(dirname(path));
      fd = handle;
      writtenSize = cut;
      syncedSize = 0;
      return repair;
    } catch (cause) {
      closeQuietly(handle);
      throw cause;
    }
  };

  // Parallel steps reach their next entry a few promise turns apart: wait until no
  // entry has been added for `quietTurnsBeforeFlush` microtask turns, so they share a
  // sync. Microtasks only: no I/O or timer (a virtual clock's tick) runs in between.
  let quietTurns = 0;
  let seen = 0;
  const flushWhenQuiet = (): void => {
    const size = batch!.lines.length;
    if (size !== seen) {
      seen = size;
      quietTurns = 0;
    }
    if (++quietTurns < quietTurnsBeforeFlush) queueMicrotask(flushWhenQuiet);
    else flush();
  };

  const flush = (): void => {
    const current = batch!;
    const settle = settleBatch!;
    batch = undefined;
    settleBatch = undefined;
    try {
      let prefix = fd === undefined ? openForAppend(current.first) : '';
      if (takenOver) prefix += `${JSON.stringify({ ...takenOver, at: current.first.at })}\n`;
      const bytes = Buffer.from(prefix + current.lines.join(''), 'utf8');
      writeAll(fd!, bytes);
      writtenSize += bytes.length;
      if (current.mustSync || takenOver) {
        fdatasyncSync(fd!);
        syncedSize = writtenSize;
      }
      takenOver = undefined;
      settle(ok(undefined));
    } catch (cause) {
      // Cut a partial write back, so the next line never starts in the middle of this one.
      if (fd !== undefined) {
        try {
          ftruncateSync(fd, writtenSize);
        } catch {
          // The next open finds the torn line and repairs it.
        }
      }
      closeQuietly(fd);
      fd = undefined;
      settle(
        err(
          FailoverError.isInstance(cause)
            ? cause
            : ioError('append', `Could not append to the journal ${path}.`, cause),
        ),
      );
    }
  };

  return {
    acquireLock(planId, runId) {
      const holder: LockHolder = {
        pid: process.pid,
        hostname: hostname(),
        planId,
        runId,
        acquiredAt: new Date().toISOString(),
      };
      try {
        const forced = options.forceUnlock ? readLockHolder(lockPath) : undefined;
        if (options.forceUnlock) forceRemoveLockFile(lockPath);
        const claimed = claimLockFile(lockPath, holder, policy);
        if (!claimed.taken) return errAsync(lockConflict(path, lockPath, claimed.holder));
        const previous = claimed.replaced ?? forced;
        if (previous) {
          takenOver = {
            type: 'lock-taken-over',
            runId,
            how: claimed.replaced ? 'stale-lock' : 'force-unlock',
            previous: {
              runId: previous.runId,
              planId: previous.planId,
              pid: previous.pid,
              hostname: previous.hostname,
              acquiredAt: previous.acquiredAt,
            },
            by: { pid: holder.pid, hostname: holder.hostname, planId },
          };
        }
        return okAsync({
          planId,
          runId,
          release() {
            try {
              releaseLockFile(lockPath, runId);
              return okAsync(undefined);
            } catch (cause) {
              return errAsync(
                ioError('releaseLock', `Could not remove the journal lock ${lockPath}.`, cause),
              );
            }
          },
        });
      } catch (cause) {
        return errAsync(ioError('acquireLock', `Could not take the journal lock ${lockPath}.`, cause));
      }
    },
    append(entry: JournalEntry) {
      if (!batch) {
        let resolve!: (result: Result<void, FailoverError>) => void;
        const done = new Promise<Result<void, FailoverError>>((settle) => {
          resolve = settle;
        });
        batch = { lines: [], first: entry, mustSync: false, done };
        settleBatch = resolve;
        quietTurns = 0;
        seen = 0;
        queueMicrotask(flushWhenQuiet);
      }
      batch.lines.push(`${JSON.stringify(entry)}\n`);
      if (syncBeforeAck.has(entry.type)) batch.mustSync = true;
      return new ResultAsync(batch.done);
    },
    flush() {
      // Entries still gathering: their batch is synced when it is written.
      if (batch) {
        batch.mustSync = true;
        return new ResultAsync(batch.done);
      }
      if (fd === undefined || syncedSize === writtenSize) return okAsync(undefined);
      try {
        fdatasyncSync(fd);
        syncedSize = writtenSize;
        return okAsync(undefined);
      } catch (cause) {
        return errAsync(ioError('flush', `Could not sync the journal ${path}.`, cause));
      }
    },
    read() {
      try {
        refuseNonRegular(path);
      } catch (cause) {
        if (isCode(cause, 'ENOENT')) return okAsync([]);
        if (FailoverError.isInstance(cause)) return errAsync(cause);
        return errAsync(ioError('read', `Could not read the journal ${path}.`, cause));
      }
      let text: string;
      let handle: number | undefined;
      try {
        handle = openSync(path, readFlags);
        if (!fstatSync(handle).isFile()) return errAsync(nonRegularError(path));
        text = readFileSync(handle, 'utf8');
      } catch (cause) {
        if (isCode(cause, 'ENOENT')) return okAsync([]);
        return errAsync(ioError('read', `Could not read the journal ${path}.`, cause));
      } finally {
        closeQuietly(handle);
      }
      const parsed = parseJournalLines(text, path);
      return parsed.isOk() ? okAsync(parsed.value) : errAsync(parsed.error);
    },
    lockHolder() {
      const holder = readLockHolder(lockPath);
      return holder && !isStaleHolder(holder, policy) ? holder : undefined;
    },
  };
}

/** A FIFO would block (or feed us forever), a device never ends: only a regular file is a journal. */
function refuseNonRegular(path: string): void {
  let stats: ReturnType<typeof statSync>;
  try {
    stats = statSync(path);
  } catch (cause) {
    if (isCode(cause, 'ENOENT')) return;
    throw cause;
  }
  if (!stats.isFile()) throw nonRegularError(path);
}

function nonRegularError(path: string): FailoverError {
  return new FailoverError({
    kind: 'invalid-input',
    message: `The journal ${path} is not a regular file (a FIFO, device or directory cannot be a journal).`,
    provider,
    operation: 'open',
  });
}

function writeAll(handle: number, bytes: Buffer): void {
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(handle, bytes, offset);
}

function countNewlines(text: Buffer, end: number): number {
  let count = 0;
  for (let index = text.indexOf(0x0a); index !== -1 && index < end; index = text.indexOf(0x0a, index + 1)) {
    count++;
  }
  return count;
}

function lockConflict(path: string, lockPath: string, holder: LockHolder | undefined): FailoverError {
  const who = holder
    ? `run ${holder.runId} of plan ${holder.planId} (pid ${holder.pid} on ${holder.hostname}, since ${holder.acquiredAt})`
    : 'another run (its lock file is unreadable)';
  return new FailoverError({
    kind: 'conflict',
    message: `Another run holds the lock of the journal ${path}: ${who}. If that process is gone, remove ${lockPath} or use forceUnlock.`,
    provider,
    operation: 'acquireLock',
  });
}

function ioError(operation: string, message: string, cause: unknown): FailoverError {
  const code = (cause as { code?: unknown } | undefined)?.code;
  return new FailoverError({
    kind: code === 'EACCES' || code === 'EPERM' ? 'unauthorized' : 'unavailable',
    message: `${message}${typeof code === 'string' ? ` (${code})` : ''}`,
    provider,
    operation,
    retryable: false,
    cause,
  });
}

/** Makes a newly created file's directory entry durable; not possible on every platform. */
function syncDirectory(directory: string): void {
  let handle: number | undefined;
  try {
    handle = openSync(directory, 'r');
    fsyncSync(handle);
  } catch {
    // Windows cannot open a directory; the file's own fsync is the best we can do there.
  } finally {
    closeQuietly(handle);
  }
}

function closeQuietly(handle: number | undefined): void {
  if (handle === undefined) return;
  try {
    closeSync(handle);
  } catch {
    // Already closed or invalid: nothing left to release.
  }
}

function isCode(cause: unknown, code: string): boolean {
  return typeof cause === 'object' && cause !== null && (cause as { code?: unknown }).code === code;
}
