import type { DatabaseFailoverV1 } from '../providers/database/database-failover-v1.js';
import type { DatabaseRef } from '../providers/database/database-topology.js';
import { okAsync } from '../result.js';
import type { SignalSourceV1 } from './signal-source-v1.js';

/** Options of `createDatabaseWriterSource`. */
export interface DatabaseWriterSourceOptions {
  id: string;
  database: DatabaseFailoverV1;
  ref: DatabaseRef;
  /** The region the writer must be in and available: the primary being watched. */
  region: string;
}

/**
 * Whether the database's writer in `region` is there and available, through the
 * adapter's `describe`: `up`, or `down` when it is unavailable, elsewhere or
 * missing. A `describe` whose control plane is unavailable or timed out is `down`
 * too (from here the writer cannot be reached); any other error (throttled past
 * the deadline, unauthorized) is `unknown`: it says nothing about the writer.
 */
export function createDatabaseWriterSource(options: DatabaseWriterSourceOptions): SignalSourceV1 {
  const vantage = options.database.provider;
  return {
    specificationVersion: 'v1',
    id: options.id,
    kind: 'health-check',
    provider: options.database.provider,
    vantagePoints: [vantage],
    read(query) {
      const call = {
        ...(query.abortSignal && { abortSignal: query.abortSignal }),
        deadlineAt: query.at + query.timeoutMs,
      };
      return options.database
        .describe(options.ref, call)
        .map((topology) => {
          const writer = topology.members.find(
            (member) => member.role === 'writer' && member.region === options.region,
          );
          const up = writer !== undefined && writer.status === 'available';
          const detail = writer
            ? `writer ${writer.id} in ${options.region} is ${writer.status}`
            : `no writer of ${options.ref.id} in ${options.region}`;
          return [{ at: query.at, vantage, status: up ? ('up' as const) : ('down' as const), detail }];
        })
        .orElse((error) =>
          okAsync([
            {
              at: query.at,
              vantage,
              status:
                error.kind === 'unavailable' || error.kind === 'timeout'
                  ? ('down' as const)
                  : ('unknown' as const),
              detail: `describe ${options.ref.id} failed: ${error.message}`,
            },
          ]),
        );
    },
  };
}
