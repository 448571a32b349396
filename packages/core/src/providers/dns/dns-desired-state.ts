import type { DnsRouting, DnsTarget } from './dns-record-set.js';

/** What may be said about one target in a desired state. Unnamed fields stay as they are. */
export type DnsTargetPatch = Partial<Pick<DnsTarget, 'values' | 'weight' | 'priority' | 'enabled'>>;

/**
 * What must be true of a record set after a DNS step. Everything is optional;
 * only what is named is compared and changed.
 */
export interface DnsDesiredState {
  /** Make this target the one that takes traffic: primary (failover), priority 1 (priority), all weight (weighted). */
  activeTarget?: string;
  /** Per-target patches keyed by target id. */
  targets?: Record<string, DnsTargetPatch>;
  /** The TTL in seconds. */
  ttl?: number;
  /** Create the record set with this shape if it does not exist (upsert). */
  createIfMissing?: { type: string; routing: DnsRouting; ttl: number; targets: DnsTarget[] };
}
