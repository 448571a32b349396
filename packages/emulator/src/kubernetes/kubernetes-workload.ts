import type { EmulatorClock } from '../server/emulator-clock.js';

/**
 * A workload whose ready replicas follow its desired replicas over time: one
 * pod becomes ready every `podReadyMs` when scaling up; scaling down is immediate.
 */
export class KubernetesWorkload {
  private replicas: number;
  private readyAtChange: number;
  private changedAt: number;
  private generation = 1;
  readonly uid: string;
  readonly createdAt: number;

  constructor(
    readonly kind: 'Deployment' | 'StatefulSet',
    readonly namespace: string,
    readonly name: string,
    replicas: number,
    readyReplicas: number,
    private readonly clock: EmulatorClock,
    private readonly podReadyMs: number,
  ) {
    this.replicas = replicas;
    this.readyAtChange = Math.min(readyReplicas, replicas);
    this.changedAt = clock.now();
    this.createdAt = this.changedAt;
    this.uid = `${kind.toLowerCase()}-${namespace}-${name}`;
  }

  get desired(): number {
    return this.replicas;
  }

  readyReplicas(): number {
    if (this.readyAtChange >= this.replicas) return this.replicas;
    const grown = Math.floor((this.clock.now() - this.changedAt) / this.podReadyMs);
    return Math.min(this.replicas, this.readyAtChange + grown);
  }

  scale(replicas: number): void {
    if (replicas === this.replicas) return;
    this.readyAtChange = Math.min(this.readyReplicas(), replicas);
    this.replicas = replicas;
    this.changedAt = this.clock.now();
    this.generation++;
  }

  private metadata() {
    return {
      name: this.name,
      namespace: this.namespace,
      uid: this.uid,
      generation: this.generation,
      resourceVersion: String(this.generation),
      creationTimestamp: new Date(this.createdAt).toISOString(),
    };
  }

  /** The apps/v1 object. */
  toResource(): Record<string, unknown> {
    const ready = this.readyReplicas();
    return {
      apiVersion: 'apps/v1',
      kind: this.kind,
      metadata: this.metadata(),
      spec: {
        replicas: this.replicas,
        selector: { matchLabels: { app: this.name } },
        template: {
          metadata: { labels: { app: this.name } },
          spec: { containers: [{ name: this.name, image: 'app:latest' }] },
        },
        ...(this.kind === 'StatefulSet' && { serviceName: this.name }),
      },
      status: {
        observedGeneration: this.generation,
        replicas: this.replicas,
        readyReplicas: ready,
        availableReplicas: ready,
        updatedReplicas: this.replicas,
        ...(this.kind === 'StatefulSet' && { currentReplicas: this.replicas }),
      },
    };
  }

  /** The autoscaling/v1 Scale subresource. */
  toScale(): Record<string, unknown> {
    return {
      apiVersion: 'autoscaling/v1',
      kind: 'Scale',
      metadata: this.metadata(),
      spec: { replicas: this.replicas },
      status: { replicas: this.replicas, selector: `app=${this.name}` },
    };
  }
}
