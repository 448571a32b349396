import type { EmulatorClock } from '../server/emulator-clock.js';

/** Timings of the emulated controllers. */
export interface KubernetesWorkloadTimings {
  /** How long until a new pod is ready. */
  podReadyMs: number;
  /** How long the controller takes to observe a new generation (`status.observedGeneration`). */
  controllerSyncMs: number;
}

/**
 * A workload whose status follows its desired replicas over time, as the
 * Deployment and StatefulSet controllers report it: pods are created at once
 * (a StatefulSet creates them one at a time, OrderedReady) and one becomes
 * ready every `podReadyMs` when scaling up; scaling down is immediate. Zero
 * counts are omitted where the API types say `omitempty`.
 */
export class KubernetesWorkload {
  private replicas: number;
  private readyAtChange: number;
  private changedAt: number;
  private generation = 1;
  private version: number;
  readonly uid: string;
  readonly createdAt: number;

  constructor(
    readonly kind: 'Deployment' | 'StatefulSet',
    readonly namespace: string,
    readonly name: string,
    replicas: number,
    readyReplicas: number,
    readonly labels: Record<string, string>,
    private readonly clock: EmulatorClock,
    private readonly timings: KubernetesWorkloadTimings,
    private readonly nextResourceVersion: () => number,
  ) {
    this.replicas = replicas;
    this.readyAtChange = Math.min(readyReplicas, replicas);
    this.changedAt = clock.now() - timings.controllerSyncMs;
    this.createdAt = clock.now();
    this.version = nextResourceVersion();
    this.uid = `${kind.toLowerCase()}-${namespace}-${name}`;
  }

  get desired(): number {
    return this.replicas;
  }

  get resourceVersion(): string {
    return String(this.version);
  }

  readyReplicas(): number {
    if (this.readyAtChange >= this.replicas) return this.replicas;
    const grown = Math.floor((this.clock.now() - this.changedAt) / this.timings.podReadyMs);
    return Math.min(this.replicas, this.readyAtChange + grown);
  }

  scale(replicas: number): void {
    if (replicas === this.replicas) return;
    this.readyAtChange = Math.min(this.readyReplicas(), replicas);
    this.replicas = replicas;
    this.changedAt = this.clock.now();
    this.generation++;
    this.version = this.nextResourceVersion();
  }

  private observedGeneration(): number {
    const observed = this.clock.now() - this.changedAt >= this.timings.controllerSyncMs;
    return observed ? this.generation : this.generation - 1;
  }

  private metadata() {
    return {
      name: this.name,
      namespace: this.namespace,
      uid: this.uid,
      resourceVersion: this.resourceVersion,
      generation: this.generation,
      creationTimestamp: new Date(this.createdAt).toISOString(),
      labels: { ...this.labels },
    };
  }

  /** The controller's status: before it observes a change, the counts of the previous generation. */
  private status(): Record<string, unknown> {
    const observedGeneration = this.observedGeneration();
    const ready = this.readyReplicas();
    const nonZero = (name: string, value: number) => (value > 0 ? { [name]: value } : {});
    if (this.kind === 'Deployment') {
      const replicas =
        observedGeneration === this.generation ? this.replicas : Math.max(ready, this.readyAtChange);
      return {
        observedGeneration,
        ...nonZero('replicas', replicas),
        ...nonZero('updatedReplicas', replicas),
        ...nonZero('readyReplicas', ready),
        ...nonZero('availableReplicas', ready),
        ...nonZero('unavailableReplicas', replicas - ready),
      };
    }
    // OrderedReady: the next pod is created only when the previous one is ready.
    const created = observedGeneration === this.generation ? Math.min(this.replicas, ready + 1) : ready;
    return {
      observedGeneration,
      replicas: created,
      ...nonZero('readyReplicas', ready),
      ...nonZero('currentReplicas', created),
      ...nonZero('updatedReplicas', created),
      availableReplicas: ready,
      currentRevision: `${this.name}-7c9d8f6b5`,
      updateRevision: `${this.name}-7c9d8f6b5`,
      collisionCount: 0,
    };
  }

  /** The apps/v1 object. */
  toResource(): Record<string, unknown> {
    return {
      apiVersion: 'apps/v1',
      kind: this.kind,
      metadata: this.metadata(),
      spec: {
        replicas: this.replicas,
        selector: { matchLabels: { ...this.labels } },
        template: {
          metadata: { labels: { ...this.labels } },
          spec: { containers: [{ name: this.name, image: 'app:latest' }] },
        },
        ...(this.kind === 'StatefulSet' && { serviceName: this.name }),
      },
      status: this.status(),
    };
  }

  /** The autoscaling/v1 Scale subresource. */
  toScale(): Record<string, unknown> {
    const { labels: _labels, ...metadata } = this.metadata();
    return {
      apiVersion: 'autoscaling/v1',
      kind: 'Scale',
      metadata,
      spec: { replicas: this.replicas },
      status: {
        replicas: this.replicas,
        selector: Object.entries(this.labels)
          .map(([k, v]) => `${k}=${v}`)
          .join(','),
      },
    };
  }
}
