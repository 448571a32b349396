import type { FailoverResult } from '../result.js';

/**
 * The few calls a journal needs from an object store (S3, GCS, Azure Blob, a
 * directory): version 1 of the contract. Keys are relative to the store's own
 * root (its bucket and prefix). Every call returns errors as values.
 *
 * The one guarantee the journal builds on is `createIfAbsent`: of several
 * writers creating the same key, exactly one succeeds (S3 `If-None-Match: *`,
 * GCS `ifGenerationMatch=0`, Blob `If-None-Match: *`).
 */
export interface JournalObjectStoreV1 {
  readonly specificationVersion: 'v1';
  /** Where the store is, for messages, e.g. `s3://bucket/prefix` (never a credential). */
  readonly location: string;
  /**
   * Creates `key` holding `body` only if no object has that key. `true`: created;
   * `false`: the key exists (the service's precondition failed). A lost answer is
   * an error: the caller reads the key back to learn whether it was its own write.
   */
  createIfAbsent(key: string, body: string): FailoverResult<boolean>;
  /** The object's body, or `undefined` when there is none. */
  get(key: string): FailoverResult<string | undefined>;
  /** Every key that starts with `prefix`, in any order. */
  list(prefix: string): FailoverResult<string[]>;
  /** Deletes `key`; a key that is already gone is fine. */
  delete(key: string): FailoverResult<void>;
}
