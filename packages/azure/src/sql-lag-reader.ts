import type { CallOptions, FailoverResult } from '@failover/core';

/**
 * The database a lag reader reads: one database of a failover group, on the server that is
 * its primary now (geo-replication lag is reported on the primary only).
 */
export interface AzureSqlLagTarget {
  /** Resource group of the primary server. */
  resourceGroup: string;
  /** The primary logical server's name (`<server>.database.windows.net` is its host). */
  server: string;
  /** The primary server's region, ARM's `eastus` form. */
  region: string;
  /** The database to read in (not `master`: the view is empty there). */
  database: string;
  /** The failover group the database belongs to. */
  failoverGroup: string;
}

/** One geo-replication link of a database, as its primary reports it. */
export interface AzureSqlLagReading {
  /** The partner (secondary) logical server's name. */
  partnerServer: string;
  partnerDatabase?: string;
  /**
   * How far the partner is behind, in ms; `null` when the primary does not say (the
   * DMV's `replication_lag_sec` is NULL): unknown, never zero.
   */
  lagMs: number | null;
  /**
   * When the primary last heard the partner harden the log, ms since the epoch (the DMV's
   * `last_replication`); `null` when not reported. The lag is as of this moment: an old
   * value means the link has gone quiet, and the lag may have grown since.
   */
  lastReplicatedAt: number | null;
  /** `CATCH_UP`, `SEEDING`, `SUSPENDED`... as reported. */
  replicationState?: string;
}

/**
 * Reads the geo-replication lag of one database of an Azure SQL failover group (contract v1).
 * ARM and its failover groups report only a replication state word, not a lag figure, so
 * the adapter asks this reader, which the user supplies with access to the databases
 * (e.g. `geoReplicationLagQuery` over their own SQL client). Errors are values: a reader
 * that cannot read (the primary unreachable, a login refused) returns a `FailoverError`.
 */
export interface AzureSqlLagReaderV1 {
  readonly specificationVersion: 'v1';
  /** The links of `target.database` on its primary: one reading per partner. */
  read(target: AzureSqlLagTarget, options?: CallOptions): FailoverResult<AzureSqlLagReading[]>;
}
