import type {
  ClusterScalerV1,
  DatabaseFailoverV1,
  DatabaseReprotectV1,
  DnsProviderV1,
  SignalSourceV1,
} from '@failover/core';
import { type CloudDnsProviderOptions, createCloudDnsProvider } from './cloud-dns-provider.js';
import { type CloudSqlFailoverOptions, createCloudSqlFailover } from './cloud-sql-failover.js';
import { GcpClients } from './gcp-clients.js';
import type { GcpSettings } from './gcp-settings.js';
import {
  createGkeClusterAccess,
  type GkeClusterAccess,
  type GkeClusterAccessOptions,
} from './gke-cluster-access.js';
import { createGkeClusterScaler, type GkeClusterScalerOptions } from './gke-cluster-scaler.js';
import {
  type CloudMonitoringSourceOptions,
  createCloudMonitoringSource,
} from './signals/cloud-monitoring-source.js';

/** The Google Cloud providers of one set of settings and credentials. */
export interface GcpProvider {
  /** Cloud DNS record sets (`gcp.dns`). */
  dnsProvider(options?: CloudDnsProviderOptions): DnsProviderV1;
  /** Cloud SQL primaries and replicas (`gcp.sql`), with reprotect (a replica re-created after a promotion). */
  databaseFailover(options?: CloudSqlFailoverOptions): DatabaseFailoverV1 & DatabaseReprotectV1;
  /** GKE node pools (`gcp.gke`). */
  clusterScaler(options?: GkeClusterScalerOptions): ClusterScalerV1;
  /**
   * How `@failover/kubernetes` reaches a GKE cluster's API server
   * (`connectionFromAccess(gcp.clusterAccess({ location, cluster }))`): endpoint and CA
   * from `clusters.get`, the credentials' OAuth access token.
   */
  clusterAccess(options: GkeClusterAccessOptions): GkeClusterAccess;
  /** Cloud Monitoring time series as a health signal (`SignalSourceV1`). */
  metricSource(options: CloudMonitoringSourceOptions): SignalSourceV1;
}

/**
 * Creates the Google Cloud providers. Nothing is contacted and no client is
 * loaded until a provider method is first called; credentials default to
 * Application Default Credentials.
 *
 * @example
 * ```ts
 * const gcp = createGcp({ project: 'aegis-prod' });
 * const dns = gcp.dnsProvider({ zone: 'aegis-zone' });
 * const db = gcp.databaseFailover();
 * const pools = gcp.clusterScaler({ location: 'us-central1' });
 * ```
 */
export function createGcp(settings: GcpSettings = {}): GcpProvider {
  const clients = new GcpClients(settings);
  return {
    dnsProvider: (options) => createCloudDnsProvider(clients, options),
    databaseFailover: (options) => createCloudSqlFailover(clients, options),
    clusterScaler: (options) => createGkeClusterScaler(clients, options),
    clusterAccess: (options) => createGkeClusterAccess(clients, options),
    metricSource: (options) => createCloudMonitoringSource(clients, options),
  };
}
