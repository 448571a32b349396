import type { NodePoolRef } from '../providers/cluster/node-pool.js';
import type { DatabaseDesiredState } from '../providers/database/database-desired-state.js';
import type { DatabaseRef } from '../providers/database/database-topology.js';
import type { DnsDesiredState } from '../providers/dns/dns-desired-state.js';
import type { DnsRecordRef } from '../providers/dns/dns-record-set.js';
import type { ResourceJson } from '../providers/resource/resource-json.js';
import type { ProviderName } from './refs.js';

/** A pool size given outright, or as a share of another pool (e.g. 100 % of the primary's). */
export type PoolSize = number | { percentOf: { provider: ProviderName; pool: NodePoolRef }; percent: number };

/** What an `action` step makes true. Every action observes, compares, and acts only on a difference. */
export type ActionSpec =
  | {
      type: 'dns';
      provider: ProviderName;
      record: DnsRecordRef;
      desired: DnsDesiredState;
      /** Wait until the change is live before the step ends. Default true. */
      waitForSync?: boolean;
    }
  | ({
      type: 'database';
      provider: ProviderName;
      database: DatabaseRef;
      /**
       * The DNS names and endpoints through which writes reach this database. A
       * forced step needs, among its dependencies, a fence on each of them (a
       * `dns.fence` of that name, or `check.primaryUnreachable` evidence naming it).
       */
      frontedBy?: string[];
      /**
       * Lets a forced step promote even when the last replication lag observed
       * exceeds `objectives.rpoMs` (the data loss is then beyond the objective).
       * Without it such a promotion is refused. The step's approval still applies.
       */
      acceptDataLossBeyondRpo?: boolean;
    } & DatabaseDesiredState)
  | {
      type: 'scale';
      provider: ProviderName;
      pool: NodePoolRef;
      desired?: PoolSize;
      min?: number;
      max?: number;
      /** Wait until the pool reports this many ready nodes. Default: the desired count. */
      minReady?: number;
      /** Wait for the update to finish before the step ends. Default true. */
      waitForReady?: boolean;
    }
  | {
      /** The open kind: a resource a `ResourceProviderV1` knows (a workload, a restore, a flag...). */
      type: 'resource';
      provider: ProviderName;
      /** Which resource, in the provider's terms (plain JSON). */
      resource: ResourceJson;
      /** What must be true of it, in the provider's terms (plain JSON); unnamed fields stay. */
      desired: ResourceJson;
      /** Passed to `waitForResource` as `until`, e.g. `{ minReady: 3 }`. */
      waitUntil?: ResourceJson;
      /** Wait for the change to take effect before the step ends. Default true. */
      waitForCompletion?: boolean;
    };

/** `dns`, `database`, `scale` or `resource`. */
export type ActionType = ActionSpec['type'];
