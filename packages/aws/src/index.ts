export type { ArcClusterEndpoint } from './arc-routing-control-client.js';
export type {
  ArcRoutingControlDnsProvider,
  ArcRoutingControlOptions,
  ArcRoutingControlRecord,
  ArcRoutingControlTarget,
} from './arc-routing-control-dns-provider.js';
export type {
  AuroraDatabaseFailover,
  AuroraDatabaseFailoverOptions,
  AuroraProviderOptions,
} from './aurora-database-failover.js';
export { type AwsErrorContext, mapAwsError } from './aws-error.js';
export { type AwsProvider, createAws } from './aws-provider.js';
export { type AwsRateBudget, type AwsRateLimit, createAwsRateBudget } from './aws-rate-budget.js';
export type {
  AwsClientConfig,
  AwsCredentials,
  AwsResourceAccess,
  AwsRetrySettings,
  AwsService,
  AwsSettings,
} from './aws-settings.js';
export type { EksClusterAccess, EksClusterAccessOptions } from './eks-cluster-access.js';
export type { EksClusterScaler, EksClusterScalerOptions } from './eks-cluster-scaler.js';
export { type S3JournalStoreSettings, s3JournalStore } from './journal/s3-journal-store.js';
export type { RdsInstanceFailover, RdsInstanceFailoverOptions } from './rds-instance-failover.js';
export type { Route53DnsProvider, Route53DnsProviderOptions } from './route53-dns-provider.js';
export {
  type CloudWatchAlarmSourceOptions,
  type CloudWatchMetricSourceOptions,
  defaultCheckerRegions,
  type Route53HealthCheckSourceOptions,
} from './signals/index.js';
export { publishInput, type SnsNotifierSettings, snsNotifier } from './sns-notifier.js';
