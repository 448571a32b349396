import type { Cloud } from './emulator-types.js';

/** One request the emulator received. */
export interface RequestLogEntry {
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

/** Every request the emulator received, in order: for assertions such as "no mutating call". */
export class RequestLog {
  private readonly entries: RequestLogEntry[] = [];

  /** Records a request (the server does this). */
  add(entry: Omit<RequestLogEntry, 'seq'>): RequestLogEntry {
    const full = { seq: this.entries.length + 1, ...entry };
    this.entries.push(full);
    return full;
  }

  /** Entries matching every given field, in arrival order. */
  list(filter: RequestLogFilter = {}): RequestLogEntry[] {
    return this.entries.filter(
      (entry) =>
        (filter.cloud === undefined || entry.cloud === filter.cloud) &&
        (filter.service === undefined || entry.service === filter.service) &&
        (filter.operation === undefined || entry.operation === filter.operation) &&
        (filter.mutating === undefined || entry.mutating === filter.mutating),
    );
  }

  /** How many entries match. */
  count(filter: RequestLogFilter = {}): number {
    return this.list(filter).length;
  }

  /** Forgets every entry. */
  clear(): void {
    this.entries.length = 0;
  }
}
