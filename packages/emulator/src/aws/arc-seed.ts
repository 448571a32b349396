/** One routing control of an ARC cluster: an on/off switch that routing-control health checks read. */
export interface RoutingControlSeed {
  /** `arn:aws:route53-recovery-control::<account>:controlpanel/<id>/routingcontrol/<id>`. */
  arn: string;
  /** Default: the last part of the ARN. */
  name?: string;
  /** Default `On`. */
  state?: 'On' | 'Off';
  /** Default: the control panel part of the ARN. */
  controlPanelArn?: string;
}

/**
 * Route 53 Application Recovery Controller: one cluster whose data plane is
 * served from several regional endpoints (AWS gives five), all sharing the
 * same routing-control states.
 */
export interface ArcSeed {
  /** Regions of the cluster's endpoints. Default: the five of `defaultArcClusterRegions`. */
  clusterRegions?: string[];
  routingControls?: RoutingControlSeed[];
}

/** Where the emulated cluster answers when the seed does not say: five regions, as an ARC cluster has. */
export const defaultArcClusterRegions: readonly string[] = [
  'us-east-1',
  'us-west-2',
  'eu-west-1',
  'ap-northeast-1',
  'ap-southeast-2',
];
