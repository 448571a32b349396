import type { FailoverResult } from '../../result.js';
import type { CallOptions, WaitOptions } from '../call-options.js';
import type { EnsureResult, OperationHandle } from '../operation-handle.js';
import type { ProviderIdentity } from '../provider-kind.js';
import type { DnsBatchingV1 } from './dns-batching.js';
import type { DnsCapabilities } from './dns-capabilities.js';
import type { DnsRecordRef, DnsRecordSet } from './dns-record-set.js';

/**
 * A DNS or traffic-manager service. Implementations are idempotent: `ensureRecordSet`
 * observes first and makes no mutating call when the record set already matches.
 *
 * The core computes the full target record set from a desired state
 * (`resolveDnsDesiredState`); the provider only reads and writes record sets.
 */
export interface DnsProviderV1 extends ProviderIdentity<'dns'> {
  readonly capabilities: DnsCapabilities;

  /** Reads a record set. A missing one is a `not-found` error. */
  getRecordSet(ref: DnsRecordRef, options?: CallOptions): FailoverResult<DnsRecordSet>;

  /**
   * Makes the record set equal to `desired` (as built by `resolveDnsDesiredState`):
   * reads it, compares, and changes only what differs, in as few API calls as the
   * service allows. Returns the state before (`null` when it created the record set)
   * and, when something changed, a handle.
   */
  ensureRecordSet(
    ref: DnsRecordRef,
    desired: DnsRecordSet,
    options?: CallOptions,
  ): FailoverResult<EnsureResult<DnsRecordSet | null>>;

  /** Waits until the change is live (Route 53 INSYNC, Cloud DNS done, Traffic Manager applied). */
  waitForChange(handle: OperationHandle, options: WaitOptions): FailoverResult<void>;

  /**
   * Optional, read-only: would `ensureRecordSet(ref, desired)` be refused, given what was
   * observed? Errs with the kind `ensure*` would return (`invalid-input`,
   * `precondition-failed`, `unsupported`) and never mutates. Dry-runs and validation
   * call it, so a dry-run predicts the run.
   */
  precheckRecordSet?(
    ref: DnsRecordRef,
    desired: DnsRecordSet,
    observed: DnsRecordSet,
    options?: CallOptions,
  ): FailoverResult<void>;

  /** Optional: changes to many record sets in as few calls as the service allows. */
  readonly batching?: DnsBatchingV1;
}
