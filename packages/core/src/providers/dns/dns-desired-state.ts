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
  /**
   * Portable weights: each named target's share of the traffic in percent (summing
   * to 100). The provider's `capabilities.weightScale` says them in its own weights
   * (Route 53 0-255, Traffic Manager 1-1000 with 0 % a disabled endpoint, Cloud DNS
   * WRR); what it cannot say exactly is refused before any call.
   */
  weightPercents?: Record<string, number>;
  /**
   * Makes `weightPercents` a stage on the way to these shares (percent per target,
   * summing to 100; a canary stage of a failback gives the original region's): the
   * step then only ever moves traffic towards them. The targets that gain on the way
   * (a larger share here than in `weightPercents`) are the leading side; when the
   * observed record set already gives the leading side at least its `weightPercents`
   * share in all, the weights are in sync and left as they are (the step changes
   * nothing and says why in its evidence); otherwise `weightPercents` is set as usual.
   * Requires `weightPercents`. Never sent to a service: it only decides whether to act.
   */
  advanceTowards?: Record<string, number>;
  /** The TTL in seconds. */
  ttl?: number;
  /** Create the record set with this shape if it does not exist (upsert). */
  createIfMissing?: { type: string; routing: DnsRouting; ttl: number; targets: DnsTarget[] };
}
