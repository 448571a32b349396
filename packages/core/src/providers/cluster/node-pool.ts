/** Which node pool: a cluster and a pool name (EKS node group, AKS agent pool, GKE node pool). */
export interface NodePoolRef {
  cluster: string;
  pool: string;
  /** Region or location of the cluster, when the provider needs it per call. */
  region?: string;
}

/** A node pool as observed. Counts are totals across zones. */
export interface NodePool {
  cluster: string;
  pool: string;
  region?: string;
  desired: number;
  min: number;
  max: number;
  /** Nodes ready to take work. */
  ready: number;
  autoscaling: boolean;
  /** Normalised: `ready` means no update is in flight and the pool is healthy. */
  status: 'ready' | 'scaling' | 'degraded' | 'unknown';
  rawStatus?: string;
  /** For pools sized per zone (regional GKE): the number of zones the counts are spread over. */
  zones?: number;
}

/** What must be true of a pool's size after a scale step. Unnamed fields stay as they are. */
export interface NodePoolDesiredState {
  desired?: number;
  min?: number;
  max?: number;
}
