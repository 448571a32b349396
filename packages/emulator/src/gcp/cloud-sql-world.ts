import type { EmulatorResponse, ServiceContext } from '../server/emulator-types.js';
import { googleError, invalid } from './gcp-error.js';
import { iso } from './gcp-request.js';
import type { GcpSeed } from './gcp-seed.js';
import { DueEffects, phaseAt, type Timeline, timeline } from './gcp-timeline.js';

interface SqlInstance {
  project: string;
  name: string;
  region: string;
  gceZone: string;
  secondaryGceZone: string;
  /** The seed named the standby zone; otherwise Google chose it and GETs leave it out. */
  secondaryZoneNamed: boolean;
  /** GETs of this instance and its replicas leave `replicationCluster` out. */
  omitReplicationCluster: boolean;
  /** `masterInstanceName` as `project:name` (after a role swap) rather than bare (a fresh replica). */
  masterQualified: boolean;
  databaseVersion: string;
  edition: string;
  availabilityType: 'ZONAL' | 'REGIONAL';
  settingsVersion: number;
  tier: string;
  state: string;
  master?: string;
  failoverDrReplicaName?: string;
  lagSeconds: number;
  createdAt: number;
}

interface SqlOperation {
  name: string;
  project: string;
  type: string;
  target: string;
  line: Timeline;
  /** Instances no other operation may touch until this one is done. */
  locks: string[];
  error?: { code: string; message: string };
}

export type SqlApiRoot = '/v1' | '/sql/v1beta4';

/**
 * The Cloud SQL instances of every project and the operations on them. Each
 * mutating call returns an Operation at once; its effect lands when the
 * operation is DONE on the emulator clock (PENDING, then RUNNING before that).
 */
export class CloudSqlWorld {
  private readonly instances = new Map<string, SqlInstance>();
  private readonly operations = new Map<string, SqlOperation>();
  private readonly effects: DueEffects;

  constructor(
    private readonly context: ServiceContext,
    seed: GcpSeed,
  ) {
    this.effects = new DueEffects(context.clock);
    const now = context.clock.now();
    for (const project of seed.projects ?? []) {
      for (const instance of project.sqlInstances ?? []) {
        const replica = instance.masterInstanceName !== undefined;
        this.instances.set(key(project.id, instance.name), {
          project: project.id,
          name: instance.name,
          region: instance.region,
          gceZone: instance.gceZone ?? `${instance.region}-a`,
          secondaryGceZone: instance.secondaryGceZone ?? `${instance.region}-b`,
          secondaryZoneNamed: instance.secondaryGceZone !== undefined,
          omitReplicationCluster: instance.omitReplicationCluster ?? false,
          masterQualified: false,
          databaseVersion: instance.databaseVersion ?? 'POSTGRES_15',
          edition: instance.edition ?? 'ENTERPRISE_PLUS',
          availabilityType: instance.availabilityType ?? (replica ? 'ZONAL' : 'REGIONAL'),
          settingsVersion: instance.settingsVersion ?? 1,
          tier: 'db-perf-optimized-N-2',
          state: instance.state ?? 'RUNNABLE',
          lagSeconds: instance.replicationLagSeconds ?? 0,
          createdAt: now,
          ...(instance.masterInstanceName !== undefined && {
            master: instance.masterInstanceName.replace(/^.*:/, ''),
          }),
          ...(instance.failoverDrReplicaName !== undefined && {
            failoverDrReplicaName: instance.failoverDrReplicaName.replace(/^.*:/, ''),
          }),
        });
      }
    }
  }

  /** Applies every operation effect due by now. Call before reading or changing state. */
  settle(): void {
    this.effects.settle();
  }

  /** The region of an instance (where a blackout takes requests about it down); undefined when unknown. */
  regionOf(project: string, name: string): string | undefined {
    return this.instances.get(key(project, name))?.region;
  }

  /** The region of an operation: that of the instance it acts on. */
  operationRegion(project: string, name: string): string | undefined {
    const op = this.operations.get(name);
    return op && op.project === project ? this.regionOf(project, op.target) : undefined;
  }

  get(project: string, name: string, root: SqlApiRoot): EmulatorResponse {
    const instance = this.instances.get(key(project, name));
    return instance ? ok(this.toWire(instance, root)) : instanceMissing();
  }

  list(project: string, root: SqlApiRoot): Record<string, unknown>[] {
    return [...this.instances.values()]
      .filter((instance) => instance.project === project)
      .map((instance) => this.toWire(instance, root));
  }

  /** HA failover of a REGIONAL primary to its standby zone; needs the current settings version. */
  failover(project: string, name: string, body: Record<string, unknown>, stuck: boolean, root: SqlApiRoot) {
    const instance = this.instances.get(key(project, name));
    if (!instance) return instanceMissing();
    const context = body.failoverContext as Record<string, unknown> | undefined;
    const version = context?.settingsVersion;
    if (typeof context !== 'object' || context === null || version === undefined || version === null)
      return invalid(
        "The 'failoverContext.settingsVersion' parameter is required but was missing.",
        'required',
      );
    if (!/^\d+$/.test(String(version)))
      return invalid(`Invalid value for 'failoverContext.settingsVersion': ${JSON.stringify(version)}.`);
    if (instance.master)
      return invalid('The requested operation is not valid for a read replica instance.', 'invalidOperation');
    if (instance.availabilityType !== 'REGIONAL')
      return invalid(
        'The instance is not configured for high availability (availabilityType REGIONAL).',
        'invalidOperation',
      );
    if (Number(version) !== instance.settingsVersion) {
      return googleError(
        412,
        `Precondition check failed: the settings version in the request (${version}) does not match the instance's (${instance.settingsVersion}).`,
        { reason: 'conditionNotMet' },
      );
    }
    const blocked = this.blocked([instance]);
    if (blocked) return blocked;
    const op = this.start(
      project,
      'FAILOVER',
      name,
      [name],
      this.context.duration('gcp.sql.failover', 60_000),
      stuck,
    );
    this.effects.add(op.line.doneAt, () => {
      [instance.gceZone, instance.secondaryGceZone] = [instance.secondaryGceZone, instance.gceZone];
    });
    return ok(this.operationWire(op, root));
  }

  /** Promotes a replica; with `failover` (the DR replica only) the old primary becomes its replica. */
  promoteReplica(project: string, name: string, failover: boolean, stuck: boolean, root: SqlApiRoot) {
    const replica = this.instances.get(key(project, name));
    if (!replica) return instanceMissing();
    if (!replica.master) return invalid('The instance is not a read replica.', 'invalidOperation');
    const primary = this.instances.get(key(project, replica.master));
    if (failover && primary?.failoverDrReplicaName !== name)
      return invalid(
        "A replica failover (failover=true) needs the primary's designated DR replica (replicationCluster.failoverDrReplicaName).",
        'invalidOperation',
      );
    if (replica.state !== 'RUNNABLE') return invalidState();
    const blocked = this.blocked([replica]);
    if (blocked) return blocked;
    const locks = [name, ...(primary ? [primary.name] : [])];
    const op = this.start(
      project,
      'PROMOTE_REPLICA',
      name,
      locks,
      this.context.duration('gcp.sql.promoteReplica', 120_000),
      stuck,
    );
    this.effects.add(op.line.doneAt, () => {
      if (failover && primary) return this.swapRoles(replica, primary);
      if (primary?.failoverDrReplicaName === replica.name) delete primary.failoverDrReplicaName;
      delete replica.master;
      replica.lagSeconds = 0;
    });
    return ok(this.operationWire(op, root));
  }

  /**
   * instances.insert: a new instance, `PENDING_CREATE` until its operation is DONE, then
   * RUNNABLE. With `masterInstanceName` (bare or `project:name`) it is a read replica of that
   * primary (`CREATE_REPLICA`), in `region` (default: the primary's). A name in use is a 409.
   */
  insert(project: string, body: Record<string, unknown>, stuck: boolean, root: SqlApiRoot) {
    const name = body.name;
    if (typeof name !== 'string' || !/^[a-z][a-z0-9-]{0,97}$/.test(name))
      return invalid(
        typeof name === 'string'
          ? `Invalid value for 'name': '${name}'.`
          : "The 'name' field is required but was missing.",
        typeof name === 'string' ? 'invalid' : 'required',
      );
    if (this.instances.has(key(project, name)))
      return googleError(409, 'The Cloud SQL instance already exists.', { reason: 'instanceAlreadyExists' });
    const masterName = body.masterInstanceName;
    if (masterName !== undefined && typeof masterName !== 'string')
      return invalid("Invalid value for 'masterInstanceName'.");
    const qualified = typeof masterName === 'string' ? /^(?:([^:]+):)?([^:]+)$/.exec(masterName) : null;
    if (
      typeof masterName === 'string' &&
      (!qualified || (qualified[1] !== undefined && qualified[1] !== project))
    )
      return invalid(`Invalid value for 'masterInstanceName': '${masterName}'.`);
    const master = qualified ? this.instances.get(key(project, qualified[2]!)) : undefined;
    if (qualified && !master) return instanceMissing();
    if (master && master.state !== 'RUNNABLE') return invalidState();
    const region = body.region ?? master?.region;
    if (typeof region !== 'string' || !/^[a-z]+-[a-z]+\d+$/.test(region))
      return invalid(
        region === undefined
          ? "The 'region' field is required but was missing."
          : `Invalid value for 'region': ${JSON.stringify(region)}.`,
      );
    const settings = (body.settings ?? {}) as Record<string, unknown>;
    if (typeof settings !== 'object' || settings === null) return invalid("Invalid value for 'settings'.");
    const tier = settings.tier ?? master?.tier;
    if (typeof tier !== 'string' || tier === '')
      return invalid("The 'settings.tier' field is required but was missing.", 'required');
    const databaseVersion = body.databaseVersion ?? master?.databaseVersion;
    if (typeof databaseVersion !== 'string')
      return invalid("The 'databaseVersion' field is required but was missing.", 'required');
    if (master && databaseVersion !== master.databaseVersion)
      return invalid(
        `A replica must run the primary's database version (${master.databaseVersion}), not ${databaseVersion}.`,
        'invalidOperation',
      );
    if (master) {
      const blocked = this.blocked([master]);
      if (blocked) return blocked;
    }
    const instance: SqlInstance = {
      project,
      name,
      region,
      gceZone: `${region}-a`,
      secondaryGceZone: `${region}-b`,
      secondaryZoneNamed: false,
      omitReplicationCluster: master?.omitReplicationCluster ?? false,
      masterQualified: false,
      databaseVersion,
      edition: (typeof settings.edition === 'string' && settings.edition) || master?.edition || 'ENTERPRISE',
      availabilityType: settings.availabilityType === 'REGIONAL' ? 'REGIONAL' : 'ZONAL',
      settingsVersion: 1,
      tier,
      state: 'PENDING_CREATE',
      lagSeconds: 0,
      createdAt: this.context.clock.now(),
      ...(master && { master: master.name }),
    };
    this.instances.set(key(project, name), instance);
    const op = this.start(
      project,
      master ? 'CREATE_REPLICA' : 'CREATE',
      name,
      [name],
      this.context.duration(master ? 'gcp.sql.createReplica' : 'gcp.sql.create', 10 * 60_000),
      stuck,
    );
    this.effects.add(op.line.doneAt, () => {
      instance.state = 'RUNNABLE';
    });
    return ok(this.operationWire(op, root));
  }

  /** Planned role swap with the primary's DR replica; fails if the replica cannot catch up in `dbTimeout`. */
  switchover(project: string, name: string, dbTimeout: string | null, stuck: boolean, root: SqlApiRoot) {
    const replica = this.instances.get(key(project, name));
    if (!replica) return instanceMissing();
    let timeoutSeconds = 600;
    if (dbTimeout !== null) {
      const parsed = /^(\d+(?:\.\d+)?)s$/.exec(dbTimeout);
      if (!parsed)
        return invalid(`Invalid value for 'dbTimeout': '${dbTimeout}'. Use a duration such as '600s'.`);
      timeoutSeconds = Number(parsed[1]);
    }
    if (!replica.master)
      return invalid(
        'Switchover is called on the DR replica; this instance is a primary.',
        'invalidOperation',
      );
    const primary = this.instances.get(key(project, replica.master));
    if (!primary || primary.failoverDrReplicaName !== name)
      return invalid("The instance is not the primary's designated DR replica.", 'invalidOperation');
    if (replica.state !== 'RUNNABLE' || primary.state !== 'RUNNABLE') return invalidState();
    const blocked = this.blocked([replica, primary]);
    if (blocked) return blocked;
    const base = this.context.duration('gcp.sql.switchover', 180_000);
    const catchUpFails = replica.lagSeconds > timeoutSeconds;
    const duration = catchUpFails ? timeoutSeconds * 1000 : base + replica.lagSeconds * 1000;
    const op = this.start(project, 'SWITCHOVER', name, [name, primary.name], duration, stuck);
    if (catchUpFails) {
      op.error = {
        code: 'SWITCHOVER_TIMEOUT',
        message: `The DR replica did not catch up with the primary within dbTimeout (${timeoutSeconds}s); nothing was changed.`,
      };
    } else {
      this.effects.add(op.line.doneAt, () => this.swapRoles(replica, primary));
    }
    return ok(this.operationWire(op, root));
  }

  /** A partial update; bumps the settings version. A stale `settings.settingsVersion` is a 412. */
  patch(project: string, name: string, body: Record<string, unknown>, stuck: boolean, root: SqlApiRoot) {
    const instance = this.instances.get(key(project, name));
    if (!instance) return instanceMissing();
    const settings = (body.settings ?? {}) as Record<string, unknown>;
    if (typeof settings !== 'object' || settings === null) return invalid("Invalid value for 'settings'.");
    if (
      settings.settingsVersion !== undefined &&
      Number(settings.settingsVersion) !== instance.settingsVersion
    )
      return googleError(
        412,
        `Unable to update metadata, version mismatch (old: ${instance.settingsVersion}, new: ${String(settings.settingsVersion)}).`,
        { reason: 'conditionNotMet' },
      );
    if (
      settings.availabilityType !== undefined &&
      settings.availabilityType !== 'ZONAL' &&
      settings.availabilityType !== 'REGIONAL'
    )
      return invalid(
        `Invalid value for 'settings.availabilityType': ${JSON.stringify(settings.availabilityType)}.`,
      );
    if (settings.tier !== undefined && (typeof settings.tier !== 'string' || settings.tier === ''))
      return invalid("Invalid value for 'settings.tier'.");
    const cluster = body.replicationCluster as Record<string, unknown> | undefined;
    // Accepted as project:instance or instance; stored bare.
    const dr =
      typeof cluster?.failoverDrReplicaName === 'string'
        ? cluster.failoverDrReplicaName.replace(/^.*:/, '')
        : cluster?.failoverDrReplicaName;
    if (dr !== undefined) {
      const candidate = typeof dr === 'string' ? this.instances.get(key(project, dr)) : undefined;
      if (!candidate || candidate.master !== name)
        return invalid(
          "Invalid value for 'replicationCluster.failoverDrReplicaName': it must name a replica of this instance.",
        );
    }
    const blocked = this.blocked([instance]);
    if (blocked) return blocked;
    if (typeof settings.tier === 'string') instance.tier = settings.tier;
    if (settings.availabilityType !== undefined)
      instance.availabilityType = settings.availabilityType as 'ZONAL' | 'REGIONAL';
    if (typeof dr === 'string') instance.failoverDrReplicaName = dr;
    instance.settingsVersion += 1;
    const op = this.start(
      project,
      'UPDATE',
      name,
      [name],
      this.context.duration('gcp.sql.update', 10_000),
      stuck,
    );
    return ok(this.operationWire(op, root));
  }

  getOperation(project: string, name: string, root: SqlApiRoot): EmulatorResponse {
    const op = this.operations.get(name);
    if (!op || op.project !== project)
      return googleError(404, `The Cloud SQL operation ${name} does not exist.`, {
        reason: 'operationDoesNotExist',
      });
    return ok(this.operationWire(op, root));
  }

  listOperations(project: string, instance: string | null, root: SqlApiRoot): Record<string, unknown>[] {
    return [...this.operations.values()]
      .filter((op) => op.project === project && (instance === null || op.target === instance))
      .reverse()
      .map((op) => this.operationWire(op, root));
  }

  /** The new primary takes the old one's replicas and the DR designation points back at the old primary. */
  private swapRoles(replica: SqlInstance, primary: SqlInstance): void {
    for (const other of this.instances.values()) {
      if (other.project === primary.project && other.master === primary.name && other !== replica) {
        other.master = replica.name;
        other.masterQualified = true;
      }
    }
    delete replica.master;
    primary.master = replica.name;
    primary.masterQualified = true;
    delete primary.failoverDrReplicaName;
    replica.failoverDrReplicaName = primary.name;
    primary.lagSeconds = 0;
    replica.lagSeconds = 0;
  }

  private blocked(instances: SqlInstance[]): EmulatorResponse | undefined {
    const now = this.context.clock.now();
    for (const op of this.operations.values()) {
      if (phaseAt(op.line, now) === 'DONE') continue;
      if (instances.some((instance) => instance.project === op.project && op.locks.includes(instance.name))) {
        return googleError(
          409,
          'Operation failed because another operation was already in progress. Try your request after the current operation is complete.',
          { reason: 'operationInProgress' },
        );
      }
    }
    return undefined;
  }

  private start(
    project: string,
    type: string,
    target: string,
    locks: string[],
    durationMs: number,
    stuck: boolean,
  ) {
    const op: SqlOperation = {
      name: this.operationId(),
      project,
      type,
      target,
      locks,
      line: timeline(this.context.clock.now(), durationMs, stuck),
    };
    this.operations.set(op.name, op);
    return op;
  }

  private operationId(): string {
    const hex = (n: number) =>
      Array.from({ length: n }, () => Math.floor(this.context.random() * 16).toString(16)).join('');
    return `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
  }

  private operationWire(op: SqlOperation, root: SqlApiRoot): Record<string, unknown> {
    const phase = phaseAt(op.line, this.context.clock.now());
    const base = `https://sqladmin.googleapis.com${root}/projects/${op.project}`;
    return {
      kind: 'sql#operation',
      name: op.name,
      operationType: op.type,
      status: phase,
      targetId: op.target,
      targetProject: op.project,
      targetLink: `${base}/instances/${op.target}`,
      selfLink: `${base}/operations/${op.name}`,
      user: 'failover-emulator@example.iam.gserviceaccount.com',
      insertTime: iso(op.line.startedAt),
      ...(phase !== 'PENDING' && { startTime: iso(op.line.runningAt) }),
      ...(phase === 'DONE' && { endTime: iso(op.line.doneAt!) }),
      ...(phase === 'DONE' &&
        op.error && {
          error: {
            kind: 'sql#operationErrors',
            errors: [{ kind: 'sql#operationError', code: op.error.code, message: op.error.message }],
          },
        }),
    };
  }

  private toWire(instance: SqlInstance, root: SqlApiRoot): Record<string, unknown> {
    const replicas = [...this.instances.values()]
      .filter((other) => other.project === instance.project && other.master === instance.name)
      .map((other) => other.name);
    const master = instance.master ? this.instances.get(key(instance.project, instance.master)) : undefined;
    const isDrReplica = master?.failoverDrReplicaName === instance.name;
    const regional = instance.availabilityType === 'REGIONAL';
    // The pair's GETs can leave replicationCluster out (the replica still shows in replicaNames).
    const omitCluster = instance.omitReplicationCluster || master?.omitReplicationCluster === true;
    return {
      kind: 'sql#instance',
      name: instance.name,
      project: instance.project,
      region: instance.region,
      gceZone: instance.gceZone,
      // A standby zone Google chose is not named.
      ...(regional && instance.secondaryZoneNamed && { secondaryGceZone: instance.secondaryGceZone }),
      databaseVersion: instance.databaseVersion,
      state: instance.state,
      backendType: 'SECOND_GEN',
      instanceType: instance.master ? 'READ_REPLICA_INSTANCE' : 'CLOUD_SQL_INSTANCE',
      ...(instance.master && {
        // Bare on a freshly created replica, project-qualified after a switchover or failover.
        masterInstanceName: instance.masterQualified
          ? `${instance.project}:${instance.master}`
          : instance.master,
        replicaConfiguration: {
          kind: 'sql#replicaConfiguration',
          failoverTarget: false,
          cascadableReplica: false,
        },
      }),
      ...(replicas.length > 0 && { replicaNames: replicas }),
      ...(!omitCluster &&
        (instance.failoverDrReplicaName !== undefined || isDrReplica) && {
          replicationCluster: {
            // The service stores the DR replica as project:instance.
            ...(instance.failoverDrReplicaName !== undefined && {
              failoverDrReplicaName: `${instance.project}:${instance.failoverDrReplicaName}`,
            }),
            ...(isDrReplica && { drReplica: true }),
          },
        }),
      connectionName: `${instance.project}:${instance.region}:${instance.name}`,
      createTime: iso(instance.createdAt),
      settings: {
        kind: 'sql#settings',
        settingsVersion: String(instance.settingsVersion),
        tier: instance.tier,
        availabilityType: instance.availabilityType,
        edition: instance.edition,
        activationPolicy: 'ALWAYS',
        dataDiskSizeGb: '100',
      },
      selfLink: `https://sqladmin.googleapis.com${root}/projects/${instance.project}/instances/${instance.name}`,
      etag: `${instance.settingsVersion}-${instance.master ?? 'primary'}-${instance.gceZone}`,
    };
  }
}

const key = (project: string, name: string) => `${project}/${name}`;
const ok = (body: unknown): EmulatorResponse => ({ status: 200, body });

const instanceMissing = () =>
  googleError(404, 'The Cloud SQL instance does not exist.', { reason: 'instanceDoesNotExist' });

const invalidState = () =>
  googleError(409, 'The instance or operation is not in an appropriate state to handle the request.', {
    reason: 'invalidState',
  });
