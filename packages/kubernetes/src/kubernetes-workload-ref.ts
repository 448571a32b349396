/** A Deployment or StatefulSet by name. */
export interface WorkloadRef {
  kind: 'Deployment' | 'StatefulSet';
  namespace: string;
  name: string;
}

/** Deployments or StatefulSets of one namespace chosen by an equality label selector, e.g. `tier=web`. */
export interface WorkloadSelector {
  kind: 'Deployment' | 'StatefulSet';
  namespace: string;
  labelSelector: string;
}

/** What is observed of a workload: its desired replicas and the controller's status. */
export interface WorkloadState {
  ref: WorkloadRef;
  /** `spec.replicas`. */
  replicas: number;
  generation: number;
  /** `status.observedGeneration`; 0 when the controller has not reported yet. */
  observedGeneration: number;
  /** `status.replicas`: pods that exist. Absent counts are read as 0. */
  statusReplicas: number;
  updatedReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  resourceVersion?: string;
}

/** What `ensure` returns: whether it changed anything, the state to undo to, and what `wait` waits on. */
export interface WorkloadScaleOutcome {
  changed: boolean;
  /** The replicas before the change: `undo` scales back to them. */
  before: { replicas: number };
  /** `generation`: the object's generation after a template change; `wait` waits until it is observed. */
  handle: { ref: WorkloadRef; replicas: number; generation?: number };
}

export const workloadLabel = (ref: WorkloadRef) => `${ref.kind} ${ref.namespace}/${ref.name}`;
