import type { DatabaseFailoverV1 } from '../providers/database/database-failover-v1.js';
import type { DatabaseRef } from '../providers/database/database-topology.js';
import type { SignalSample } from './signal-sample.js';
import type { SignalSourceV1 } from './signal-source-v1.js';

/** Options of `createReplicationLagSource`. */
export interface ReplicationLagSourceOptions {
  id: string;
  database: DatabaseFailoverV1;
  ref: DatabaseRef;
  /** Only members in this region. */
  region?: string;
}

/**
 * A database's replication lag in ms, one sample per replicating member (the
 * member is the vantage point), from the adapter's `observeReplicationLag` with
 * the cloud's own sample times, else from `describe`'s lag fields at the time of
 * the read. A member with no reported lag gives no sample (unknown, never zero).
 */
export function createReplicationLagSource(options: ReplicationLagSourceOptions): SignalSourceV1 {
  const { database, ref, region } = options;
  return {
    specificationVersion: 'v1',
    id: options.id,
    kind: 'replication-lag',
    provider: database.provider,
    unit: 'ms',
    vantagePoints: [],
    read(query) {
      const call = {
        ...(query.abortSignal && { abortSignal: query.abortSignal }),
        deadlineAt: query.at + query.timeoutMs,
      };
      if (database.observeReplicationLag) {
        return database.observeReplicationLag(ref, call).map((observation) =>
          observation.samples
            .filter((sample) => region === undefined || sample.region === region)
            .map(
              (sample): SignalSample => ({
                at: sample.sampledAt,
                vantage: sample.memberId,
                value: sample.lagMs,
                unit: 'ms',
                detail: `${sample.memberId} in ${sample.region} lags ${sample.lagMs} ms`,
              }),
            ),
        );
      }
      return database.describe(ref, call).map((topology) =>
        topology.members
          .filter((member) => member.role === 'reader' && (region === undefined || member.region === region))
          .flatMap((member): SignalSample[] =>
            member.replicationLagMs === undefined
              ? []
              : [
                  {
                    at: query.at,
                    vantage: member.id,
                    value: member.replicationLagMs,
                    unit: 'ms',
                    detail: `${member.id} in ${member.region} lags ${member.replicationLagMs} ms`,
                  },
                ],
          ),
      );
    },
  };
}
