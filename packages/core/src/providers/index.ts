export type { ApiCall, CallOptions, WaitOptions } from './call-options.js';
export type { ClusterCapabilities } from './cluster/cluster-capabilities.js';
export type { ClusterScalerV1 } from './cluster/cluster-scaler-v1.js';
export type { NodePool, NodePoolDesiredState, NodePoolRef } from './cluster/node-pool.js';
export type { DatabaseCapabilities } from './database/database-capabilities.js';
export type { DatabaseDesiredState, FailoverMode } from './database/database-desired-state.js';
export type { DatabaseFailoverV1 } from './database/database-failover-v1.js';
export { databaseMatches } from './database/database-matches.js';
export {
  type DatabaseReplicaDesired,
  type DatabaseReplicaRef,
  databaseReprotectResource,
} from './database/database-reprotect-resource.js';
export {
  type DatabaseReplicaSpec,
  type DatabaseReplicaState,
  type DatabaseReprotectV1,
  hasDatabaseReprotect,
  replicaMatches,
} from './database/database-reprotect-v1.js';
export {
  type DatabaseMember,
  type DatabaseRef,
  type DatabaseRole,
  type DatabaseTopology,
  writerRegion,
} from './database/database-topology.js';
export { isMemberNamed } from './database/member-name.js';
export {
  type ReplicationLagObservation,
  type ReplicationLagSample,
  worstReplicationLag,
} from './database/replication-lag.js';
export { type DnsDifference, diffDnsRecordSet } from './dns/diff-dns-record-set.js';
export type { DnsBatchingV1, DnsChange, DnsChangeOutcome, DnsObservation } from './dns/dns-batching.js';
export type { DnsCapabilities } from './dns/dns-capabilities.js';
export type { DnsDesiredState, DnsTargetPatch } from './dns/dns-desired-state.js';
export type { DnsProviderV1 } from './dns/dns-provider-v1.js';
export type { DnsRecordRef, DnsRecordSet, DnsRouting, DnsTarget } from './dns/dns-record-set.js';
export {
  type DnsWeightScale,
  mapWeightPercents,
  withWeightPercents,
} from './dns/dns-weight-scale.js';
export { resolveDnsDesiredState } from './dns/resolve-dns-desired-state.js';
export { type WeightsAdvance, weightsAdvance } from './dns/weights-advance.js';
export type { EnsureResult, OperationHandle } from './operation-handle.js';
export { type PollOutcome, type PollUntilOptions, pollUntil } from './poll-until.js';
export type { ProviderIdentity, ProviderKind } from './provider-kind.js';
export type { ResourceCheckObservation, ResourceCheckOptions } from './resource/resource-check.js';
export type { ResourceJson } from './resource/resource-json.js';
export {
  type ResourceDifference,
  resourceDifferences,
  resourceMatches,
} from './resource/resource-matches.js';
export type { AnyResourceProviderV1, ResourceProviderV1 } from './resource/resource-provider-v1.js';
export type { ResourceWaitOptions } from './resource/resource-wait-options.js';
export {
  backoffDelayMs,
  isTransient,
  type RetryBackoff,
  type RetryWithinDeadlineOptions,
  retryWithinDeadline,
} from './retry-within-deadline.js';
export { createSharedBackoff, type SharedBackoff } from './shared-backoff.js';
