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
import { completeEntriesEnd, parseJournalLines } from './parse-journal-lines.js';
import { writeAtExit, writtenBeforeExit } from './write-at-exit.js';

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
 * How soon an entry must reach the file before its append is acknowledged:
 * - `synced`: the entries that guard a mutating call (`step-intent` before an ensure,
 *   `rollback-start` and `rollback-step` before undos) and the run's end are synced,
 *   with every entry appended before them, so every entry is on disk before any later
 *   mutating call: one sync per batch of mutating steps, not one per entry.
 * - `written`: a `step-handle` is in the kernel (it survives a crash of the process):
 *   a resumed run waits on that operation instead of starting another.
 * - `behind` (the rest: starts, ends, the run's start): acknowledged at once, written
 *   with the next batch or within `writeBehindMs`. A crash may lose them, as a crash
 *   of the machine always could: a resumed run observes those steps again.
 */
type Durability = 'synced' | 'written' | 'behind';
const durabilityOf = (type: JournalEntry['type']): Durability =>
  type === 'step-intent' || type === 'rollback-start' || type === 'rollback-step' || type === 'run-end'
    ? 'synced'
    : type === 'step-handle'
      ? 'written'
      : 'behind';

/** Microtask turns without a new entry before a batch is written (cheap: no I/O, no timer). */
const quietTurnsBeforeFlush = 16;
/** How soon `behind` entries are written when no batch comes first. */
const writeBehindMs = 20;
const readFlags = constants.O_RDONLY | constants.O_NONBLOCK;
const writeFlags = constants.O_RDWR | constants.O_CREAT | constants.O_NONBLOCK;
/**
 * The file is grown ahead of its entries with spaces (first by 64 KiB, doubling up to
 * 4 MiB), and entries overwrite them: a sync then commits data only, not the file's new
 * size as well, which on ext4 costs about a third less. Spaces after the last newline
 * are filler, never a torn line; the run's end cuts them off.
 */
const filler = 0x20;
const firstGrowth = 64 * 1024;
const largestGrowth = 4 * 1024 * 1024;

/**
 * A journal in a file, one JSON entry per line.
 *
 * Durability (see `Durability`): what a crash of the process or of the machine
 * leaves is a prefix of the entries in the order they were appended, holding every
 * entry up to the last one that guards a mutating call, and for a process crash up
 * to the last `step-handle`. The entries appended within a few promise turns of each
 * other (the parallel steps of a wide plan) are written together by one write, in a
 * microtask, and synced by one `fdatasync` when one of them guards a mutating call;
 * no I/O callback or timer runs in between, so a virtual clock cannot jump while
 * they are written. The others ride along, so a run makes about one write per sync
 * instead of one per promise turn: that is what keeps a journaled run within twice
 * an unjournaled one. `flush()` syncs whatever is not on disk yet (the executor calls
 * it before awaiting an approval); `read()` and the process's exit (even by
 * `process.exit`) write what is pending first. A write that fails fails every later
 * append, so a run stops at its next entry and never makes a mutating call its
 * journal did not record.
 *
 * A crash mid-write leaves at most a torn last line, or, in the unsynced tail, a
 * hole where a page of filler was not overwritten on disk: `read()` stops there, and
 * the first append cuts the file back to its last complete entry before it and
 * records that with a `journal-repaired` entry, so no entry is ever glued to a torn one.
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
  /** The file's size: entries, then filler. */
  let allocatedSize = 0;
  let nextGrowth = firstGrowth;
  /** A `run-end` was appended: its batch cuts the filler off, leaving a tidy file. */
  let trimAfterWrite = false;
  /** Lines acknowledged (or about to be) and not written yet, in order. */
  let pending: string[] = [];
  /** A batch gathering: its appends resolve once it is written (and synced, when `sync`). */
  let gathering:
    | {
        done: Promise<Result<void, FailoverError>>;
        settle: (result: Result<void, FailoverError>) => void;
        sync: boolean;
      }
    | undefined;
  let writeBehind: ReturnType<typeof setTimeout> | undefined;
  /** The first failed write: every later append and flush answers it. */
  let failure: FailoverError | undefined;
  /** A lock this journal took over (stale, or forced), journaled ahead of the next entry. */
  let takenOver: Omit<LockTakenOverEntry, 'at'> | undefined;

  /**
   * Opens for appending after the last complete entry. Filler after it is reused; a torn
   * line is cut off and the repair returned as an entry to write first.
   */
  const openForAppend = (first: JournalEntry): string => {
    refuseNonRegular(path);
    const handle = openSync(path, writeFlags, 0o644);
    try {
      if (!fstatSync(handle).isFile()) throw nonRegularError(path);
      const text = readFileSync(handle);
      const cut = completeEntriesEnd(text);
      const torn = lengthBeforeFiller(text, cut) - cut;
      let repair = '';
      allocatedSize = text.length;
      if (torn > 0) {
        ftruncateSync(handle, cut);
        allocatedSize = cut;
        const entry: JournalRepairedEntry = {
          type: 'journal-repaired',
          runId: first.runId,
          at: first.at,
          line: countNewlines(text, cut) + 1,
          truncatedBytes: torn,
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

  /** Writes every pending line with one write (and syncs when asked); on failure, remembers it. */
  const writePending = (sync: boolean): Result<void, FailoverError> => {
    if (failure) return err(failure);
    if (writeBehind !== undefined) {
      clearTimeout(writeBehind);
      writeBehind = undefined;
    }
    writtenBeforeExit(writeUnwritten);
    if (pending.length === 0 && !(sync && fd !== undefined && syncedSize < writtenSize)) return ok(undefined);
    const lines = pending;
    pending = [];
    try {
      if (lines.length > 0) {
        const bytes = Buffer.from(lines.join(''), 'utf8');
        growFor(bytes.length);
        writeAllAt(fd!, bytes, writtenSize);
        writtenSize += bytes.length;
      }
      if (sync) {
        fdatasyncSync(fd!);
        syncedSize = writtenSize;
      }
      if (trimAfterWrite) {
        trimAfterWrite = false;
        ftruncateSync(fd!, writtenSize);
        allocatedSize = writtenSize;
        nextGrowth = firstGrowth;
      }
      return ok(undefined);
    } catch (cause) {
      // Cut a partial write back, so the next line never starts in the middle of this one.
      try {
        ftruncateSync(fd!, writtenSize);
      } catch {
        // The next open finds the torn line and repairs it.
      }
      closeQuietly(fd);
      fd = undefined;
      failure = ioError('append', `Could not append to the journal ${path}.`, cause);
      return err(failure);
    }
  };
  /** Grows the file with filler so that `bytes` more fit before its end. */
  const growFor = (bytes: number): void => {
    const missing = writtenSize + bytes - allocatedSize;
    if (missing <= 0) return;
    const growth = Math.max(nextGrowth, missing);
    writeAllAt(fd!, Buffer.alloc(growth, filler), allocatedSize);
    allocatedSize += growth;
    nextGrowth = Math.min(nextGrowth * 2, largestGrowth);
  };
  const writeUnwritten = (): void => {
    writePending(false);
  };

  // Parallel steps reach their next entry a few promise turns apart: wait until no
  // entry has been added for `quietTurnsBeforeFlush` microtask turns, so they share a
  // sync. Microtasks only: no I/O or timer (a virtual clock's tick) runs in between.
  let quietTurns = 0;
  let seen = 0;
  const writeWhenQuiet = (): void => {
    if (pending.length !== seen) {
      seen = pending.length;
      quietTurns = 0;
    }
    if (++quietTurns < quietTurnsBeforeFlush) {
      queueMicrotask(writeWhenQuiet);
      return;
    }
    const batch = gathering!;
    gathering = undefined;
    batch.settle(writePending(batch.sync));
  };
  /** The batch this append joins (started if none is gathering), synced if any of its entries asks. */
  const joinBatch = (sync: boolean): ResultAsync<void, FailoverError> => {
    if (!gathering) {
      let settle!: (result: Result<void, FailoverError>) => void;
      const done = new Promise<Result<void, FailoverError>>((resolve) => {
        settle = resolve;
      });
      gathering = { done, settle, sync };
      quietTurns = 0;
      seen = pending.length;
      queueMicrotask(writeWhenQuiet);
    }
    if (sync) gathering.sync = true;
    return new ResultAsync(gathering.done);
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
      if (failure) return errAsync(failure);
      if (fd === undefined) {
        try {
          const repair = openForAppend(entry);
          if (repair) pending.push(repair);
        } catch (cause) {
          return errAsync(
            FailoverError.isInstance(cause)
              ? cause
              : ioError('append', `Could not append to the journal ${path}.`, cause),
          );
        }
      }
      // A takeover is synced with the first entry after it: who took the run over is evidence.
      const tookOver = takenOver !== undefined;
      if (takenOver) pending.push(`${JSON.stringify({ ...takenOver, at: entry.at })}\n`);
      takenOver = undefined;
      pending.push(`${JSON.stringify(entry)}\n`);
      if (entry.type === 'run-end') trimAfterWrite = true;
      const durability = tookOver ? 'synced' : durabilityOf(entry.type);
      if (durability !== 'behind') return joinBatch(durability === 'synced');
      if (gathering) return okAsync(undefined);
      if (writeBehind === undefined) {
        writeBehind = setTimeout(writeUnwritten, writeBehindMs);
        writeBehind.unref?.();
        writeAtExit(writeUnwritten);
      }
      return okAsync(undefined);
    },
    flush() {
      // Entries gathering: their batch is synced when it is written.
      if (gathering) return joinBatch(true);
      const flushed = writePending(true);
      return flushed.isOk() ? okAsync(undefined) : errAsync(flushed.error);
    },
    read() {
      // What this process acknowledged is what it reads back.
      if (fd !== undefined && pending.length > 0) writePending(false);
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

function writeAllAt(handle: number, bytes: Buffer, position: number): void {
  let offset = 0;
  while (offset < bytes.length)
    offset += writeSync(handle, bytes, offset, bytes.length - offset, position + offset);
}

/** Where the filler (spaces) at the end of `text`, after `from`, begins. */
function lengthBeforeFiller(text: Buffer, from: number): number {
  let end = text.length;
  while (end > from && text[end - 1] === filler) end--;
  return end;
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
