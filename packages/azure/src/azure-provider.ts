import type { ClusterScalerV1, DatabaseFailoverV1, DnsProviderV1, SignalSourceV1 } from '@failover/core';
import {
  type AksClusterAccess,
  type AksClusterAccessOptions,
  createAksClusterAccess,
} from './aks-cluster-access.js';
import { createAksClusterScaler } from './aks-cluster-scaler.js';
import { createAzureClients } from './azure-clients.js';
import type {
  AksScalerOptions,
  AzureSettings,
  SqlFailoverGroupOptions,
  TrafficManagerOptions,
} from './azure-settings.js';
import {
  type AzureMonitorMetricSourceOptions,
  createAzureMonitorMetricSource,
} from './signals/azure-monitor-metric-source.js';
import { createSqlFailoverGroupDatabase } from './sql-failover-group-database.js';
import { createTrafficManagerDnsProvider } from './traffic-manager-dns-provider.js';

/** The Azure adapters of one subscription, sharing credentials and clients. */
export interface AzureProvider {
  /** Traffic Manager profiles as DNS record sets (`azure.trafficmanager`). */
  dnsProvider(options?: TrafficManagerOptions): DnsProviderV1;
  /** SQL failover groups (`azure.sql`). */
  databaseFailover(options?: SqlFailoverGroupOptions): DatabaseFailoverV1;
  /** AKS agent pools (`azure.aks`). */
  clusterScaler(options?: AksScalerOptions): ClusterScalerV1;
  /**
   * How `@failover/kubernetes` reaches an AKS cluster's API server
   * (`connectionFromAccess(azure.clusterAccess({ cluster }))`): server and CA from
   * `listClusterUserCredentials`, an Entra ID token for the AKS server application.
   */
  clusterAccess(options: AksClusterAccessOptions): AksClusterAccess;
  /** An Azure Monitor platform metric as a health signal (`SignalSourceV1`, one vantage point per resource). */
  metricSource(options: AzureMonitorMetricSourceOptions): SignalSourceV1;
}

/**
 * The Azure adapters. Nothing is imported or created until the first call:
 * the SDK clients and (without `settings.credential`) `DefaultAzureCredential`
 * are loaded then, once, and shared by the adapters this returns.
 *
 * @example
 * ```ts
 * const azure = createAzure({ subscriptionId: process.env.AZURE_SUBSCRIPTION_ID!, resourceGroup: 'aegis-dr-rg' });
 * const dns = azure.dnsProvider();
 * const sql = azure.databaseFailover();
 * const aks = azure.clusterScaler();
 * ```
 */
export function createAzure(settings: AzureSettings): AzureProvider {
  const clients = createAzureClients(settings);
  return {
    dnsProvider: (options) => createTrafficManagerDnsProvider(clients, options),
    databaseFailover: (options) => createSqlFailoverGroupDatabase(clients, options),
    clusterScaler: (options) => createAksClusterScaler(clients, options),
    clusterAccess: (options) => createAksClusterAccess(clients, options),
    metricSource: (options) => createAzureMonitorMetricSource(clients, options),
  };
}
