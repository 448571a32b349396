export type { ArcSeed, RoutingControlSeed } from './aws/arc-seed.js';
export type {
  AuroraClusterSeed,
  AwsSeed,
  DbInstanceSeed,
  EksClusterSeed,
  EksSeed,
  GlobalClusterSeed,
  HealthCheckSeed,
  HealthCheckTimelineStep,
  HostedZoneSeed,
  NodegroupSeed,
  RdsSeed,
  RecordSetSeed,
  Route53Seed,
} from './aws/aws-seed.js';
export type {
  AlarmStateValue,
  CloudWatchSeed,
  ScriptedAlarmSeed,
  ScriptedMetricSeed,
} from './aws/cloudwatch-script-seed.js';
export { findS3Service, type S3EmulatorService, type S3StoredObject } from './aws/s3-service.js';
export type { SnsSeed, SnsTopicSeed } from './aws/sns-seed.js';
export { findSnsService, type SnsEmulatorService, type SnsPublishedMessage } from './aws/sns-service.js';
export type { AzureMonitorSeed, ScriptedAzureMetricSeed } from './azure/azure-monitor-seed.js';
export type {
  AgentPoolSeed,
  AzureResourceGroupSeed,
  AzureSeed,
  AzureSubscriptionSeed,
  ManagedClusterSeed,
  SqlFailoverGroupSeed,
  SqlServerRefSeed,
  SqlServerSeed,
  TrafficManagerEndpointSeed,
  TrafficManagerEndpointType,
  TrafficManagerProfileSeed,
  TrafficManagerRoutingMethod,
} from './azure/azure-seed.js';
export { type BlobEmulatorService, findBlobService, type StoredBlob } from './azure/blob-service.js';
export type { CloudMonitoringSeed, ScriptedTimeSeriesSeed } from './gcp/cloud-monitoring-seed.js';
export {
  findCloudStorageService,
  type GcsEmulatorService,
  type GcsStoredObject,
} from './gcp/cloud-storage-service.js';
export type {
  CloudDnsHealthCheckedTargetsSeed,
  CloudDnsRecordSetSeed,
  CloudDnsRoutingPolicySeed,
  CloudDnsZoneSeed,
  CloudSqlInstanceSeed,
  GcpProjectSeed,
  GcpSeed,
  GkeClusterSeed,
  GkeNodePoolSeed,
} from './gcp/gcp-seed.js';
export type { KubernetesSeed, KubernetesWorkloadSeed } from './kubernetes/index.js';
export { sampleSubscriptionId, sampleWorld } from './sample-world.js';
export {
  createDeterministicClock,
  type DeterministicClock,
  type DeterministicClockOptions,
} from './server/deterministic-clock.js';
export { createEmulatorClock, type EmulatorClock } from './server/emulator-clock.js';
export type { EmulatorSeed } from './server/emulator-seed.js';
export type {
  Cloud,
  EmulatorRequest,
  EmulatorResponse,
  EmulatorService,
  HandleOptions,
  RouteMatch,
  ServiceContext,
  ServiceErrorKind,
} from './server/emulator-types.js';
export {
  type FaultInjector,
  type FaultKind,
  type FaultProfile,
  type FaultRule,
  faultProfileRules,
  faultProfiles,
} from './server/fault-injector.js';
export {
  type BlackoutMode,
  globalServiceHomes,
  type RegionBlackout,
  type RegionBlackouts,
} from './server/region-blackout.js';
export type { RequestLog, RequestLogEntry, RequestLogFilter } from './server/request-log.js';
export {
  blackoutsPath,
  clockPath,
  type Emulator,
  type StartEmulatorOptions,
  startEmulator,
} from './server/start-emulator.js';
