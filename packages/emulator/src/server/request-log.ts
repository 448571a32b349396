import type { Cloud } from './emulator-types.js';

/** One request the emulator received. */
export interface RequestLogEntry {
  /** 1-based arrival number; keeps counting when old entries are dropped. */
  seq: number;
  /** Emulator clock time when it arrived. */
  at: number;
  cloud: Cloud | 'unknown';
  service: string;
  /** The cloud's operation name; `unknown` when no route matched. */
  operation: string;
  mutating: boolean;
  method: string;
  path: string;
  status: number;
  region?: string;
  /** The injected fault that answered it, if any. */
  fault?: string;
  /** For an `applied-then-500` fault: the status the applied request would have answered. */
  appliedStatus?: number;
  /** A handler bug that was answered with the cloud's generic error; tests assert there are none. */
  internalError?: string;
}

/** Fields a request-log query matches; omitted fields match anything. */
export interface RequestLogFilter {
  cloud?: Cloud;
  service?: string;
  operation?: string;
  mutating?: boolean;
}

/** How many requests the log keeps by default: enough for any test, a few MB at most. */
export const defaultRequestLogLimit = 10_000;

/**
 * The last requests the emulator received, in order: for assertions such as "no
 * mutating call". A ring buffer of `limit` entries, so a long-running emulator
 * (a demo, a benchmark of 30,000 requests) does not grow without bound: the
 * oldest entries are dropped first, and `dropped` says how many were.
 */
export class RequestLog {
  private readonly ring: RequestLogEntry[] = [];
  /** Index in `ring` of the oldest entry once the ring is full. */
  private start = 0;
  private received = 0;
  /** The most entries kept. */
  readonly limit: number;

  constructor(limit: number = defaultRequestLogLimit) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(`The request log limit must be a whole number >= 1, got ${limit}.`);
    }
    this.limit = limit;
  }

  /** Records a request (the server does this). */
  add(entry: Omit<RequestLogEntry, 'seq'>): RequestLogEntry {
    this.received++;
    const full = { seq: this.received, ...entry };
    if (this.ring.length < this.limit) {
      this.ring.push(full);
    } else {
      this.ring[this.start] = full;
      this.start = (this.start + 1) % this.limit;
    }
    return full;
  }

  /** How many requests were received in all, including dropped ones (since the last `clear`). */
  get total(): number {
    return this.received;
  }

  /** How many of the oldest entries were dropped to stay within `limit`. */
  get dropped(): number {
    return this.received - this.ring.length;
  }

  /** Kept entries matching every given field, in arrival order. */
  list(filter: RequestLogFilter = {}): RequestLogEntry[] {
    const ordered =
      this.start === 0 ? this.ring : [...this.ring.slice(this.start), ...this.ring.slice(0, this.start)];
    return ordered.filter(
      (entry) =>
        (filter.cloud === undefined || entry.cloud === filter.cloud) &&
        (filter.service === undefined || entry.service === filter.service) &&
        (filter.operation === undefined || entry.operation === filter.operation) &&
        (filter.mutating === undefined || entry.mutating === filter.mutating),
    );
  }

  /** How many kept entries match. */
  count(filter: RequestLogFilter = {}): number {
    return this.list(filter).length;
  }

  /** Forgets every entry. */
  clear(): void {
    this.ring.length = 0;
    this.start = 0;
    this.received = 0;
  }
}
