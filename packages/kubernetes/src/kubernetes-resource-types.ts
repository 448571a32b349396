/**
 * The resources a Kubernetes resource provider handles, named as `kubectl`
 * names them: `kind`, `namespace`, then `name` or a label selector.
 * All of it is plain JSON, so plans journal, diff and report it as it is.
 */
export type KubernetesResourceRef =
  | WorkloadResourceRef
  | HpaResourceRef
  | ConfigMapResourceRef
  | VeleroRestoreResourceRef
  | VeleroBackupResourceRef;

/** Deployments or StatefulSets: one by `name`, or every one a `labelSelector` (`tier=web`) picks. */
export interface WorkloadResourceRef {
  kind: 'Deployment' | 'StatefulSet';
  namespace: string;
  name?: string;
  labelSelector?: string;
  /** The container whose `env` a step sets; default the pod's only container. Only with `name`. */
  container?: string;
}

/**
 * What a workload step makes true. `replicas`: a count for every workload, or
 * a count per workload name. `percentOfSource` instead: that percentage
 * (rounded up) of the same workload's replicas on the provider's source
 * cluster (its recorded count when that cluster is dark). `env`: plain
 * variables of the container, `null` removes one (only with `name`).
 */
export interface WorkloadDesired {
  replicas?: number | Record<string, number>;
  percentOfSource?: number;
  env?: Record<string, string | null>;
  /** With `env`: remove the plain variables `env` does not list (an undo puts `before` back exactly). */
  replaceEnv?: boolean;
}

/** The workloads as observed: per name, what the rollout wait and the diff need. */
export interface WorkloadObserved {
  replicas: Record<string, number>;
  readyReplicas: Record<string, number>;
  /** Per name: whether the latest generation is rolled out (`kubectl rollout status`). */
  rolledOut: Record<string, boolean>;
  /** The container's plain variables (a `name` ref only). */
  env?: Record<string, string>;
  /** The source cluster's replicas of the same workloads (when the provider has a source). */
  sourceReplicas?: Record<string, number>;
  /** The smallest share of its source's replicas any workload has, in whole percent (a dry-run's `from`). */
  percentOfSource?: number;
  /** Where `sourceReplicas` came from when it is not a live read: the record's time and author. */
  sourceRecorded?: string;
  /** Why the source could not be read and nothing was recorded (percent-of-source cannot be resolved). */
  sourceError?: string;
}

/** A HorizontalPodAutoscaler: a step raises its `minReplicas`. */
export interface HpaResourceRef {
  kind: 'HorizontalPodAutoscaler';
  namespace: string;
  name: string;
}

/** `minReplicas` at least this (never lowered); `exact` sets it as is (an undo). */
export interface HpaDesired {
  minReplicas: number;
  exact?: boolean;
}

/** An HPA as observed. */
export interface HpaObserved {
  minReplicas: number;
  maxReplicas: number;
  target: { kind: 'Deployment' | 'StatefulSet'; name: string };
  /** The target's `spec.replicas` now. */
  targetReplicas: number;
}

/**
 * A ConfigMap, and the workloads that read it: after its data changes they are
 * rolled (their pod template gets the data's SHA-256 as an annotation, so a
 * resumed step rolls nothing twice), and the step waits for those rollouts.
 */
export interface ConfigMapResourceRef {
  kind: 'ConfigMap';
  namespace: string;
  name: string;
  rollout?: Array<{ kind: 'Deployment' | 'StatefulSet'; name: string }>;
}

/** Keys to set (`null` removes one); `exact` also removes the keys not listed (an undo). */
export interface ConfigMapDesired {
  data: Record<string, string | null>;
  exact?: boolean;
}

/** A ConfigMap as observed, with the data hash each rollout workload was last rolled for. */
export interface ConfigMapObserved {
  data: Record<string, string>;
  /** Per rollout workload: the data hash its pod template was last rolled for (`null`: never). */
  rolledFor: Record<string, string | null>;
  /** Per rollout workload: whether its latest generation is rolled out. */
  rolledOut: Record<string, boolean>;
  /**
   * The data hash a step wrote on the ConfigMap with its data (one patch): the workloads must be
   * rolled for it. `null` when no step changed the data, so nothing is owed.
   */
  pendingRollout: string | null;
}

/** Velero restores from the latest backup of a schedule (in Velero's namespace, default `velero`). */
export interface VeleroRestoreResourceRef {
  kind: 'Restore';
  schedule: string;
  namespace?: string;
}

/** A restore of the schedule's latest backup, with these filters, done once; the backup no older than `maxBackupAgeMs`. */
export interface VeleroRestoreDesired {
  restored: true;
  maxBackupAgeMs: number;
  includedNamespaces?: string[];
  excludedNamespaces?: string[];
  includedResources?: string[];
  excludedResources?: string[];
}

/** The latest backup and the restores made of it. */
export interface VeleroRestoreObserved {
  latestBackup?: { name: string; phase: string; ageMs: number; errors: number };
  /** Whether a restore of the latest backup (any filters) has Completed: a dry-run's `from`. */
  restored: boolean;
  /** The restores of the latest backup, with their phase and filters (sorted lists). */
  restores: Array<{ name: string; backupName: string; phase: string; scope: Record<string, string[]> }>;
}

/** The latest backup of a schedule, for a `check.resource` step. */
export interface VeleroBackupResourceRef {
  kind: 'Backup';
  schedule: string;
  namespace?: string;
}

/** The backup is Completed without errors and no older than `maxAgeMs` (default: the plan's RPO). */
export interface VeleroBackupCondition {
  maxAgeMs?: number;
}
