import type { ServiceContext } from '../server/emulator-types.js';
import type { AuroraClusterSeed, DbInstanceSeed, RdsSeed } from './aws-seed.js';

export interface AuroraCluster {
  id: string;
  region: string;
  arn: string;
  resourceId: string;
  engine: string;
  engineVersion: string;
  status: string;
  instances: string[];
  /** The writer instance; undefined in a secondary cluster of a global database. */
  writer?: string;
  globalClusterId?: string;
  createdAt: number;
  /** A detach from the global cluster in progress: the cluster becomes a standalone writer at `endsAt`. */
  detach?: { endsAt: number };
}

export interface GlobalMember {
  clusterArn: string;
  isWriter: boolean;
  synchronization: 'connected' | 'pending-resync';
  resyncAt?: number;
  lagMs: number;
}

/** A stretch of time in which a secondary cluster replicated from the writer with `lagMs` of lag. */
export interface ReplicationSpan {
  from: number;
  /** Exclusive; Infinity while it still replicates. */
  until: number;
  lagMs: number;
}

export interface GlobalOperation {
  kind: 'switchover' | 'failover';
  fromArn: string;
  toArn: string;
  allowDataLoss: boolean;
  startedAt: number;
  /** End of the `pending` phase (checks before the move), even for a stuck operation. */
  pendingUntil: number;
  endsAt: number;
}

export interface GlobalCluster {
  id: string;
  arn: string;
  resourceId: string;
  engine: string;
  engineVersion: string;
  members: GlobalMember[];
  operation?: GlobalOperation;
}

export interface DbInstance {
  id: string;
  region: string;
  arn: string;
  resourceId: string;
  engine: string;
  engineVersion: string;
  instanceClass: string;
  multiAz: boolean;
  availabilityZone: string;
  secondaryAvailabilityZone?: string;
  status: string;
  createdAt: number;
  /** For a read replica: the source's id (same region) or ARN (other region). */
  source?: string;
  /** Replica ids (same region) or ARNs (other regions). */
  replicas: string[];
  pending?: { kind: 'reboot' | 'promote' | 'create'; endsAt: number; failover: boolean };
}

/** Aurora global databases, their regional clusters, and RDS instances with replicas. */
export class RdsState {
  readonly globalClusters = new Map<string, GlobalCluster>();
  /** Keyed by `${region}|${id}`. */
  readonly clusters = new Map<string, AuroraCluster>();
  /** Keyed by `${region}|${id}`. */
  readonly instances = new Map<string, DbInstance>();
  /**
   * When each cluster (by ARN) replicated as a secondary of a global cluster: the history
   * CloudWatch's `AuroraGlobalDBReplicationLag` is drawn from. It outlives membership, so
   * a detached cluster keeps its past samples.
   */
  readonly replication = new Map<string, ReplicationSpan[]>();

  constructor(
    private readonly context: ServiceContext,
    private readonly accountId: string,
    seed: RdsSeed = {},
  ) {
    const now = context.clock.now();
    for (const global of seed.globalClusters ?? []) {
      const engine = global.engine ?? 'aurora-postgresql';
      const engineVersion = global.engineVersion ?? '15.4';
      const members: GlobalMember[] = [];
      for (const member of global.members) {
        const cluster = this.addCluster({ engine, engineVersion, ...member }, member.writer ?? false, now);
        cluster.globalClusterId = global.id;
        // A seeded secondary has been replicating since before the emulator started.
        if (!(member.writer ?? false))
          this.startReplication(cluster.arn, Number.NEGATIVE_INFINITY, member.lagMs ?? 0);
        members.push({
          clusterArn: cluster.arn,
          isWriter: member.writer ?? false,
          synchronization: 'connected',
          lagMs: member.lagMs ?? 0,
        });
      }
      this.globalClusters.set(global.id, {
        id: global.id,
        arn: `arn:aws:rds::${accountId}:global-cluster:${global.id}`,
        resourceId: `cluster-${this.token(26)}`,
        engine,
        engineVersion,
        members,
      });
    }
    for (const cluster of seed.clusters ?? []) this.addCluster(cluster, true, now);
    for (const instance of seed.instances ?? []) this.addInstance(instance, now);
  }

  token(length: number): string {
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.context.random() * alphabet.length)];
    return out.toUpperCase();
  }

  clusterArn(region: string, id: string): string {
    return `arn:aws:rds:${region}:${this.accountId}:cluster:${id}`;
  }

  instanceArn(region: string, id: string): string {
    return `arn:aws:rds:${region}:${this.accountId}:db:${id}`;
  }

  private addCluster(seed: AuroraClusterSeed, writer: boolean, now: number): AuroraCluster {
    const instances = seed.instances ?? [`${seed.id}-instance-1`];
    const cluster: AuroraCluster = {
      id: seed.id,
      region: seed.region,
      arn: this.clusterArn(seed.region, seed.id),
      resourceId: `cluster-${this.token(26)}`,
      engine: seed.engine ?? 'aurora-postgresql',
      engineVersion: seed.engineVersion ?? '15.4',
      status: seed.status ?? 'available',
      instances,
      ...(writer && instances[0] !== undefined && { writer: instances[0] }),
      createdAt: now,
    };
    this.clusters.set(`${seed.region}|${seed.id}`, cluster);
    return cluster;
  }

  private addInstance(seed: DbInstanceSeed, now: number): void {
    const engine = seed.engine ?? 'postgres';
    const engineVersion = seed.engineVersion ?? '15.4';
    const source: DbInstance = {
      id: seed.id,
      region: seed.region,
      arn: this.instanceArn(seed.region, seed.id),
      resourceId: `db-${this.token(26)}`,
      engine,
      engineVersion,
      instanceClass: seed.instanceClass ?? 'db.r6g.large',
      multiAz: seed.multiAz ?? false,
      availabilityZone: seed.availabilityZone ?? `${seed.region}a`,
      ...((seed.multiAz ?? false) && {
        secondaryAvailabilityZone: seed.secondaryAvailabilityZone ?? `${seed.region}b`,
      }),
      status: seed.status ?? 'available',
      createdAt: now,
      replicas: [],
    };
    this.instances.set(`${seed.region}|${seed.id}`, source);
    for (const replica of seed.readReplicas ?? []) {
      const crossRegion = replica.region !== seed.region;
      source.replicas.push(crossRegion ? this.instanceArn(replica.region, replica.id) : replica.id);
      this.instances.set(`${replica.region}|${replica.id}`, {
        id: replica.id,
        region: replica.region,
        arn: this.instanceArn(replica.region, replica.id),
        resourceId: `db-${this.token(26)}`,
        engine,
        engineVersion,
        instanceClass: replica.instanceClass ?? source.instanceClass,
        multiAz: false,
        availabilityZone: replica.availabilityZone ?? `${replica.region}a`,
        status: 'available',
        createdAt: now,
        source: crossRegion ? source.arn : source.id,
        replicas: [],
      });
      // A seeded replica has been replicating since before the emulator started.
      this.startReplication(
        this.instanceArn(replica.region, replica.id),
        Number.NEGATIVE_INFINITY,
        replica.lagMs ?? 0,
      );
    }
  }

  /**
   * A new read replica of `source` in `region`, `creating` until `endsAt`. The source
   * lists it (its ARN across regions) from the start, as RDS does.
   */
  createReplica(
    source: DbInstance,
    id: string,
    region: string,
    options: { instanceClass?: string; availabilityZone?: string; now: number; endsAt: number },
  ): DbInstance {
    const crossRegion = region !== source.region;
    const replica: DbInstance = {
      id,
      region,
      arn: this.instanceArn(region, id),
      resourceId: `db-${this.token(26)}`,
      engine: source.engine,
      engineVersion: source.engineVersion,
      instanceClass: options.instanceClass ?? source.instanceClass,
      multiAz: false,
      availabilityZone: options.availabilityZone ?? `${region}a`,
      status: 'creating',
      createdAt: options.now,
      source: crossRegion ? source.arn : source.id,
      replicas: [],
      pending: { kind: 'create', endsAt: options.endsAt, failover: false },
    };
    this.instances.set(`${region}|${id}`, replica);
    source.replicas.push(crossRegion ? replica.arn : replica.id);
    return replica;
  }

  /** The cluster an identifier or ARN names, as seen from `region`. */
  findCluster(identifier: string, region: string): AuroraCluster | undefined {
    const arn = parseArn(identifier);
    if (arn) return arn.kind === 'cluster' ? this.clusters.get(`${arn.region}|${arn.id}`) : undefined;
    return this.clusters.get(`${region}|${identifier}`);
  }

  findInstance(identifier: string, region: string): DbInstance | undefined {
    const arn = parseArn(identifier);
    if (arn) return arn.kind === 'db' ? this.instances.get(`${arn.region}|${arn.id}`) : undefined;
    return this.instances.get(`${region}|${identifier}`);
  }

  clusterByArn(arn: string): AuroraCluster | undefined {
    return this.findCluster(arn, '');
  }

  /** The cluster replicates as a secondary from `at` on. */
  startReplication(arn: string, at: number, lagMs: number): void {
    const spans = this.replication.get(arn) ?? [];
    spans.push({ from: at, until: Number.POSITIVE_INFINITY, lagMs });
    this.replication.set(arn, spans);
  }

  /** The cluster stops replicating at `at` (it became the writer, or left the global cluster). */
  stopReplication(arn: string, at: number): void {
    for (const span of this.replication.get(arn) ?? []) {
      if (span.until === Number.POSITIVE_INFINITY) span.until = Math.max(span.from, at);
    }
  }

  /** The replication lag of the cluster at time `at`, or undefined when it was not replicating then. */
  replicationLagAt(arn: string, at: number): number | undefined {
    const span = this.replication.get(arn)?.find((candidate) => candidate.from <= at && at < candidate.until);
    return span?.lagMs;
  }

  /**
   * Applies every time-modelled operation that has finished by `now`, so reads
   * always see the state the clock implies (a manual clock advanced by client
   * sleeps drives them; a stuck operation ends at Infinity and never applies).
   */
  settle(now: number): void {
    for (const global of this.globalClusters.values()) {
      const operation = global.operation;
      if (operation && now >= operation.endsAt) {
        for (const member of global.members) {
          if (member.clusterArn === operation.toArn) {
            member.isWriter = true;
            this.stopReplication(member.clusterArn, operation.endsAt);
          }
          if (member.clusterArn === operation.fromArn) {
            member.isWriter = false;
            let replicatesFrom = operation.endsAt;
            if (operation.allowDataLoss) {
              member.synchronization = 'pending-resync';
              member.resyncAt = operation.endsAt + this.context.duration('aurora.resync', 300_000);
              replicatesFrom = member.resyncAt;
            }
            // The old writer replicates once it is in sync: at once after a switchover.
            this.startReplication(member.clusterArn, replicatesFrom, member.lagMs);
          }
        }
        const to = this.clusterByArn(operation.toArn);
        const from = this.clusterByArn(operation.fromArn);
        if (to) {
          to.status = 'available';
          to.writer = to.instances[0];
        }
        if (from) {
          from.status = 'available';
          from.writer = undefined;
        }
        global.operation = undefined;
      }
      for (const member of global.members) {
        if (
          member.synchronization === 'pending-resync' &&
          member.resyncAt !== undefined &&
          now >= member.resyncAt
        ) {
          member.synchronization = 'connected';
          member.resyncAt = undefined;
        }
      }
    }
    for (const cluster of this.clusters.values()) {
      if (cluster.detach && now >= cluster.detach.endsAt) {
        cluster.detach = undefined;
        cluster.status = 'available';
        cluster.writer = cluster.instances[0];
      }
    }
    for (const instance of this.instances.values()) {
      const pending = instance.pending;
      if (!pending || now < pending.endsAt) continue;
      instance.pending = undefined;
      instance.status = 'available';
      if (pending.kind === 'reboot' && pending.failover && instance.secondaryAvailabilityZone) {
        [instance.availabilityZone, instance.secondaryAvailabilityZone] = [
          instance.secondaryAvailabilityZone,
          instance.availabilityZone,
        ];
      }
      // A new read replica replicates from the moment it is available.
      if (pending.kind === 'create' && instance.source)
        this.startReplication(instance.arn, pending.endsAt, 0);
      if (pending.kind === 'promote' && instance.source) {
        const source = this.findInstance(instance.source, instance.region);
        if (source)
          source.replicas = source.replicas.filter(
            (entry) => entry !== instance.id && entry !== instance.arn,
          );
        instance.source = undefined;
      }
    }
  }
}

/** `arn:aws:rds:<region>:<account>:<kind>:<id>`. */
export function parseArn(value: string): { region: string; kind: string; id: string } | undefined {
  const match = /^arn:aws[a-z-]*:rds:([a-z0-9-]*):\d*:([a-z-]+):(.+)$/.exec(value);
  return match ? { region: match[1]!, kind: match[2]!, id: match[3]! } : undefined;
}
