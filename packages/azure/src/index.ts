export {
  type AksClusterAccess,
  type AksClusterAccessOptions,
  aksServerScope,
  readAksKubeconfig,
} from './aks-cluster-access.js';
export { createEmulatorHttpClient, type EmulatorHttpClientOptions } from './azure-emulator-http-client.js';
export { toAzureError } from './azure-error.js';
export { type AzureProvider, createAzure } from './azure-provider.js';
export type {
  AksScalerOptions,
  AzureRetrySettings,
  AzureSettings,
  SqlFailoverGroupOptions,
  TrafficManagerOptions,
} from './azure-settings.js';
export { type BlobJournalStoreSettings, blobJournalStore } from './journal/blob-journal-store.js';
export type {
  AzureMonitorMetricSourceOptions,
  AzureMonitorResource,
} from './signals/azure-monitor-metric-source.js';
export type { SqlProviderOptions } from './sql-failover-group-database.js';
export {
  type AzureSqlQueryFunction,
  type AzureSqlQueryRequest,
  geoReplicationLagQuery,
  geoReplicationLagSql,
} from './sql-geo-replication-lag-query.js';
export type { AzureSqlLagReaderV1, AzureSqlLagReading, AzureSqlLagTarget } from './sql-lag-reader.js';
