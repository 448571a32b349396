import {
  closeSync,
  fsyncSync,
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';

/** What a lock file holds: who holds the journal, for humans and for the stale-lock check. */
export interface LockHolder {
  pid: number;
  hostname: string;
  planId: string;
  runId: string;
  /** ISO time the lock was taken. */
  acquiredAt: string;
}

/** `check-pid`: a lock of a dead process on this host is stale; `never`: no lock is. */
export type StaleLockPolicy = 'check-pid' | 'never';

/** How taking a lock file ended; `replaced` is the stale holder whose lock was taken over. */
export type LockClaim =
  | { taken: true; replaced?: LockHolder }
  | { taken: false; holder: LockHolder | undefined };

/**
 * Takes `lockPath` for `holder`, atomically, even when several processes race
 * to take over the same stale lock.
 *
 * A lock is only ever created whole: the content is written and synced to a
 * file of our own, then hard-linked to the lock's name, which fails if the name
 * exists. A stale lock (see `policy`) is replaced only by whoever first takes a
 * guard named after that lock's exact content (the same way, recursively, so a
 * taker that died holding the guard is itself taken over), and only if the lock
 * still holds that content once the guard is held. Nobody but a guard holder
 * replaces a stale lock, so two racing takers can never both succeed.
 */
export function claimLockFile(lockPath: string, holder: LockHolder, policy: StaleLockPolicy): LockClaim {
  const text = `${JSON.stringify(holder)}\n`;
  const own = uniqueSibling(lockPath);
  writeWholeFile(own, text);
  try {
    return claim(lockPath, own, policy, 0);
  } finally {
    removeIfExists(own);
  }
}

/** Who holds the lock now, if anyone and if readable. */
export function readLockHolder(lockPath: string): LockHolder | undefined {
  const raw = readRaw(lockPath);
  return raw === undefined ? undefined : parseHolder(raw);
}

/** Whether a holder may be taken over under `policy`: only a dead process of this host. */
export function isStaleHolder(holder: LockHolder, policy: StaleLockPolicy): boolean {
  if (policy === 'never' || holder.hostname !== hostname()) return false;
  return !isProcessAlive(holder.pid);
}

/** Removes the lock if `runId` still holds it (a force-unlock may have handed it to someone else). */
export function releaseLockFile(lockPath: string, runId: string): void {
  if (readLockHolder(lockPath)?.runId === runId) removeIfExists(lockPath);
}

/** Removes the lock whoever holds it: an operator's `--force-unlock`. */
export function forceRemoveLockFile(lockPath: string): void {
  removeIfExists(lockPath);
}

/** Guards against unbounded recursion: each level is a taker that died inside a takeover. */
const maxTakeoverDepth = 4;

function claim(target: string, own: string, policy: StaleLockPolicy, depth: number): LockClaim {
  // A lock released between our link and our read is simply tried again.
  for (let attempt = 0; attempt < 3; attempt++) {
    if (linkIfAbsent(own, target)) return { taken: true };
    const raw = readRaw(target);
    if (raw === undefined) continue;
    const holder = parseHolder(raw);
    if (!holder || !isStaleHolder(holder, policy) || depth >= maxTakeoverDepth) {
      return { taken: false, holder };
    }
    const guard = `${target}.takeover-${digest(raw)}`;
    if (!claim(guard, own, policy, depth + 1).taken) return { taken: false, holder };
    try {
      // Holding the guard, nobody else replaces a lock with this content: check, then replace.
      if (readRaw(target) !== raw) return { taken: false, holder: readLockHolder(target) };
      const replacement = uniqueSibling(target);
      linkSync(own, replacement);
      renameSync(replacement, target);
      return { taken: true, replaced: holder };
    } finally {
      removeIfExists(guard);
    }
  }
  return { taken: false, holder: readLockHolder(target) };
}

function linkIfAbsent(source: string, target: string): boolean {
  try {
    linkSync(source, target);
    return true;
  } catch (cause) {
    if (isCode(cause, 'EEXIST')) return false;
    throw cause;
  }
}

function writeWholeFile(path: string, text: string): void {
  const handle = openSync(path, 'wx');
  try {
    writeSync(handle, text);
    fsyncSync(handle);
  } finally {
    closeSync(handle);
  }
}

function uniqueSibling(path: string): string {
  return `${path}.${process.pid}.${globalThis.crypto.randomUUID()}.tmp`;
}

function readRaw(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (cause) {
    if (isCode(cause, 'ENOENT')) return undefined;
    throw cause;
  }
}

function parseHolder(raw: string): LockHolder | undefined {
  try {
    const value = JSON.parse(raw) as Partial<LockHolder>;
    if (typeof value.pid !== 'number' || typeof value.runId !== 'string') return undefined;
    return value as LockHolder;
  } catch {
    // Not ours, or written by hand: nothing trustworthy, never taken over.
    return undefined;
  }
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

/** A short name-safe digest of a lock's content (cyrb53): distinct holders get distinct guards. */
function digest(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

function removeIfExists(file: string): void {
  try {
    unlinkSync(file);
  } catch (cause) {
    if (!isCode(cause, 'ENOENT')) throw cause;
  }
}

function isCode(cause: unknown, code: string): boolean {
  return typeof cause === 'object' && cause !== null && (cause as { code?: unknown }).code === code;
}
