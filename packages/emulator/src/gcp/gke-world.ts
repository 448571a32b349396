import type { EmulatorResponse, ServiceContext } from '../server/emulator-types.js';
import { googleError, invalid, notFound } from './gcp-error.js';
import { iso } from './gcp-request.js';
import type { GcpSeed, GkeNodePoolSeed } from './gcp-seed.js';
import { DueEffects, phaseAt, type Timeline, timeline } from './gcp-timeline.js';

interface Autoscaling {
  enabled: boolean;
  minNodeCount?: number;
  maxNodeCount?: number;
  totalMinNodeCount?: number;
  totalMaxNodeCount?: number;
  locationPolicy?: string;
}

interface GkePool {
  name: string;
  locations: string[];
  version: string;
  machineType: string;
  initialNodeCount: number;
  /** What the instance group managers aim for, per zone. */
  targetPerZone: number;
  /** Nodes up and running, per zone. Reaches the target when the resize operation is done. */
  runningPerZone: number;
  autoscaling?: Autoscaling;
  /** The operation reconciling the pool, if any. */
  reconciling?: GkeOperation;
  igmSuffix: string;
}

/** A stand-in cluster CA (PEM, base64): the emulator serves plain http, so nothing verifies it. */
const gkeEmulatorCaData = Buffer.from(
  '-----BEGIN CERTIFICATE-----\nZW11bGF0b3ItZ2tlLWNsdXN0ZXItY2E=\n-----END CERTIFICATE-----\n',
).toString('base64');

interface GkeCluster {
  project: string;
  projectNumber: string;
  name: string;
  location: string;
  zones: string[];
  pools: Map<string, GkePool>;
  createdAt: number;
  apiServer: string;
}

interface GkeOperation {
  name: string;
  project: string;
  location: string;
  cluster: string;
  pool: string;
  type: string;
  line: Timeline;
}

/** One zone's instance group manager of a node pool, as Compute Engine reports it. */
export interface InstanceGroupView {
  project: string;
  zone: string;
  name: string;
  targetSize: number;
  running: number;
}

const maxNodesPerZone = 1000;

/**
 * GKE clusters and node pools of every project, plus the Compute Engine view
 * of each pool's per-zone instance groups. A node pool has no size field on
 * the wire (as on GKE); the size lives in the instance groups.
 */
export class GkeWorld {
  private readonly clusters: GkeCluster[] = [];
  private readonly operations = new Map<string, GkeOperation>();
  private readonly effects: DueEffects;

  constructor(
    private readonly context: ServiceContext,
    seed: GcpSeed,
  ) {
    this.effects = new DueEffects(context.clock);
    const now = context.clock.now();
    for (const project of seed.projects ?? []) {
      const projectNumber = project.number ?? projectNumberOf(project.id);
      for (const cluster of project.gkeClusters ?? []) {
        const zonal = /-[a-z]$/.test(cluster.location);
        const zones =
          cluster.zones ??
          (zonal ? [cluster.location] : ['a', 'b', 'c'].map((z) => `${cluster.location}-${z}`));
        const pools = new Map<string, GkePool>();
        for (const pool of cluster.nodePools) pools.set(pool.name, this.seedPool(pool, zones));
        this.clusters.push({
          project: project.id,
          projectNumber,
          name: cluster.name,
          location: cluster.location,
          zones,
          pools,
          createdAt: now,
          apiServer: cluster.apiServer ?? `gke.${cluster.location}.${cluster.name}`,
        });
      }
    }
  }

  settle(): void {
    this.effects.settle();
  }

  getCluster(project: string, location: string, name: string, host?: string): EmulatorResponse {
    const cluster = this.cluster(project, location, name);
    if (!cluster) return clusterMissing(project, location, name);
    return ok(this.clusterWire(cluster, host));
  }

  listPools(project: string, location: string, name: string): EmulatorResponse {
    const cluster = this.cluster(project, location, name);
    if (!cluster) return clusterMissing(project, location, name);
    return ok({ nodePools: [...cluster.pools.values()].map((pool) => this.poolWire(cluster, pool)) });
  }

  getPool(project: string, location: string, clusterName: string, poolName: string): EmulatorResponse {
    const found = this.pool(project, location, clusterName, poolName);
    return 'status' in found ? found : ok(this.poolWire(found.cluster, found.pool));
  }

  /** Sets the node count of each zone of the pool (GKE sizes regional pools per zone). */
  setSize(
    project: string,
    location: string,
    clusterName: string,
    poolName: string,
    body: Record<string, unknown>,
    stuck: boolean,
  ): EmulatorResponse {
    const found = this.pool(project, location, clusterName, poolName);
    if ('status' in found) return found;
    const count = body.nodeCount ?? 0; // proto3 JSON: an absent int32 is 0
    if (!Number.isInteger(count))
      return invalid(`Invalid value at 'node_count' (TYPE_INT32), ${JSON.stringify(count)}`);
    if ((count as number) < 0 || (count as number) > maxNodesPerZone)
      return invalid(
        `Node count ${count} is out of range: it must be between 0 and ${maxNodesPerZone} per zone.`,
      );
    const busy = this.busy(found.cluster);
    if (busy) return busy;
    const { pool, cluster } = found;
    const op = this.start(
      cluster,
      pool,
      'SET_NODE_POOL_SIZE',
      this.context.duration('gcp.gke.setSize', 120_000),
      stuck,
    );
    pool.targetPerZone = count as number;
    pool.reconciling = op;
    this.effects.add(op.line.doneAt, () => {
      pool.runningPerZone = pool.targetPerZone;
      delete pool.reconciling;
    });
    return ok(this.operationWire(op));
  }

  /** Sets or turns off the autoscaler; once applied, the modelled autoscaler brings the pool within bounds. */
  setAutoscaling(
    project: string,
    location: string,
    clusterName: string,
    poolName: string,
    body: Record<string, unknown>,
    stuck: boolean,
  ): EmulatorResponse {
    const found = this.pool(project, location, clusterName, poolName);
    if ('status' in found) return found;
    const parsed = parseAutoscaling(body.autoscaling);
    if (typeof parsed === 'string') return invalid(parsed);
    const busy = this.busy(found.cluster);
    if (busy) return busy;
    const { pool, cluster } = found;
    const op = this.start(
      cluster,
      pool,
      'UPDATE_CLUSTER',
      this.context.duration('gcp.gke.setAutoscaling', 30_000),
      stuck,
    );
    pool.reconciling = op;
    this.effects.add(op.line.doneAt, () => {
      pool.autoscaling = parsed.enabled ? parsed : undefined;
      const [min, max] = perZoneBounds(parsed, pool.locations.length);
      pool.targetPerZone = Math.min(max, Math.max(min, pool.targetPerZone));
      pool.runningPerZone = pool.targetPerZone;
      delete pool.reconciling;
    });
    return ok(this.operationWire(op));
  }

  getOperation(project: string, location: string, name: string): EmulatorResponse {
    const op = this.operations.get(name);
    if (!op || op.project !== project || op.location !== location)
      return notFound(`Not found: projects/${project}/locations/${location}/operations/${name}.`);
    return ok(this.operationWire(op));
  }

  listOperations(project: string, location: string): Record<string, unknown>[] {
    return [...this.operations.values()]
      .filter((op) => op.project === project && (location === '-' || op.location === location))
      .map((op) => this.operationWire(op));
  }

  /** The Compute Engine instance group manager behind one zone of a pool. */
  instanceGroup(project: string, zone: string, name: string): InstanceGroupView | undefined {
    for (const cluster of this.clusters) {
      if (cluster.project !== project) continue;
      for (const pool of cluster.pools.values()) {
        if (pool.locations.includes(zone) && igmName(cluster, pool) === name) {
          return { project, zone, name, targetSize: pool.targetPerZone, running: pool.runningPerZone };
        }
      }
    }
    return undefined;
  }

  private seedPool(seed: GkeNodePoolSeed, zones: string[]): GkePool {
    const suffix = Array.from({ length: 8 }, () => Math.floor(this.context.random() * 16).toString(16)).join(
      '',
    );
    return {
      name: seed.name,
      locations: seed.locations ?? zones,
      version: seed.version ?? '1.30.5-gke.1014001',
      machineType: seed.machineType ?? 'e2-standard-4',
      initialNodeCount: seed.nodeCountPerZone,
      targetPerZone: seed.nodeCountPerZone,
      runningPerZone: seed.nodeCountPerZone,
      ...(seed.autoscaling?.enabled && { autoscaling: { ...seed.autoscaling } }),
      igmSuffix: suffix,
    };
  }

  private cluster(project: string, location: string, name: string): GkeCluster | undefined {
    return this.clusters.find((c) => c.project === project && c.location === location && c.name === name);
  }

  private pool(project: string, location: string, clusterName: string, poolName: string) {
    const cluster = this.cluster(project, location, clusterName);
    if (!cluster) return clusterMissing(project, location, clusterName);
    const pool = cluster.pools.get(poolName);
    if (!pool)
      return notFound(
        `Not found: projects/${project}/locations/${location}/clusters/${clusterName}/nodePools/${poolName}.`,
      );
    return { cluster, pool };
  }

  /** GKE runs one operation at a time per cluster. */
  private busy(cluster: GkeCluster): EmulatorResponse | undefined {
    const now = this.context.clock.now();
    for (const op of this.operations.values()) {
      if (op.project === cluster.project && op.cluster === cluster.name && op.location === cluster.location) {
        if (phaseAt(op.line, now) !== 'DONE') {
          return googleError(
            400,
            `Cluster is running incompatible operation ${op.name}. Please wait and try again.`,
            { reason: 'failedPrecondition', status: 'FAILED_PRECONDITION' },
          );
        }
      }
    }
    return undefined;
  }

  private start(
    cluster: GkeCluster,
    pool: GkePool,
    type: string,
    durationMs: number,
    stuck: boolean,
  ): GkeOperation {
    const now = this.context.clock.now();
    const hex = Array.from({ length: 8 }, () => Math.floor(this.context.random() * 16).toString(16)).join('');
    const op: GkeOperation = {
      name: `operation-${now}-${hex}`,
      project: cluster.project,
      location: cluster.location,
      cluster: cluster.name,
      pool: pool.name,
      type,
      // GKE answers PENDING first, then RUNNING, then DONE.
      line: timeline(now, durationMs, stuck),
    };
    this.operations.set(op.name, op);
    return op;
  }

  private operationWire(op: GkeOperation): Record<string, unknown> {
    const cluster = this.clusters.find(
      (c) => c.project === op.project && c.name === op.cluster && c.location === op.location,
    );
    const number = cluster?.projectNumber ?? op.project;
    const phase = phaseAt(op.line, this.context.clock.now());
    const base = `https://container.googleapis.com/v1/projects/${number}/zones/${op.location}`;
    return {
      name: op.name,
      zone: op.location,
      operationType: op.type,
      status: phase,
      selfLink: `${base}/operations/${op.name}`,
      targetLink: `${base}/clusters/${op.cluster}/nodePools/${op.pool}`,
      startTime: iso(op.line.startedAt),
      ...(phase === 'DONE' && { endTime: iso(op.line.doneAt!) }),
    };
  }

  private clusterWire(cluster: GkeCluster, host?: string): Record<string, unknown> {
    const pools = [...cluster.pools.values()];
    return {
      // GKE answers a bare IP (clients prepend https://); the emulator's API server is a path on
      // plain http, so its endpoint carries the scheme and path, which clients keep as given.
      endpoint: `http://${host ?? '127.0.0.1'}/kubernetes/${cluster.apiServer}`,
      masterAuth: { clusterCaCertificate: gkeEmulatorCaData },
      name: cluster.name,
      location: cluster.location,
      zone: cluster.location,
      locations: cluster.zones,
      status: pools.some((pool) => pool.reconciling) ? 'RECONCILING' : 'RUNNING',
      currentNodeCount: pools.reduce((sum, pool) => sum + pool.runningPerZone * pool.locations.length, 0),
      createTime: iso(cluster.createdAt),
      nodePools: pools.map((pool) => this.poolWire(cluster, pool)),
      selfLink: `https://container.googleapis.com/v1/projects/${cluster.project}/locations/${cluster.location}/clusters/${cluster.name}`,
    };
  }

  private poolWire(cluster: GkeCluster, pool: GkePool): Record<string, unknown> {
    return {
      name: pool.name,
      config: { machineType: pool.machineType, diskSizeGb: 100 },
      initialNodeCount: pool.initialNodeCount,
      ...(pool.autoscaling && { autoscaling: pool.autoscaling }),
      management: { autoUpgrade: true, autoRepair: true },
      locations: pool.locations,
      status: pool.reconciling ? 'RECONCILING' : 'RUNNING',
      version: pool.version,
      instanceGroupUrls: pool.locations.map(
        (zone) =>
          `https://www.googleapis.com/compute/v1/projects/${cluster.project}/zones/${zone}/instanceGroupManagers/${igmName(cluster, pool)}`,
      ),
      selfLink: `https://container.googleapis.com/v1/projects/${cluster.project}/locations/${cluster.location}/clusters/${cluster.name}/nodePools/${pool.name}`,
    };
  }
}

function parseAutoscaling(value: unknown): Autoscaling | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return "The 'autoscaling' field is required.";
  const raw = value as Record<string, unknown>;
  const numbers = ['minNodeCount', 'maxNodeCount', 'totalMinNodeCount', 'totalMaxNodeCount'] as const;
  for (const field of numbers) {
    const n = raw[field];
    if (n !== undefined && (!Number.isInteger(n) || (n as number) < 0))
      return `Invalid value at 'autoscaling.${field}' (TYPE_INT32), ${JSON.stringify(n)}`;
  }
  if (raw.enabled !== undefined && typeof raw.enabled !== 'boolean')
    return `Invalid value at 'autoscaling.enabled' (TYPE_BOOL), ${JSON.stringify(raw.enabled)}`;
  if (raw.enabled !== true) return { enabled: false };
  const policy = raw.locationPolicy;
  if (
    policy !== undefined &&
    policy !== 'BALANCED' &&
    policy !== 'ANY' &&
    policy !== 'LOCATION_POLICY_UNSPECIFIED'
  )
    return `Invalid value at 'autoscaling.location_policy', ${JSON.stringify(policy)}`;
  const perZone = raw.minNodeCount !== undefined || raw.maxNodeCount !== undefined;
  const total = raw.totalMinNodeCount !== undefined || raw.totalMaxNodeCount !== undefined;
  if (perZone && total) return 'Per-zone and total node count limits cannot be used together.';
  const min = (total ? raw.totalMinNodeCount : raw.minNodeCount) as number | undefined;
  const max = (total ? raw.totalMaxNodeCount : raw.maxNodeCount) as number | undefined;
  if (!max) return 'The maximum node count of an enabled autoscaler must be greater than zero.';
  if ((min ?? 0) > max) return `The minimum node count (${min}) must not exceed the maximum (${max}).`;
  if (!total && max > maxNodesPerZone) return `maxNodeCount must be at most ${maxNodesPerZone} per zone.`;
  return {
    enabled: true,
    ...(total
      ? { totalMinNodeCount: min ?? 0, totalMaxNodeCount: max }
      : { minNodeCount: min ?? 0, maxNodeCount: max }),
    locationPolicy: (policy as string | undefined) ?? 'BALANCED',
  };
}

/** The per-zone range an autoscaler keeps each zone in (total limits spread evenly). */
function perZoneBounds(autoscaling: Autoscaling, zones: number): [number, number] {
  if (!autoscaling.enabled) return [0, maxNodesPerZone];
  if (autoscaling.totalMaxNodeCount !== undefined)
    return [
      Math.ceil((autoscaling.totalMinNodeCount ?? 0) / zones),
      Math.floor(autoscaling.totalMaxNodeCount / zones),
    ];
  return [autoscaling.minNodeCount ?? 0, autoscaling.maxNodeCount ?? maxNodesPerZone];
}

const igmName = (cluster: GkeCluster, pool: GkePool) =>
  `gke-${cluster.name}-${pool.name}-${pool.igmSuffix}-grp`;

function projectNumberOf(id: string): string {
  let hash = 7;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) % 900_000_000_000;
  return String(100_000_000_000 + hash);
}

const ok = (body: unknown): EmulatorResponse => ({ status: 200, body });

const clusterMissing = (project: string, location: string, name: string) =>
  notFound(`Not found: projects/${project}/locations/${location}/clusters/${name}.`);
