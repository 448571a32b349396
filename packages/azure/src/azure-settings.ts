import type { TokenCredential } from '@azure/core-auth';
import type { HttpClient, PipelineRetryOptions } from '@azure/core-rest-pipeline';
import type { Time } from '@failover/core';
import type { AzureSqlLagReaderV1 } from './sql-lag-reader.js';

/** Settings shared by the three Azure adapters `createAzure` vends. */
export interface AzureSettings {
  /** The subscription the resources live in. */
  subscriptionId: string;
  /** Resource group of refs that do not name one (`name` instead of `resourceGroup/name`). */
  resourceGroup?: string;
  /**
   * Credential of every client. Default: `DefaultAzureCredential` from `@azure/identity`,
   * imported and created on the first call, never at import time.
   */
  credential?: TokenCredential;
  /** Azure Resource Manager endpoint, for sovereign clouds. Default `https://management.azure.com`. */
  endpoint?: string;
  /** The HTTP client of every request (tests pass one that rewrites to the emulator). */
  httpClient?: HttpClient;
  /**
   * Retries of the SDK pipeline (429/503 with Retry-After, 5xx, socket errors). The SDK
   * default is 3. Pass `{ maxRetries: 0 }` to let the executor own retrying: a 429 then
   * comes back as a `throttled` error with its `retryAfterMs`.
   */
  retryOptions?: PipelineRetryOptions;
  /** Clock and sleeper of every wait. Default: real time. */
  time?: Time;
  /**
   * The adapter's own retries of each request, on `time` and inside the call's
   * `deadlineAt`: a read on 429, 5xx, resets and timeouts, a mutation only on 429.
   */
  retry?: AzureRetrySettings;
  /** Pins the AKS client's api-version (the SDK's default otherwise). */
  aksApiVersion?: string;
}

/** Retries of transient failures of each request, as a budget of time. */
export interface AzureRetrySettings {
  /** Tries per request. Default: no count, only the deadline; 1 lets the 429 reach the caller. */
  maxAttempts?: number;
  /** Ceiling of the first pause (full jitter under it); doubles per try. Default 500 ms. */
  baseDelayMs?: number;
  /** Largest ceiling of a pause. Default 20 000 ms. */
  maxDelayMs?: number;
  /** Source of the jitter, in [0, 1): a seeded one makes retries deterministic. Default `Math.random`. */
  random?: () => number;
}

/** Options of `azure.dnsProvider()`. */
export interface TrafficManagerOptions {
  /** Resource group of refs whose `zone` is empty. Default: `settings.resourceGroup`. */
  resourceGroup?: string;
  /**
   * How a Priority-routed profile is reported: as `priority` routing (default), or as
   * `failover` routing for plans written against primary/secondary failover record sets
   * (Route 53 style). Either way the profile is changed through endpoint priorities.
   */
  priorityRouting?: 'priority' | 'failover';
  /** The record type reported for a profile. Traffic Manager answers with CNAMEs. Default `CNAME`. */
  recordType?: string;
}

/** Options of `azure.databaseFailover()`. */
export interface SqlFailoverGroupOptions {
  /** Resource group of refs that name only `server/group`. Default: `settings.resourceGroup`. */
  resourceGroup?: string;
  /** Server of refs that name only the group. */
  server?: string;
  /** api-version of `tryPlannedBeforeForcedFailover` (the SDK has no method for it). Default `2023-08-01`. */
  tryPlannedApiVersion?: string;
  /**
   * Where the replication lag comes from: ARM reports only a replication state, so without
   * a reader the adapter declares `capabilities.replicationLag: false` and
   * `observeReplicationLag` answers `unsupported` (unknown lag). E.g.
   * `geoReplicationLagQuery(yourSqlFunction)`, which reads `sys.dm_geo_replication_link_status`.
   */
  lagReader?: AzureSqlLagReaderV1;
}

/** Options of `azure.clusterScaler()`. */
export interface AksScalerOptions {
  /** Resource group of refs whose `cluster` is only a name. Default: `settings.resourceGroup`. */
  resourceGroup?: string;
}
