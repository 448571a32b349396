/**
 * - `planned`: no data loss. The cloud's switchover (Aurora SwitchoverGlobalCluster,
 *   SQL failover group failover, Cloud SQL switchover) waits for replicas to catch up.
 * - `forced`: data loss allowed, for when the old writer is gone (failover with
 *   AllowDataLoss, forced failover, replica promotion, detaching the secondary).
 */
export type FailoverMode = 'planned' | 'forced';

/** What must be true after a database step: the writer is in `region`. */
export interface DatabaseDesiredState {
  region: string;
  mode: FailoverMode;
  /** Pick a member when several are in the target region. */
  memberId?: string;
  /** The availability zone the writer must be in (an RDS Multi-AZ or Cloud SQL HA failover within the region). */
  zone?: string;
  /** Provider-specific options, keyed by provider id (e.g. `{ 'aws.aurora': { forcedStrategy: 'detach' } }`). */
  providerOptions?: Record<string, Record<string, unknown>>;
}
