import type { ProviderRegistry } from '../executor/provider-registry.js';
import type { JournalEntry } from '../journal/journal-entry.js';
import type { CheckSpec } from '../plan/check-spec.js';
import type { DatabaseRef } from '../providers/database/database-topology.js';

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
  /**
   * Re-create replication that a forced promotion broke, by failover step id: the
   * generated `reprotect` plan, run before the failback, creates (idempotently) the named
   * replica in the original region, replicating from the DR writer, and waits for it.
   * Only for steps whose mode was `forced`.
   */
  reprotect?: Record<string, ReprotectOptions>;
  /** How long the scale-down approval waits. Default 1 h. */
  scaleDownApprovalTimeoutMs?: number;
}

/** How one database is reprotected (see `FailbackOptions.reprotect`). */
export interface ReprotectOptions {
  /** The replica to create in the original region (RDS DB instance identifier, Cloud SQL instance name). */
  replicaId: string;
  /**
   * The registry name of the reprotect provider (`databaseReprotectResource(db)`).
   * Default `<the step's provider>-reprotect`.
   */
  provider?: string;
  /**
   * The writer's id in the DR region (the member the failover promoted). Default: the
   * step's `memberId`, else the one member the journal saw in the DR region.
   */
  writerId?: string;
  /** Also designate the replica as the writer's switchover target (Cloud SQL's DR replica), as a second step. */
  designate?: boolean;
  /**
   * The database ref the switch-back and its verify name, when it is not the failover
   * step's (Cloud SQL reads a database from any of its instances: name the DR writer).
   */
  switchBackDatabase?: DatabaseRef;
  /** Provider-specific options of the replica (instance class...), keyed by provider id. */
  providerOptions?: Record<string, Record<string, unknown>>;
  /** How long creating the replica may take. Default `reprotectTimeoutMs`. */
  timeoutMs?: number;
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
