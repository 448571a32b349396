/**
 * `@failover/gcp`: Cloud DNS, Cloud SQL and GKE adapters for `@failover/core`.
 *
 * @packageDocumentation
 */
export type { CloudDnsProviderOptions } from './cloud-dns-provider.js';
export type { CloudSqlFailoverOptions } from './cloud-sql-failover.js';
export type { CloudSqlStepOptions } from './cloud-sql-options.js';
export type { GcpErrorCause } from './gcp-error.js';
export { createGcp, type GcpProvider } from './gcp-provider.js';
export type { GcpRetrySettings } from './gcp-request-retry.js';
export { emulatorRootUrls, type GcpAuthClient, type GcpRootUrls, type GcpSettings } from './gcp-settings.js';
export type { GkeClusterAccess, GkeClusterAccessOptions } from './gke-cluster-access.js';
export type { GkeClusterScalerOptions } from './gke-cluster-scaler.js';
export type { GkeSizeRounding } from './gke-sizing.js';
export { type GcsJournalStoreSettings, gcsJournalStore } from './journal/gcs-journal-store.js';
export type { CloudMonitoringSourceOptions } from './signals/cloud-monitoring-source.js';
