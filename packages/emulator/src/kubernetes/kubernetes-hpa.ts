import type { EmulatorClock } from '../server/emulator-clock.js';
import type { KubernetesWorkload } from './kubernetes-workload.js';

/**
 * An autoscaling/v2 HorizontalPodAutoscaler on CPU. With no metrics load
 * modelled, its controller only enforces the bounds: every `syncMs` (the
 * controller's 15 s default) it scales a target below `minReplicas` up to it.
 */
export class KubernetesHpa {
  private version: number;
  private lastScaleTime: number | undefined;
  /** When `minReplicas` last rose above the target's replicas. */
  private raisedAt: number | undefined;

  constructor(
    readonly namespace: string,
    readonly name: string,
    readonly target: KubernetesWorkload,
    private minReplicas: number,
    private maxReplicas: number,
    private readonly clock: EmulatorClock,
    private readonly syncMs: number,
    private readonly nextResourceVersion: () => number,
    private readonly createdAt = clock.now(),
  ) {
    this.version = nextResourceVersion();
  }

  /** The pending raise was made under a `stuck` fault. */
  private raiseStuck = false;

  get resourceVersion(): string {
    return String(this.version);
  }

  /**
   * Validates and applies new bounds; returns the API's message when they are invalid.
   * Under a `stuck` fault the scale the raise leads to never gets its pods ready.
   */
  setBounds(minReplicas: unknown, maxReplicas: unknown, stuck = false): string | undefined {
    const min = minReplicas ?? this.minReplicas;
    const max = maxReplicas ?? this.maxReplicas;
    if (!Number.isInteger(min) || (min as number) < 1)
      return `spec.minReplicas: Invalid value: ${String(min)}: must be greater than or equal to 1`;
    if (!Number.isInteger(max) || (max as number) < (min as number))
      return `spec.maxReplicas: Invalid value: ${String(max)}: must be greater than or equal to \`minReplicas\``;
    if (min === this.minReplicas && max === this.maxReplicas) return undefined;
    if ((min as number) > this.target.desired) {
      this.raisedAt = this.clock.now();
      this.raiseStuck = stuck;
    }
    this.minReplicas = min as number;
    this.maxReplicas = max as number;
    this.version = this.nextResourceVersion();
    return undefined;
  }

  /**
   * What the controller would have done by now: scale the target up to
   * `minReplicas` at its first sync (every `syncMs` from creation) after the raise.
   * A read after the sync sees the scale as made at the sync instant.
   */
  sync(): void {
    if (this.raisedAt === undefined || this.target.desired >= this.minReplicas) return;
    const firstSync =
      this.createdAt + (Math.floor((this.raisedAt - this.createdAt) / this.syncMs) + 1) * this.syncMs;
    if (this.clock.now() < firstSync) return;
    this.target.scale(this.minReplicas, firstSync, this.raiseStuck);
    this.lastScaleTime = firstSync;
    this.raisedAt = undefined;
  }

  toResource(): Record<string, unknown> {
    return {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: {
        name: this.name,
        namespace: this.namespace,
        uid: `hpa-${this.namespace}-${this.name}`,
        resourceVersion: this.resourceVersion,
        creationTimestamp: new Date(this.createdAt).toISOString(),
      },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: this.target.kind, name: this.target.name },
        minReplicas: this.minReplicas,
        maxReplicas: this.maxReplicas,
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
          },
        ],
      },
      status: {
        ...(this.lastScaleTime !== undefined && {
          lastScaleTime: new Date(this.lastScaleTime).toISOString(),
        }),
        currentReplicas: this.target.readyReplicas(),
        desiredReplicas: this.target.desired,
      },
    };
  }
}
