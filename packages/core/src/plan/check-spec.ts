import type { SampleAggregate, SignalCondition } from '../decision/health-check-spec.js';
import type { JsonPathAssertion } from '../health/json-path.js';
import type { NodePoolRef } from '../providers/cluster/node-pool.js';
import type { DatabaseRef } from '../providers/database/database-topology.js';
import type { DnsRecordRef } from '../providers/dns/dns-record-set.js';
import type { ResourceJson } from '../providers/resource/resource-json.js';
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
      /**
       * Passes too when the single writer is already in this region: the move the lag
       * gates has been made (a failback's reprotect gate, when the failback runs again).
       */
      orWriterIn?: string;
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
      /**
       * A fence by evidence: the old primary is unreachable, seen by a quorum of
       * probes in every round, continuously for `forMs`. Counts as a fence of the
       * names in `fences` for the forced database steps that depend on it; the
       * rounds observed are kept as the step's evidence (journal and report).
       */
      type: 'primary-unreachable';
      /** The DNS names and endpoints this evidence stands for, as database steps list them in `frontedBy`. */
      fences: string[];
      /**
       * What to probe, each on its own: `tcp://host:port` (unreachable when the
       * connection is refused or not answered in time) or an `http(s)://` URL
       * (unreachable when it does not answer or answers 5xx: the API reports itself unavailable).
       */
      probes: string[];
      /** Probes that must find it unreachable in every round. Default: a majority. */
      quorum?: number;
      /** How long it must stay unreachable without a break. */
      forMs: number;
      /** Between rounds. Default 5 s. */
      intervalMs?: number;
      /** How long one probe waits for an answer. Default 2 s. */
      probeTimeoutMs?: number;
    }
  | {
      /** A condition the resource provider evaluates (`checkResource`), e.g. a backup's age. */
      type: 'resource';
      provider: ProviderName;
      /** Which resource, in the provider's terms (plain JSON). */
      resource: ResourceJson;
      /** What must hold, in the provider's terms (plain JSON), e.g. `{ latestBackup: { maxAgeMs: 3600000 } }`. */
      condition: ResourceJson;
    }
  | {
      type: 'http';
      url: string;
      /** Default 200. */
      expectStatus?: number;
      /** Per-request timeout. Default 5 s. */
      timeoutMs?: number;
      /** Default `GET`. Any of the fields below sends the request with global `fetch` and reads the body. */
      method?: string;
      /** Sent as is; never shown in events, the journal or the report. */
      headers?: Record<string, string>;
      body?: string;
      /** A substring the answer's body must contain. */
      bodyIncludes?: string;
      /** Values the JSON body must hold at these paths. */
      json?: JsonPathAssertion[];
      /** The answer must come within this many milliseconds. */
      maxLatencyMs?: number;
    }
  | {
      /**
       * A condition on a signal source bound at run time (`RunOptions.signals`): an
       * error rate at most 1 %, a p99 latency at most 800 ms. Holds when fewer than
       * `quorum` vantage points fail it and one at least passes.
       */
      type: 'metric';
      /** The id of the signal source. */
      signal: string;
      condition: SignalCondition;
      /** How each vantage point's samples in the window become one value. Default `latest`. */
      aggregate?: SampleAggregate;
      /** How far back each read looks. Default 1 minute. */
      windowMs?: number;
      /** Vantage points that must fail it for it not to hold. Default: a majority. */
      quorum?: number;
      /** How long one read may take. Default 10 s. */
      timeoutMs?: number;
    };

/** The `type` of a check: what it observes. */
export type CheckType = CheckSpec['type'];
