import type { NodePoolRef } from '../providers/cluster/node-pool.js';
import type { DatabaseRef } from '../providers/database/database-topology.js';
import type { DnsRecordRef } from '../providers/dns/dns-record-set.js';
import type { ProviderName } from './refs.js';

/**
 * A condition the executor can evaluate by observing only. Used by pre-flight
 * `check` steps and by `verify` steps that poll until it holds.
 */
export type CheckSpec =
  | {
      type: 'replication-lag';
      provider: ProviderName;
      database: DatabaseRef;
      /** Every reader (or only those in `region`) lags by at most this much. */
      maxLagMs: number;
      region?: string;
    }
  | { type: 'database-writer'; provider: ProviderName; database: DatabaseRef; region: string }
  | { type: 'dns-ttl'; provider: ProviderName; record: DnsRecordRef; maxTtl: number }
  | {
      type: 'dns-active-target';
      provider: ProviderName;
      record: DnsRecordRef;
      /** The target that must be the one taking traffic. */
      target: string;
    }
  | { type: 'pool-ready'; provider: ProviderName; pool: NodePoolRef; minReady: number }
  | {
      type: 'http';
      url: string;
      /** Default 200. */
      expectStatus?: number;
      /** Per-request timeout. Default 5 s. */
      timeoutMs?: number;
    };

/** The `type` of a check: what it observes. */
export type CheckType = CheckSpec['type'];
