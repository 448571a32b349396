/** Static facts a cluster scaler declares. */
export interface ClusterCapabilities {
  /** It can set min/max bounds as well as the desired count. */
  bounds: boolean;
  /** It can scale a pool whose autoscaler is on (by moving its bounds). */
  autoscaledPools: boolean;
}
