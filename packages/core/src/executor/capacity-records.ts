import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { NodePoolRef } from '../providers/cluster/node-pool.js';

/** A pool's size as last seen healthy, with when and how it was recorded. */
export interface CapacityRecord {
  /** The plan's provider name of the cluster scaler. */
  provider: string;
  pool: NodePoolRef;
  /** The pool's desired node count then. */
  desired: number;
  /** Ready nodes then. */
  ready: number;
  /** Clock time, epoch ms. */
  recordedAt: number;
  /** `snapshot`, `readiness check <step>`, `sizing <step>`... */
  recordedBy: string;
}

/**
 * The last capacity recorded per pool. Sizing a pool as a percentage of
 * another (`percentOf`) falls back to it when that pool cannot be read (its
 * region is dark), and the report says so. Written when a run or a dry-run
 * reads a pool (readiness checks, percent-of sizing) and by a snapshot
 * (`snapshotCapacity`, `failover snapshot`).
 */
export interface CapacityRecords {
  get(provider: string, pool: NodePoolRef): CapacityRecord | undefined;
  put(record: CapacityRecord): void;
  list(): CapacityRecord[];
}

const keyOf = (provider: string, pool: NodePoolRef) =>
  `${provider}|${pool.region ?? ''}|${pool.cluster}|${pool.pool}`;

/** Capacity records held in memory (tests, a drill's warm-up and run in one process). */
export function createMemoryCapacityRecords(initial: readonly CapacityRecord[] = []): CapacityRecords {
  const records = new Map(initial.map((record) => [keyOf(record.provider, record.pool), record]));
  return {
    get: (provider, pool) => records.get(keyOf(provider, pool)),
    put(record) {
      const key = keyOf(record.provider, record.pool);
      const known = records.get(key);
      // An older observation (a resumed run's) never replaces a newer one.
      if (!known || known.recordedAt <= record.recordedAt) records.set(key, { ...record });
    },
    list: () => [...records.values()],
  };
}

/**
 * Capacity records in a JSON file, read once and rewritten (atomically, by
 * rename) on each change. An unreadable file counts as empty and a failed
 * write is ignored: the records are a fallback, never a reason to stop.
 */
export function createFileCapacityRecords(path: string): CapacityRecords {
  let initial: CapacityRecord[] = [];
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as { records?: unknown };
    if (Array.isArray(parsed.records)) initial = parsed.records.filter(isRecord);
  } catch {
    // No file yet, or not ours: start empty.
  }
  const memory = createMemoryCapacityRecords(initial);
  return {
    get: memory.get,
    list: memory.list,
    put(record) {
      memory.put(record);
      try {
        mkdirSync(dirname(path), { recursive: true });
        const temporary = `${path}.${process.pid}.tmp`;
        writeFileSync(
          temporary,
          `${JSON.stringify({ format: 'failover-capacity/v1', records: memory.list() }, null, 2)}\n`,
        );
        renameSync(temporary, path);
      } catch {
        // Best effort: the run goes on without a durable record.
      }
    },
  };
}

function isRecord(value: unknown): value is CapacityRecord {
  const record = value as Partial<CapacityRecord> | null;
  return (
    typeof record === 'object' &&
    record !== null &&
    typeof record.provider === 'string' &&
    typeof record.pool?.cluster === 'string' &&
    typeof record.pool?.pool === 'string' &&
    typeof record.desired === 'number' &&
    typeof record.recordedAt === 'number'
  );
}
