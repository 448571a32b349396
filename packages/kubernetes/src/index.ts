/**
 * `@failover/kubernetes`: Kubernetes workload adapters for `@failover/core`.
 *
 * @packageDocumentation
 */

export {
  type ClusterAccessConnectionSettings,
  connectionFromAccess,
  type KubernetesBearerToken,
  type KubernetesClusterAccess,
  type KubernetesClusterEndpoint,
} from './kubernetes-cluster-access.js';
export {
  type ConfigMapKeyOutcome,
  type ConfigMapRef,
  createConfigMapSetter,
  type KubernetesConfigMapSetter,
} from './kubernetes-configmap.js';
export { configDataHash, configHashAnnotation } from './kubernetes-configmap-resource.js';
export {
  createKubernetesConnection,
  type KubernetesConnection,
  type KubernetesConnectionSettings,
  kubernetesProvider,
  withCallOptions,
} from './kubernetes-connection.js';
export type {
  KubeconfigConnectionOptions,
  KubernetesConnectionOptions,
  TokenConnectionOptions,
} from './kubernetes-connection-options.js';
export {
  createEnvVarSetter,
  type EnvVarsOutcome,
  type EnvVarsRef,
  type EnvVarsState,
  type KubernetesEnvVarSetter,
} from './kubernetes-env-var.js';
export { type KubernetesErrorCause, mapKubernetesError } from './kubernetes-error.js';
export {
  createHpaRaiser,
  type HpaRaiseOutcome,
  type HpaRef,
  type HpaState,
  type KubernetesHpaRaiser,
} from './kubernetes-hpa.js';
export { kubernetesSteps, type WorkloadSelection } from './kubernetes-plan-steps.js';
export { type ReplicaTarget, resolveReplicaTarget } from './kubernetes-replica-target.js';
export {
  type KubernetesResourceProvider,
  type KubernetesResourceProviderOptions,
  kubernetesResources,
} from './kubernetes-resource-provider.js';
export type {
  ConfigMapDesired,
  ConfigMapObserved,
  ConfigMapResourceRef,
  HpaDesired,
  HpaObserved,
  HpaResourceRef,
  KubernetesResourceRef,
  VeleroBackupCondition,
  VeleroBackupResourceRef,
  VeleroRestoreDesired,
  VeleroRestoreObserved,
  VeleroRestoreResourceRef,
  WorkloadDesired,
  WorkloadObserved,
  WorkloadResourceRef,
} from './kubernetes-resource-types.js';
export { rolloutComplete } from './kubernetes-rollout.js';
export {
  createVeleroRestorer,
  type KubernetesVeleroRestorer,
  type VeleroBackupState,
  type VeleroRestoreOutcome,
  type VeleroRestorerOptions,
  type VeleroRestoreScope,
} from './kubernetes-velero.js';
export type {
  WorkloadRef,
  WorkloadScaleOutcome,
  WorkloadSelector,
  WorkloadState,
} from './kubernetes-workload-ref.js';
export type { WorkloadSource } from './kubernetes-workload-resource.js';
export {
  createWorkloadScaler,
  type KubernetesWorkloadScaler,
  type WorkloadScalerOptions,
  type WorkloadWaitOptions,
} from './kubernetes-workload-scaler.js';
