/**
 * `@failover/kubernetes`: Kubernetes workload adapters for `@failover/core`.
 *
 * @packageDocumentation
 */

export {
  type ConfigMapKeyOutcome,
  type ConfigMapRef,
  createConfigMapSetter,
  type KubernetesConfigMapSetter,
} from './kubernetes-configmap.js';
export {
  createKubernetesConnection,
  type KubernetesConnection,
  kubernetesProvider,
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
export { type ReplicaTarget, resolveReplicaTarget } from './kubernetes-replica-target.js';
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
export {
  createWorkloadScaler,
  type KubernetesWorkloadScaler,
  type WorkloadScalerOptions,
  type WorkloadWaitOptions,
} from './kubernetes-workload-scaler.js';
