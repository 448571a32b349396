import type { KubernetesTokenScheme } from './kubernetes-token.js';
import type { VeleroBackupSeed, VeleroRestoreOutcomeSeed } from './kubernetes-velero.js';
import type { VeleroScheduleSeed } from './kubernetes-velero-schedule.js';

/** A Deployment or StatefulSet as the emulator starts it. */
export interface KubernetesWorkloadSeed {
  kind: 'Deployment' | 'StatefulSet';
  /** Default `default`. */
  namespace?: string;
  name: string;
  replicas: number;
  /** Labels on the object, its selector and its pods; default `{ app: name }`. */
  labels?: Record<string, string>;
  /** Default: equal to `replicas` (a settled workload). */
  readyReplicas?: number;
  /** Environment variables of its one container (named like the workload). */
  env?: Record<string, string>;
}

/** Kubernetes API servers, one per cluster, each reachable at `${url}/kubernetes/<cluster>`. */
export interface KubernetesSeed {
  clusters?: Array<{
    name: string;
    /**
     * Where the cluster runs (`us-east-1`, `westus2`): a blackout of the `kubernetes`
     * cloud in this region takes its API server down. Default: the cluster's name.
     */
    region?: string;
    workloads?: KubernetesWorkloadSeed[];
    /** core/v1 ConfigMaps. */
    configMaps?: Array<{ namespace?: string; name: string; data?: Record<string, string> }>;
    /**
     * Velero (namespace `velero`): finished backups, schedules (one is also made for each
     * schedule a backup names), and how a restore of each backup ends (default Completed).
     */
    velero?: {
      backups?: VeleroBackupSeed[];
      schedules?: VeleroScheduleSeed[];
      restoreOutcomes?: Record<string, VeleroRestoreOutcomeSeed>;
    };
    /** autoscaling/v2 HorizontalPodAutoscalers on the workloads above. */
    hpas?: KubernetesHpaSeed[];
    /**
     * Whose bearer tokens the API server accepts (shape and expiry are checked; a
     * missing or refused token gets 401): `eks`, `aks`, `gke`, or `any` (default).
     */
    auth?: KubernetesTokenScheme;
    /** Bearer tokens RBAC allows to read but not to write: their mutating calls get 403 Forbidden. */
    readOnlyTokens?: string[];
  }>;
}

/** A HorizontalPodAutoscaler on a seeded workload (same namespace). */
export interface KubernetesHpaSeed {
  /** Default `default`. */
  namespace?: string;
  name: string;
  target: { kind: 'Deployment' | 'StatefulSet'; name: string };
  /** Default 1. */
  minReplicas?: number;
  maxReplicas: number;
}
