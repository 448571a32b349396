import type { ArcSeed } from './arc-seed.js';

/** A routing control as the cluster stores it. */
export interface RoutingControl {
  arn: string;
  name: string;
  state: 'On' | 'Off';
  controlPanelArn: string;
}

/**
 * The routing-control states of the ARC cluster. Every regional endpoint
 * reads and writes this one store (the cluster replicates across them), and
 * Route 53's RECOVERY_CONTROL health checks read it too.
 */
export class ArcState {
  readonly controls = new Map<string, RoutingControl>();

  constructor(seed: ArcSeed = {}) {
    for (const control of seed.routingControls ?? []) {
      const panel = /^(.*:controlpanel\/[^/]+)\/routingcontrol\/([^/]+)$/.exec(control.arn);
      this.controls.set(control.arn, {
        arn: control.arn,
        name: control.name ?? panel?.[2] ?? control.arn,
        state: control.state ?? 'On',
        controlPanelArn: control.controlPanelArn ?? panel?.[1] ?? control.arn,
      });
    }
  }

  /** `On`, `Off`, or undefined for an unknown ARN. */
  stateOf(arn: string): 'On' | 'Off' | undefined {
    return this.controls.get(arn)?.state;
  }
}
