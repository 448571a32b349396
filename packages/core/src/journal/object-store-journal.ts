import { hostname } from 'node:os';
import { FailoverError } from '../errors/failover-error.js';
import { err, errAsync, type FailoverResult, ok, type Result, ResultAsync } from '../result.js';
import type { Journal } from './journal.js';
import type { JournalEntry, JournalRepairedEntry, LockTakenOverEntry } from './journal-entry.js';
import type { LockHolder } from './journal-lock-file.js';
import type { JournalObjectStoreV1 } from './object-store-v1.js';
import { parseJournalLines } from './parse-journal-lines.js';

/** Options of `createObjectStoreJournal`. */
export interface ObjectStoreJournalOptions {
  /**
   * The run id of a lock holder that is gone (its machine died): its lock is
   * taken over, once, by whoever first records the takeover. Any other lock is a
   * `conflict`; a lock is never assumed stale.
   */
  takeOver?: string;
  /** Attempts of one store call whose error is retryable (the SDK retries inside each). Default 4. */
  attempts?: number;
}

/**
 * The claim a takeover creates first (`takeovers/<previous run id>.json`, create-only), so
 * that of two takers exactly one replaces the lock. The journal records the takeover too,
 * as a `lock-taken-over` entry ahead of the new holder's first entry.
 */
export interface LockTakeoverRecord {
  previous: LockHolder;
  by: LockHolder;
}

/** A journal on an object store, which can also say who holds its lock. */
export interface ObjectStoreJournal extends Journal {
  readonly location: string;
  /** The holder of the lock now, if any. */
  lockHolder(): FailoverResult<LockHolder | undefined>;
}

const provider = 'journal.object-store';
const lockKey = 'lock.json';
const segmentsPrefix = 'segments/';
const segmentDigits = 12;
/** Microtask turns without a new entry before a batch is written (the file journal's group commit). */
const quietTurnsBeforeFlush = 16;

type Created = { created: true } | { created: false; existing: string | undefined };

/**
 * A journal kept as numbered, immutable objects on an object store, so that a
 * run started on one machine can be resumed from any other.
 *
 * - The lock is `lock.json`, created only if absent: of two runners, exactly one
 *   holds it. A stale lock is replaced only with `takeOver` naming its run, and
 *   the takeover is claimed first as `takeovers/<run>.json`, also create-only,
 *   so of two takers exactly one proceeds; its first segment then begins with a
 *   `lock-taken-over` entry (who took over whom).
 * - Group commit: the entries appended within a few promise turns of each other
 *   are written as one segment `segments/<n>.jsonl`, created only if absent, and
 *   every append of the batch resolves after the store acknowledged it. So an
 *   acknowledged entry is durable before the mutating call it guards, and two
 *   writers can never both write segment n: the second one learns it no longer
 *   owns the journal and fails (a fence that holds even if the lock was lost).
 * - A write whose answer was lost is read back: our own body is ours, not a conflict.
 * - A segment is all or nothing: one whose body is not whole (torn) is ignored by
 *   `read()`, and the next writer records a `journal-repaired` entry.
 */
export function createObjectStoreJournal(
  store: JournalObjectStoreV1,
  options: ObjectStoreJournalOptions = {},
): ObjectStoreJournal {
  const attempts = options.attempts ?? 4;
  let nextSegment: number | undefined;
  /** Set once a write failed or another writer took a segment: every later append fails. */
  let broken: FailoverError | undefined;
  let tail: Promise<void> = Promise.resolve();
  /** A takeover this journal made, journaled ahead of the next batch (with that batch's clock time). */
  let takenOver: Omit<LockTakenOverEntry, 'at'> | undefined;
  let batch:
    | {
        lines: string[];
        first: JournalEntry;
        settle: (r: Result<void, FailoverError>) => void;
        done: Promise<Result<void, FailoverError>>;
      }
    | undefined;

  const retrying = <T>(call: () => FailoverResult<T>): Promise<Result<T, FailoverError>> =>
    (async () => {
      let last: Result<T, FailoverError> | undefined;
      for (let attempt = 0; attempt < attempts; attempt++) {
        last = await call();
        if (last.isOk() || !last.error.retryable) return last;
      }
      return last!;
    })();

  /** Creates `key` if absent; after a lost answer, a key holding exactly our body is ours. */
  const createOnce = async (key: string, body: string): Promise<Result<Created, FailoverError>> => {
    let lastError: FailoverError | undefined;
    for (let attempt = 0; attempt < attempts; attempt++) {
      const created = await store.createIfAbsent(key, body);
      if (created.isOk() && created.value) return ok({ created: true });
      if (created.isErr() && !created.error.retryable) return err(created.error);
      if (created.isErr()) lastError = created.error;
      const existing = await retrying(() => store.get(key));
      if (existing.isErr()) return err(existing.error);
      if (existing.value === body) return ok({ created: true });
      if (created.isOk()) return ok({ created: false, existing: existing.value });
      // The write failed and nothing is there: try again.
    }
    return err(lastError!);
  };

  const segmentKey = (n: number) => `${segmentsPrefix}${String(n).padStart(segmentDigits, '0')}.jsonl`;

  const listSegments = async (): Promise<Result<number[], FailoverError>> => {
    const keys = await retrying(() => store.list(segmentsPrefix));
    if (keys.isErr()) return err(keys.error);
    const numbers = keys.value
      .map((key) => /^segments\/(\d+)\.jsonl$/.exec(key)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    return ok(numbers);
  };

  /** The first write of this process: find the next free number, and whether the last segment is torn. */
  const prepare = async (first: JournalEntry): Promise<Result<string, FailoverError>> => {
    const numbers = await listSegments();
    if (numbers.isErr()) return err(numbers.error);
    const last = numbers.value.at(-1);
    nextSegment = (last ?? 0) + 1;
    if (last === undefined) return ok('');
    const text = await retrying(() => store.get(segmentKey(last)));
    if (text.isErr()) return err(text.error);
    if (text.value === undefined || wholeSegment(text.value, '') !== undefined) return ok('');
    const repaired: JournalRepairedEntry = {
      type: 'journal-repaired',
      runId: first.runId,
      at: first.at,
      line: last,
      truncatedBytes: Buffer.byteLength(text.value, 'utf8'),
    };
    return ok(`${JSON.stringify(repaired)}\n`);
  };

  const writeBatch = async (current: NonNullable<typeof batch>): Promise<Result<void, FailoverError>> => {
    if (broken) return err(broken);
    let prefix = '';
    if (nextSegment === undefined) {
      const prepared = await prepare(current.first);
      if (prepared.isErr()) return err(prepared.error);
      prefix = prepared.value;
    }
    if (takenOver) prefix += `${JSON.stringify({ ...takenOver, at: current.first.at })}\n`;
    const n = nextSegment!;
    const written = await createOnce(segmentKey(n), prefix + current.lines.join(''));
    if (written.isErr()) return err(written.error);
    if (!written.value.created) {
      return err(
        new FailoverError({
          kind: 'conflict',
          message: `Another runner wrote segment ${n} of the journal ${store.location}: this run no longer holds it and stops before its next change.`,
          provider,
          operation: 'append',
        }),
      );
    }
    nextSegment = n + 1;
    takenOver = undefined;
    return ok(undefined);
  };

  let quietTurns = 0;
  let seen = 0;
  const flushWhenQuiet = (): void => {
    const size = batch!.lines.length;
    if (size !== seen) {
      seen = size;
      quietTurns = 0;
    }
    if (++quietTurns < quietTurnsBeforeFlush) {
      queueMicrotask(flushWhenQuiet);
      return;
    }
    const current = batch!;
    batch = undefined;
    tail = tail.then(async () => {
      const result = await writeBatch(current);
      if (result.isErr()) broken ??= result.error;
      current.settle(result);
    });
  };

  const readHolder = async (): Promise<
    Result<{ raw: string; holder: LockHolder | undefined } | undefined, FailoverError>
  > => {
    const raw = await retrying(() => store.get(lockKey));
    if (raw.isErr()) return err(raw.error);
    return ok(raw.value === undefined ? undefined : { raw: raw.value, holder: parseHolder(raw.value) });
  };

  const conflict = (holder: LockHolder | undefined, operation: string, extra = ''): FailoverError =>
    new FailoverError({
      kind: 'conflict',
      message: `Another run holds the lock of the journal ${store.location}: ${describeHolder(holder)}.${extra || ` If it is gone for good, take it over with --take-over ${holder?.runId ?? '<run id>'}.`}`,
      provider,
      operation,
    });

  const acquire = async (planId: string, runId: string): Promise<Result<LockHolder, FailoverError>> => {
    const holder: LockHolder & { token: string } = {
      pid: process.pid,
      hostname: hostname(),
      planId,
      runId,
      acquiredAt: new Date().toISOString(),
      token: globalThis.crypto.randomUUID(),
    };
    const body = `${JSON.stringify(holder)}\n`;
    let previous: LockHolder | undefined;
    for (let round = 0; round < 2; round++) {
      const created = await createOnce(lockKey, body);
      if (created.isErr()) return err(created.error);
      if (created.value.created) {
        if (previous) {
          takenOver = {
            type: 'lock-taken-over',
            runId,
            how: 'take-over',
            previous: holderRecord(previous),
            by: { pid: holder.pid, hostname: holder.hostname, planId },
          };
        }
        return ok(holder);
      }
      const existing = created.value.existing === undefined ? undefined : parseHolder(created.value.existing);
      if (round > 0 || options.takeOver === undefined || existing?.runId !== options.takeOver) {
        return err(conflict(existing, 'acquireLock'));
      }
      // The named holder is gone: record the takeover (create-only, so one taker wins), then replace the lock.
      const record: LockTakeoverRecord = { previous: existing, by: holder };
      const recorded = await createOnce(`takeovers/${existing.runId}.json`, `${JSON.stringify(record)}\n`);
      if (recorded.isErr()) return err(recorded.error);
      if (!recorded.value.created) {
        return err(conflict(existing, 'acquireLock', ' Another runner already took it over.'));
      }
      const current = await readHolder();
      if (current.isErr()) return err(current.error);
      if (current.value && current.value.raw !== created.value.existing) {
        return err(conflict(current.value.holder, 'acquireLock'));
      }
      const removed = await retrying(() => store.delete(lockKey));
      if (removed.isErr()) return err(removed.error);
      previous = existing;
    }
    return err(conflict(undefined, 'acquireLock'));
  };

  return {
    location: store.location,
    acquireLock(planId, runId) {
      return new ResultAsync(acquire(planId, runId)).map((holder) => {
        const token = (holder as LockHolder & { token: string }).token;
        return {
          planId,
          runId,
          release: () =>
            new ResultAsync(
              (async (): Promise<Result<void, FailoverError>> => {
                await tail;
                const current = await readHolder();
                if (current.isErr()) return err(current.error);
                // A lost lock (deleted, or taken over) is not ours to remove.
                if (!current.value?.raw.includes(`"token":"${token}"`)) return ok(undefined);
                return retrying(() => store.delete(lockKey));
              })(),
            ),
        };
      });
    },
    append(entry) {
      if (broken) return errAsync(broken);
      if (!batch) {
        let settle!: (r: Result<void, FailoverError>) => void;
        const done = new Promise<Result<void, FailoverError>>((resolve) => {
          settle = resolve;
        });
        batch = { lines: [], first: entry, settle, done };
        quietTurns = 0;
        seen = 0;
        queueMicrotask(flushWhenQuiet);
      }
      batch.lines.push(`${JSON.stringify(entry)}\n`);
      return new ResultAsync(batch.done);
    },
    read() {
      return new ResultAsync(
        (async (): Promise<Result<JournalEntry[], FailoverError>> => {
          const numbers = await listSegments();
          if (numbers.isErr()) return err(numbers.error);
          const texts = await Promise.all(numbers.value.map((n) => retrying(() => store.get(segmentKey(n)))));
          const entries: JournalEntry[] = [];
          for (const [index, text] of texts.entries()) {
            if (text.isErr()) return err(text.error);
            if (text.value === undefined) continue;
            const parsed = wholeSegment(text.value, `${store.location} segment ${numbers.value[index]}`);
            // A torn segment was never acknowledged: none of its entries count.
            if (parsed) entries.push(...parsed);
          }
          return ok(entries);
        })(),
      );
    },
    lockHolder() {
      return new ResultAsync(readHolder()).map((found) => found?.holder);
    },
  };
}

/** The entries of a whole segment, or `undefined` when it is torn (not ending a line, or not parsing). */
function wholeSegment(text: string, source: string): JournalEntry[] | undefined {
  if (!text.endsWith('\n')) return undefined;
  const parsed = parseJournalLines(text, source);
  return parsed.isOk() ? parsed.value : undefined;
}

function parseHolder(raw: string): LockHolder | undefined {
  try {
    const value = JSON.parse(raw) as Partial<LockHolder>;
    if (typeof value.runId !== 'string' || typeof value.planId !== 'string') return undefined;
    return value as LockHolder;
  } catch {
    return undefined;
  }
}

/** What a `lock-taken-over` entry keeps of a holder (its lock's token is nobody's business). */
function holderRecord(holder: LockHolder): NonNullable<LockTakenOverEntry['previous']> {
  return {
    runId: holder.runId,
    planId: holder.planId,
    ...(typeof holder.pid === 'number' && { pid: holder.pid }),
    ...(typeof holder.hostname === 'string' && { hostname: holder.hostname }),
    ...(typeof holder.acquiredAt === 'string' && { acquiredAt: holder.acquiredAt }),
  };
}

function describeHolder(holder: LockHolder | undefined): string {
  return holder
    ? `run ${holder.runId} of plan ${holder.planId} (pid ${holder.pid} on ${holder.hostname}, since ${holder.acquiredAt})`
    : 'another run (its lock object is unreadable)';
}
