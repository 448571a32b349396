import { isMemberNamed } from './member-name.js';

/**
 * One member's replication lag as the cloud last measured it. `sampledAt` is the
 * time of the measurement (a metric datapoint's timestamp, a status field's
 * report time), not the time we asked: a stale sample must be visible as stale.
 */
export interface ReplicationLagSample {
  /** The member that lags (a secondary cluster, a partner server, a replica). */
  memberId: string;
  /** Other names of that member, as in `DatabaseMember.aliases`. */
  aliases?: string[];
  region: string;
  /** Lag behind the writer in milliseconds. */
  lagMs: number;
  /** When the cloud measured it, ms since the epoch. */
  sampledAt: number;
}

/**
 * What `observeReplicationLag` returns: one sample per replicating member whose
 * lag the cloud reported. A member with no sample is unknown, never zero.
 */
export interface ReplicationLagObservation {
  /** The contract version this observation follows. */
  readonly specificationVersion: 'v1';
  /** The database the samples belong to. */
  databaseId: string;
  /** When the adapter observed, ms since the epoch. */
  observedAt: number;
  samples: ReplicationLagSample[];
}

/**
 * The lag that decides: the worst sample, or, with `memberId`/`region`, that
 * member's sample. `undefined` when nothing matching was reported (unknown lag
 * must fail a lag gate closed).
 */
export function worstReplicationLag(
  observation: ReplicationLagObservation,
  filter: { memberId?: string; region?: string } = {},
): ReplicationLagSample | undefined {
  let worst: ReplicationLagSample | undefined;
  for (const sample of observation.samples) {
    if (filter.memberId !== undefined && !isMemberNamed({ id: sample.memberId, ...sample }, filter.memberId))
      continue;
    if (filter.region !== undefined && sample.region !== filter.region) continue;
    if (!worst || sample.lagMs > worst.lagMs) worst = sample;
  }
  return worst;
}
