import type { EmulatorClock } from '../server/emulator-clock.js';
import {
  conditionResource,
  type DeploymentCondition,
  type DeploymentEpisode,
  deploymentConditions,
} from './kubernetes-deployment-conditions.js';
import { applyPatch, type JsonObject } from './kubernetes-patch.js';

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
 * counts are omitted where the API types say `omitempty`. A change made under
 * a `stuck` fault never gets a new pod ready (a Deployment then reports
 * `ProgressDeadlineExceeded`).
 */
export class KubernetesWorkload {
  private replicas: number;
  private readyAtChange: number;
  private changedAt: number;
  private generation = 1;
  private version: number;
  /** `spec.template`: a change to it starts a rollout of new pods. */
  private template: JsonObject;
  /** When the rollout of the current template started; undefined when none has since creation. */
  private rolloutStartedAt: number | undefined;
  /** Counts template changes: the StatefulSet's revision names follow it. */
  private templateRevision = 1;
  /** When the latest generation was made: the controller observes it `controllerSyncMs` later. */
  private observedAt: number | undefined;
  /** A `stuck` fault hit the latest change: none of its pods becomes ready. */
  private stuck = false;
  /** The latest change as the Deployment conditions follow it. */
  private episode: DeploymentEpisode;
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
    env: Record<string, string> = {},
  ) {
    this.template = {
      metadata: { labels: { ...labels } },
      spec: {
        containers: [
          {
            name,
            image: 'app:latest',
            ...(Object.keys(env).length > 0 && {
              env: Object.entries(env).map(([envName, value]) => ({ name: envName, value })),
            }),
          },
        ],
      },
    };
    this.replicas = replicas;
    this.readyAtChange = Math.min(readyReplicas, replicas);
    this.changedAt = clock.now() - timings.controllerSyncMs;
    this.createdAt = clock.now();
    this.version = nextResourceVersion();
    this.uid = `${kind.toLowerCase()}-${namespace}-${name}`;
    const created = (
      type: 'Available' | 'Progressing',
      status: 'True' | 'False',
      reason: string,
      message: string,
    ) =>
      ({
        type,
        status,
        reason,
        message,
        lastUpdateTime: this.createdAt,
        lastTransitionTime: this.createdAt,
      }) as DeploymentCondition;
    const minimum = replicas - Math.floor(replicas / 4);
    this.episode = this.newEpisode(
      {
        available:
          this.readyAtChange >= minimum
            ? created('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.')
            : created(
                'Available',
                'False',
                'MinimumReplicasUnavailable',
                'Deployment does not have minimum availability.',
              ),
        progressing: created(
          'Progressing',
          'True',
          'NewReplicaSetCreated',
          `Created new replica set "${this.replicaSetName()}"`,
        ),
      },
      this.createdAt,
    );
  }

  private newEpisode(prior: DeploymentEpisode['prior'], observedAt: number): DeploymentEpisode {
    return {
      prior,
      observedAt,
      replicas: this.replicas,
      readyAtChange: this.readyAtChange,
      changedAt: this.changedAt,
      ...(this.rolloutStartedAt !== undefined && { rolloutStartedAt: this.rolloutStartedAt }),
      podReadyMs: this.timings.podReadyMs,
      stuck: this.stuck,
      replicaSetName: this.replicaSetName(),
    };
  }

  /** Starts following a change made at `at`: the conditions until the controller sees it are those of now. */
  private beginEpisode(at: number): void {
    const [available, progressing] = deploymentConditions(this.episode, at) as [
      DeploymentCondition,
      DeploymentCondition,
    ];
    this.episode = this.newEpisode({ available, progressing }, at + this.timings.controllerSyncMs);
  }

  /** The current ReplicaSet's name: `<deployment>-<pod-template-hash>`, a new hash per template. */
  private replicaSetName(): string {
    return `${this.name}-${(0x5c6d7f8b9 + this.templateRevision * 7919).toString(16).slice(-9)}`;
  }

  get desired(): number {
    return this.replicas;
  }

  get resourceVersion(): string {
    return String(this.version);
  }

  readyReplicas(): number {
    if (this.readyAtChange >= this.replicas) return this.replicas;
    if (this.stuck) return this.readyAtChange;
    const grown = Math.floor((this.clock.now() - this.changedAt) / this.timings.podReadyMs);
    return Math.min(this.replicas, this.readyAtChange + grown);
  }

  /** Sets the desired replicas, as of `at` (default now): a controller's sync seen at a later read. */
  scale(replicas: number, at = this.clock.now(), stuck = false): void {
    if (replicas === this.replicas) return;
    // A finished rollout is over: the new pods of a scale-up are of the current template already.
    if (this.rolloutStartedAt !== undefined && this.updatedReady() >= this.replicas)
      this.rolloutStartedAt = undefined;
    this.readyAtChange = Math.min(this.readyReplicas(), replicas);
    this.replicas = replicas;
    this.changedAt = at;
    this.observedAt = at;
    this.generation++;
    this.version = this.nextResourceVersion();
    this.stuck = stuck;
    this.beginEpisode(at);
  }

  /**
   * Applies a patch of the object (merge or strategic merge): `spec.replicas`
   * scales; a change of `spec.template` bumps the generation and rolls the pods
   * over to it, one new pod ready every `podReadyMs`. Other fields are kept as
   * they are. Returns whether anything changed.
   */
  patch(body: JsonObject, strategic: boolean, stuck = false): { changed: boolean; invalid?: string } {
    const spec = (body.spec ?? {}) as JsonObject;
    const replicas = spec.replicas;
    if (replicas !== undefined && (!Number.isInteger(replicas) || (replicas as number) < 0))
      return { changed: false, invalid: 'spec.replicas: Invalid value: must be a non-negative integer' };
    let changed = false;
    if (spec.template !== undefined) {
      const next = applyPatch(this.template, spec.template, strategic) as JsonObject;
      const containers = (next.spec as JsonObject | undefined)?.containers;
      if (!Array.isArray(containers) || containers.length === 0)
        return { changed: false, invalid: 'spec.template.spec.containers: Required value' };
      if (JSON.stringify(next) !== JSON.stringify(this.template)) {
        this.template = next;
        this.generation++;
        this.templateRevision++;
        this.rolloutStartedAt = this.clock.now();
        this.version = this.nextResourceVersion();
        this.observedAt = this.clock.now();
        // Pods ready so far stay ready: the old ReplicaSet serves until the new one takes over.
        this.readyAtChange = this.readyReplicas();
        this.changedAt = this.clock.now();
        this.stuck = stuck;
        this.beginEpisode(this.clock.now());
        changed = true;
      }
    }
    if (typeof replicas === 'number' && replicas !== this.replicas) {
      this.scale(replicas, this.clock.now(), stuck);
      changed = true;
    }
    return { changed };
  }

  /** New-template pods ready so far in a rollout; all of them once it is over or when there is none. */
  private updatedReady(): number {
    if (this.rolloutStartedAt === undefined) return this.replicas;
    if (this.stuck) return 0;
    return Math.min(
      this.replicas,
      Math.floor((this.clock.now() - this.rolloutStartedAt) / this.timings.podReadyMs),
    );
  }

  private observedGeneration(): number {
    const observed =
      this.observedAt === undefined || this.clock.now() - this.observedAt >= this.timings.controllerSyncMs;
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
    // A rollout in progress: one surge pod of the new template at a time (Deployment), or
    // one pod replaced at a time from the highest ordinal (StatefulSet RollingUpdate).
    const rolling = observedGeneration === this.generation && this.updatedReady() < this.replicas;
    const updatedReady = this.updatedReady();
    if (this.kind === 'Deployment') {
      const settled =
        observedGeneration === this.generation ? this.replicas : Math.max(ready, this.readyAtChange);
      const replicas = rolling ? settled + 1 : settled;
      const updated = rolling ? updatedReady + 1 : settled;
      return {
        observedGeneration,
        ...nonZero('replicas', replicas),
        ...nonZero('updatedReplicas', updated),
        ...nonZero('readyReplicas', ready),
        ...nonZero('availableReplicas', ready),
        ...nonZero('unavailableReplicas', replicas - ready),
        conditions: deploymentConditions(this.episode, this.clock.now()).map(conditionResource),
      };
    }
    // OrderedReady: the next pod is created only when the previous one is ready.
    const created = observedGeneration === this.generation ? Math.min(this.replicas, ready + 1) : ready;
    const revision = (generation: number) => `${this.name}-${(0x7c9d8f6b5 + generation).toString(16)}`;
    const templateGeneration = this.templateRevision;
    const statefulReady = rolling ? Math.max(0, ready - 1) : ready;
    return {
      observedGeneration,
      replicas: created,
      ...nonZero('readyReplicas', statefulReady),
      ...nonZero('currentReplicas', rolling ? created - updatedReady : created),
      ...nonZero('updatedReplicas', rolling ? updatedReady : created),
      availableReplicas: statefulReady,
      currentRevision: revision(rolling ? templateGeneration - 1 : templateGeneration),
      updateRevision: revision(templateGeneration),
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
        template: structuredClone(this.template),
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
