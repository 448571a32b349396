import { closeSync, fdatasyncSync, fsyncSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { FailoverError } from '../errors/failover-error.js';
import { errAsync, okAsync } from '../result.js';
import type { Journal, JournalLock } from './journal.js';
import type { JournalEntry } from './journal-entry.js';
import { parseJournalLines } from './parse-journal-lines.js';

/** Options of `createFileJournal`: where the lock lives and how a stale one is treated. */
export interface FileJournalOptions {
  /** Where the lock lives. Default: the journal path plus `.lock`. */
  lockPath?: string;
  /**
   * What to do with a lock left behind by a process that died:
   * - `check-pid` (default): when the lock was taken on this host and its pid is
   *   no longer alive, it is removed and taken over. A lock from another host is
   *   never assumed stale.
   * - `never`: any existing lock is a `conflict`.
   */
  staleLock?: 'check-pid' | 'never';
  /**
   * Removes any existing lock first, whoever holds it: the `--force-unlock` of
   * this journal. Only for an operator who knows the holder is gone.
   */
  forceUnlock?: boolean;
}

/** What a lock file holds, for humans and for the stale-lock check. */
interface LockFileContent {
  pid: number;
  hostname: string;
  planId: string;
  runId: string;
  acquiredAt: string;
}

const provider = 'journal.file';

/**
 * A journal in a file, one JSON entry per line.
 *
 * Appends are synchronous and each is `fdatasync`ed before the append's result
 * resolves, so an entry the executor relies on is on disk; being synchronous,
 * entries from parallel steps never interleave and no I/O callback can let a
 * virtual clock jump while an entry is being written. A crash mid-write leaves
 * at most a torn last line, which `read()` ignores.
 *
 * The lock is a separate file created exclusively (`wx`) holding the pid, host
 * and run id; see `staleLock` and `forceUnlock` for locks left by a crash.
 */
export function createFileJournal(path: string, options: FileJournalOptions = {}): Journal {
  const lockPath = options.lockPath ?? `${path}.lock`;
  let fd: number | undefined;

  const open = (): number => {
    if (fd !== undefined) return fd;
    fd = openSync(path, 'a');
    syncDirectory(dirname(path));
    return fd;
  };

  return {
    acquireLock(planId, runId) {
      const content: LockFileContent = {
        pid: process.pid,
        hostname: hostname(),
        planId,
        runId,
        acquiredAt: new Date().toISOString(),
      };
      try {
        if (options.forceUnlock) removeIfExists(lockPath);
        if (!createLockFile(lockPath, content)) {
          const holder = readLockFile(lockPath);
          if (holder && isStale(holder, options.staleLock ?? 'check-pid')) {
            removeIfExists(lockPath);
            if (createLockFile(lockPath, content)) return okAsync(lockHandle(lockPath, planId, runId));
          }
          return errAsync(lockConflict(path, lockPath, readLockFile(lockPath) ?? holder));
        }
        return okAsync(lockHandle(lockPath, planId, runId));
      } catch (cause) {
        return errAsync(ioError('acquireLock', `Could not take the journal lock ${lockPath}.`, cause));
      }
    },
    append(entry: JournalEntry) {
      try {
        const handle = open();
        writeSync(handle, `${JSON.stringify(entry)}\n`);
        fdatasyncSync(handle);
        return okAsync(undefined);
      } catch (cause) {
        // A half-open descriptor is dropped so that the next append reopens cleanly.
        closeQuietly(fd);
        fd = undefined;
        return errAsync(ioError('append', `Could not append to the journal ${path}.`, cause));
      }
    },
    read() {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (cause) {
        if (isCode(cause, 'ENOENT')) return okAsync([]);
        return errAsync(ioError('read', `Could not read the journal ${path}.`, cause));
      }
      const parsed = parseJournalLines(text, path);
      return parsed.isOk() ? okAsync(parsed.value) : errAsync(parsed.error);
    },
  };
}

function lockHandle(lockPath: string, planId: string, runId: string): JournalLock {
  return {
    planId,
    runId,
    release() {
      try {
        // Only our own lock: a force-unlock by an operator may have handed it to someone else.
        if (readLockFile(lockPath)?.runId === runId) unlinkSync(lockPath);
        return okAsync(undefined);
      } catch (cause) {
        if (isCode(cause, 'ENOENT')) return okAsync(undefined);
        return errAsync(ioError('releaseLock', `Could not remove the journal lock ${lockPath}.`, cause));
      }
    },
  };
}

/** Creates the lock file if nobody holds it; false when it already exists. */
function createLockFile(lockPath: string, content: LockFileContent): boolean {
  let handle: number;
  try {
    handle = openSync(lockPath, 'wx');
  } catch (cause) {
    if (isCode(cause, 'EEXIST')) return false;
    throw cause;
  }
  try {
    writeSync(handle, `${JSON.stringify(content)}\n`);
    fsyncSync(handle);
  } finally {
    closeSync(handle);
  }
  return true;
}

function readLockFile(lockPath: string): LockFileContent | undefined {
  try {
    const value = JSON.parse(readFileSync(lockPath, 'utf8')) as Partial<LockFileContent>;
    if (typeof value.pid !== 'number' || typeof value.runId !== 'string') return undefined;
    return value as LockFileContent;
  } catch {
    // Missing, or torn by a crash between create and write: nothing trustworthy to report.
    return undefined;
  }
}

function isStale(holder: LockFileContent, policy: 'check-pid' | 'never'): boolean {
  if (policy === 'never' || holder.hostname !== hostname()) return false;
  return !isProcessAlive(holder.pid);
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (cause) {
    // EPERM: it exists but belongs to someone else.
    return !isCode(cause, 'ESRCH');
  }
}

function lockConflict(path: string, lockPath: string, holder: LockFileContent | undefined): FailoverError {
  const who = holder
    ? `run ${holder.runId} of plan ${holder.planId} (pid ${holder.pid} on ${holder.hostname}, since ${holder.acquiredAt})`
    : 'another run';
  return new FailoverError({
    kind: 'conflict',
    message: `The journal ${path} is locked by ${who}. If that process is gone, remove ${lockPath} or use forceUnlock.`,
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

function removeIfExists(file: string): void {
  try {
    unlinkSync(file);
  } catch (cause) {
    if (!isCode(cause, 'ENOENT')) throw cause;
  }
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
