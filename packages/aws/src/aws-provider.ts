import type { SignalSourceV1 } from '@failover/core';
import {
  type ArcRoutingControlDnsProvider,
  type ArcRoutingControlOptions,
  createArcRoutingControlDnsProvider,
} from './arc-routing-control-dns-provider.js';
import {
  type AuroraDatabaseFailover,
  type AuroraDatabaseFailoverOptions,
  createAuroraDatabaseFailover,
} from './aurora-database-failover.js';
import { AwsClients, createAwsRuntime } from './aws-clients.js';
import type { AwsSettings } from './aws-settings.js';
import {
  createEksClusterAccess,
  type EksClusterAccess,
  type EksClusterAccessOptions,
} from './eks-cluster-access.js';
import {
  createEksClusterScaler,
  type EksClusterScaler,
  type EksClusterScalerOptions,
} from './eks-cluster-scaler.js';
import {
  createRdsInstanceFailover,
  type RdsInstanceFailover,
  type RdsInstanceFailoverOptions,
} from './rds-instance-failover.js';
import {
  createRoute53DnsProvider,
  type Route53DnsProvider,
  type Route53DnsProviderOptions,
} from './route53-dns-provider.js';
import {
  type CloudWatchAlarmSourceOptions,
  type CloudWatchMetricSourceOptions,
  createCloudWatchAlarmSource,
  createCloudWatchMetricSource,
  createRoute53HealthCheckSource,
  type Route53HealthCheckSourceOptions,
} from './signals/index.js';

/** What `createAws` returns: factories of the AWS providers, sharing settings, clock and rate budgets. */
export interface AwsProvider {
  /** Route 53 as a `DnsProviderV1` (`aws.route53`). */
  dnsProvider(options?: Route53DnsProviderOptions): Route53DnsProvider;
  /** Aurora Global Database as a `DatabaseFailoverV1` (`aws.aurora`). */
  databaseFailover(options?: AuroraDatabaseFailoverOptions): AuroraDatabaseFailover;
  /** An RDS instance (Multi-AZ failover, read-replica promotion) as a `DatabaseFailoverV1` (`aws.rds`). */
  rdsInstanceFailover(options?: RdsInstanceFailoverOptions): RdsInstanceFailover;
  /** EKS managed node groups as a `ClusterScalerV1` (`aws.eks`). */
  clusterScaler(options?: EksClusterScalerOptions): EksClusterScaler;
  /**
   * How `@failover/kubernetes` reaches an EKS cluster's API server without the AWS CLI
   * (`connectionFromAccess(aws.clusterAccess({ cluster }))`): endpoint and CA from
   * DescribeCluster, the aws-iam-authenticator token signed with these credentials.
   */
  clusterAccess(options: EksClusterAccessOptions): EksClusterAccess;
  /**
   * Route 53 ARC routing controls as a `DnsProviderV1` (`aws.arc`), through the cluster's
   * regional endpoints: a fence that needs no Route 53 control plane.
   */
  arcRoutingControls(options: ArcRoutingControlOptions): ArcRoutingControlDnsProvider;
  /** A CloudWatch metric as a health signal (`SignalSourceV1`, one vantage point per region). */
  metricSource(options: CloudWatchMetricSourceOptions): SignalSourceV1;
  /** CloudWatch metric alarms as a health signal (`ALARM` is down). */
  alarmSource(options: CloudWatchAlarmSourceOptions): SignalSourceV1;
  /** A Route 53 health check's status, per checker region, as a health signal. */
  healthCheckSource(options: Route53HealthCheckSourceOptions): SignalSourceV1;
}

/**
 * The AWS adapters. Nothing is resolved here: SDK clients and credentials
 * are created on each provider's first call.
 *
 * @example
 * ```ts
 * const aws = createAws({ region: 'us-west-2' });
 * const dns = aws.dnsProvider({ hostedZone: 'ecommerce.com' });
 * const db = aws.databaseFailover();
 * const eks = aws.clusterScaler();
 * ```
 */
export function createAws(settings: AwsSettings = {}): AwsProvider {
  const runtime = createAwsRuntime(settings);
  return {
    dnsProvider: (options = {}) => createRoute53DnsProvider(new AwsClients(runtime, options), options),
    databaseFailover: (options = {}) =>
      createAuroraDatabaseFailover(new AwsClients(runtime, options), options),
    rdsInstanceFailover: (options = {}) =>
      createRdsInstanceFailover(new AwsClients(runtime, options), options),
    clusterScaler: (options = {}) => createEksClusterScaler(new AwsClients(runtime, options), options),
    clusterAccess: (options) => createEksClusterAccess(new AwsClients(runtime), options),
    arcRoutingControls: (options) => createArcRoutingControlDnsProvider(runtime, options),
    metricSource: (options) => createCloudWatchMetricSource(new AwsClients(runtime), options),
    alarmSource: (options) => createCloudWatchAlarmSource(new AwsClients(runtime), options),
    healthCheckSource: (options) => createRoute53HealthCheckSource(new AwsClients(runtime), options),
  };
}
