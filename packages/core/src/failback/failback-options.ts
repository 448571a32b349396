import type { ProviderRegistry } from '../executor/provider-registry.js';
import type { JournalEntry } from '../journal/journal-entry.js';
import type { CheckSpec } from '../plan/check-spec.js';

/** How `failbackPlan` builds the way back. Every field is optional; the defaults are the ADR's. */
export interface FailbackOptions {
  /**
   * The journal of the run that executed the failover plan. With it, the failback
   * reverses exactly what changed, to the state observed before (record sets, writer
   * regions, pool sizes). Without it, only what the plan itself says can be reversed
   * (fenced targets back in rotation, writers back to `sourceRegion`); the rest is left
   * out and named in `notes`.
   */
  journal?: readonly JournalEntry[];
  /** The failback plan's id. Default `<failover id>-failback`. */
  id?: string;
  /** Replication lag the reprotected original region may have before the writer moves back. Default 5 s. */
  maxLagMs?: number;
  /** How long the reprotect wait (replication re-established and caught up) may take. Default 30 min. */
  reprotectTimeoutMs?: number;
  /** How long the DR region must have been stable before traffic returns. Default 2 h. */
  stableForMs?: number;
  /** Since when the DR region has been stable (epoch ms). Default: the failover run's end in the journal. */
  stableSince?: number;
  /** Now (epoch ms), to count how much of `stableForMs` is left. Without it the whole of it is waited. */
  now?: number;
  /** Traffic shares of the original region, stage by stage. Default 10, 50, 100. The last must be 100. */
  canaryPercents?: number[];
  /** Soak after each canary stage before its checks. Default 10 min. */
  soakMs?: number;
  /** What must hold after each stage's soak (error rate, latency, HTTP); a failure aborts back to DR. */
  canaryChecks?: CheckSpec[];
  /** Reconciliation checks that must pass before anything moves (any check kind, `resource` included). */
  reconciliationChecks?: CheckSpec[];
  /** Where each database step's writer was before, by failover step id, when there is no journal. */
  originalRegions?: Record<string, string>;
  /** Notifier channel for the start and end notices. Without it, none are sent. */
  notifyChannel?: string;
  /**
   * The providers the failback will run on, read for their capabilities only: a
   * database whose provider reports no replication lag gets no lag gate (its planned
   * switchover waits for the replicas itself), rather than a gate that cannot pass.
   */
  providers?: ProviderRegistry;
  /** How long the scale-down approval waits. Default 1 h. */
  scaleDownApprovalTimeoutMs?: number;
}

/** The defaults of `FailbackOptions`. */
export const failbackDefaults = {
  maxLagMs: 5_000,
  reprotectTimeoutMs: 30 * 60_000,
  stableForMs: 2 * 60 * 60_000,
  canaryPercents: [10, 50, 100],
  soakMs: 10 * 60_000,
  scaleDownApprovalTimeoutMs: 60 * 60_000,
} as const;
