import type { FailoverError } from '../../errors/failover-error.js';
import type { FailoverResult } from '../../result.js';
import type { CallOptions } from '../call-options.js';
import type { EnsureResult } from '../operation-handle.js';
import type { DnsRecordRef, DnsRecordSet } from './dns-record-set.js';

/** One record set to bring to its desired state, as part of a batch. */
export interface DnsChange {
  ref: DnsRecordRef;
  desired: DnsRecordSet;
}

/** What became of one change of a batch: the same contract as `ensureRecordSet`, per change. */
export type DnsChangeOutcome =
  | { ok: true; result: EnsureResult<DnsRecordSet | null> }
  | { ok: false; error: FailoverError };

/** What a batch read found for one ref: the record set, or the error `getRecordSet` would return (e.g. `not-found`). */
export type DnsObservation = { ok: true; recordSet: DnsRecordSet } | { ok: false; error: FailoverError };

/**
 * Optional capability of a `DnsProviderV1`: apply many record-set changes in as few
 * calls as the service allows (one Route 53 change batch per zone, one Cloud DNS
 * `changes.create` per managed zone, one Traffic Manager profile update), as
 * external-dns does. The executor coalesces DNS steps that are ready together and
 * share a `batchKey`; each step keeps its own events, diff, journal and rollback.
 */
export interface DnsBatchingV1 {
  /** Changes whose refs share a key may be sent in one call (the zone, profile or managed zone). */
  batchKey(ref: DnsRecordRef): string;
  /**
   * Observes every ref, and changes only those that differ, in as few mutating calls
   * as the service allows (splitting beyond its limits). Returns one outcome per
   * change, in order. Changes sent in one call share one handle, so one wait covers them.
   * The whole result is an error only when nothing could be attempted.
   */
  ensureRecordSets(changes: readonly DnsChange[], options?: CallOptions): FailoverResult<DnsChangeOutcome[]>;
  /**
   * Optional, read-only: reads many record sets whose refs share a key in as few calls as
   * the service allows (one paginated listing of a zone instead of one read per name).
   * Returns one observation per ref, in order, each as `getRecordSet` would answer it.
   * The whole result is an error only when nothing could be read. Without it, the
   * executor reads each record set with `getRecordSet`.
   */
  observeRecordSets?(refs: readonly DnsRecordRef[], options?: CallOptions): FailoverResult<DnsObservation[]>;
}
