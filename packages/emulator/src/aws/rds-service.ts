import type { EmulatorRequest, EmulatorService, ServiceContext } from '../server/emulator-types.js';
import { queryResponse, requestId, xmlError } from './aws-responses.js';
import { type AwsWorld, authorize, isResponse, xmlAuthCodes } from './aws-world.js';
import { type XmlValue, xmlList } from './aws-xml.js';
import type { AuroraCluster, DbInstance, GlobalCluster, RdsState } from './rds-state.js';

const namespace = 'http://rds.amazonaws.com/doc/2014-10-31/';

class QueryError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const mutatingActions = new Set([
  'SwitchoverGlobalCluster',
  'FailoverGlobalCluster',
  'RemoveFromGlobalCluster',
  'RebootDBInstance',
  'PromoteReadReplica',
  'CreateDBInstanceReadReplica',
]);

/**
 * RDS over the Query protocol (form-encoded `Action=…`, XML answers and XML
 * errors) at `/aws/rds`: Aurora global clusters (describe, switchover,
 * failover with or without data loss, detach) and RDS instances (describe,
 * reboot with forced Multi-AZ failover, read-replica promotion and creation). The state is
 * shared with CloudWatch, which serves the secondaries' replication lag.
 */
export function createRdsService(context: ServiceContext, world: AwsWorld, state: RdsState): EmulatorService {
  const id = () => requestId(context.random);
  const error = (status: number, code: string, message: string) =>
    xmlError(status, code, message, { namespace, id: id() });

  const service: EmulatorService = {
    id: 'aws.rds',
    cloud: 'aws',
    mount: '/aws/rds',
    route(request) {
      const auth = authorize(request, world, 'rds', xmlAuthCodes, error);
      if (isResponse(auth)) return auth;
      if (request.path !== '/' || (request.method !== 'POST' && request.method !== 'GET')) {
        return error(
          404,
          'UnknownOperationException',
          `No RDS operation matches ${request.method} ${request.path}.`,
        );
      }
      let params: URLSearchParams;
      try {
        params = readParams(request);
      } catch {
        return error(400, 'MalformedQueryString', 'The query string is not well formed.');
      }
      const action = params.get('Action');
      if (!action) return error(400, 'MissingAction', 'The request must contain the parameter Action.');
      const handler = handlers[action];
      if (!handler)
        return error(400, 'InvalidAction', `Could not find operation ${action} for version 2014-10-31`);
      const { region } = auth;
      return {
        operation: action,
        mutating: mutatingActions.has(action),
        region,
        handle: ({ stuck }) => {
          const now = context.clock.now();
          state.settle(now);
          try {
            return queryResponse(action, namespace, handler({ params, region, now, stuck }), id());
          } catch (thrown) {
            if (thrown instanceof QueryError) return error(thrown.status, thrown.code, thrown.message);
            throw thrown;
          }
        },
      };
    },
    errorResponse(kind, detail) {
      if (kind === 'throttled') return error(400, 'Throttling', detail.message);
      if (kind === 'server-error') return error(500, 'InternalFailure', detail.message);
      return error(400, 'InvalidParameterValue', detail.message);
    },
  };

  interface Call {
    params: URLSearchParams;
    region: string;
    now: number;
    stuck: boolean;
  }

  const handlers: Record<string, (call: Call) => { readonly [key: string]: XmlValue }> = {
    DescribeGlobalClusters({ params }) {
      rejectFilters(params);
      const identifier = params.get('GlobalClusterIdentifier');
      let globals = [...state.globalClusters.values()];
      if (identifier !== null) {
        const found = state.globalClusters.get(identifier);
        if (!found)
          throw new QueryError(404, 'GlobalClusterNotFoundFault', `Global cluster ${identifier} not found.`);
        globals = [found];
      }
      const { page, marker } = paginate(globals, params);
      return { Marker: marker, GlobalClusters: xmlList('GlobalClusterMember', page.map(renderGlobal)) };
    },

    DescribeDBClusters({ params, region }) {
      rejectFilters(params);
      const identifier = params.get('DBClusterIdentifier');
      let clusters = [...state.clusters.values()].filter((cluster) => cluster.region === region);
      if (identifier !== null) {
        const found = state.findCluster(identifier, region);
        if (!found || found.region !== region)
          throw new QueryError(404, 'DBClusterNotFoundFault', `DBCluster ${identifier} not found.`);
        clusters = [found];
      }
      const { page, marker } = paginate(clusters, params);
      return { Marker: marker, DBClusters: xmlList('DBCluster', page.map(renderCluster)) };
    },

    DescribeDBInstances({ params, region }) {
      rejectFilters(params);
      const identifier = params.get('DBInstanceIdentifier');
      let instances = [...state.instances.values()].filter((instance) => instance.region === region);
      if (identifier !== null) {
        const found = state.findInstance(identifier, region);
        if (!found || found.region !== region)
          throw new QueryError(404, 'DBInstanceNotFound', `DBInstance ${identifier} not found.`);
        instances = [found];
      }
      const { page, marker } = paginate(instances, params);
      return { Marker: marker, DBInstances: xmlList('DBInstance', page.map(renderInstance)) };
    },

    SwitchoverGlobalCluster(call) {
      return { GlobalCluster: renderGlobal(startGlobalOperation(call, 'switchover')) };
    },

    FailoverGlobalCluster(call) {
      const allowDataLoss = readBool(call.params, 'AllowDataLoss');
      const switchover = readBool(call.params, 'Switchover');
      if (allowDataLoss !== undefined && switchover !== undefined) {
        throw new QueryError(
          400,
          'InvalidParameterCombination',
          'AllowDataLoss and Switchover cannot be specified together.',
        );
      }
      // Without AllowDataLoss, FailoverGlobalCluster is a switchover (no data loss).
      const kind = allowDataLoss ? 'failover' : 'switchover';
      return { GlobalCluster: renderGlobal(startGlobalOperation(call, kind)) };
    },

    RemoveFromGlobalCluster({ params, region, now, stuck }) {
      const global = requireGlobal(params);
      const identifier = required(params, 'DbClusterIdentifier');
      const cluster = state.findCluster(identifier, region);
      const member = cluster && global.members.find((candidate) => candidate.clusterArn === cluster.arn);
      if (!cluster || !member) {
        throw new QueryError(
          400,
          'InvalidParameterValue',
          `The DB cluster ${identifier} is not a member of global cluster ${global.id}.`,
        );
      }
      if (global.operation) throw busyGlobal(global);
      if (member.isWriter && global.members.length > 1) {
        throw new QueryError(
          400,
          'InvalidGlobalClusterStateFault',
          `The primary cluster ${cluster.arn} can't be removed while global cluster ${global.id} has secondary clusters.`,
        );
      }
      global.members = global.members.filter((candidate) => candidate !== member);
      cluster.globalClusterId = undefined;
      state.stopReplication(cluster.arn, now);
      if (!member.isWriter) {
        cluster.status = 'promoting';
        cluster.detach = {
          endsAt: stuck ? Number.POSITIVE_INFINITY : now + context.duration('aurora.detach', 30_000),
        };
      }
      return { GlobalCluster: renderGlobal(global) };
    },

    RebootDBInstance({ params, region, now, stuck }) {
      const instance = requireInstance(params, region);
      const failover = readBool(params, 'ForceFailover') ?? false;
      if (instance.status !== 'available') {
        throw new QueryError(
          400,
          'InvalidDBInstanceState',
          `Instance ${instance.id} is not in available state.`,
        );
      }
      if (failover && !instance.multiAz) {
        throw new QueryError(
          400,
          'InvalidParameterCombination',
          `Cannot force a failover on DB instance ${instance.id} because it is not a Multi-AZ instance.`,
        );
      }
      const duration = failover
        ? context.duration('rds.failover', 90_000)
        : context.duration('rds.reboot', 60_000);
      instance.status = 'rebooting';
      instance.pending = {
        kind: 'reboot',
        failover,
        endsAt: stuck ? Number.POSITIVE_INFINITY : now + duration,
      };
      return { DBInstance: renderInstance(instance) };
    },

    CreateDBInstanceReadReplica: (call) => createReadReplica(call),

    PromoteReadReplica({ params, region, now, stuck }) {
      const instance = requireInstance(params, region);
      const retention = params.get('BackupRetentionPeriod');
      if (retention !== null && !(/^\d+$/.test(retention) && Number(retention) <= 35)) {
        throw new QueryError(
          400,
          'InvalidParameterValue',
          `Invalid value ${retention} for BackupRetentionPeriod. Must be between 0 and 35.`,
        );
      }
      if (!instance.source)
        throw new QueryError(400, 'InvalidDBInstanceState', 'DB Instance is not a read replica.');
      if (instance.status !== 'available') {
        throw new QueryError(
          400,
          'InvalidDBInstanceState',
          `Instance ${instance.id} is not in available state.`,
        );
      }
      instance.status = 'modifying';
      // Promotion cuts the link at once: the replica's ReplicaLag stops being published.
      state.stopReplication(instance.arn, now);
      instance.pending = {
        kind: 'promote',
        failover: false,
        endsAt: stuck ? Number.POSITIVE_INFINITY : now + context.duration('rds.promote', 120_000),
      };
      return { DBInstance: renderInstance(instance) };
    },
  };

  /**
   * CreateDBInstanceReadReplica, sent to the replica's region. A source in another region
   * must be named by its ARN; the replica is `creating`, then `available` and replicating.
   */
  function createReadReplica({ params, region, now, stuck }: Call): { readonly [key: string]: XmlValue } {
    const identifier = required(params, 'DBInstanceIdentifier').toLowerCase();
    const sourceName = required(params, 'SourceDBInstanceIdentifier');
    const arn = sourceName.startsWith('arn:');
    const source = state.findInstance(sourceName, region);
    if (!arn && !source)
      throw new QueryError(404, 'DBInstanceNotFound', `DBInstance ${sourceName} not found.`);
    if (!source || world.unreachableRegions.has(source.region))
      throw new QueryError(404, 'DBInstanceNotFound', `DBInstance ${sourceName} not found.`);
    if (state.findInstance(identifier, region))
      throw new QueryError(400, 'DBInstanceAlreadyExists', 'DB instance already exists');
    if (source.status !== 'available')
      throw new QueryError(
        400,
        'InvalidDBInstanceState',
        `DB instance ${source.id} is not in available state.`,
      );
    const instanceClass = params.get('DBInstanceClass') ?? undefined;
    const availabilityZone = params.get('AvailabilityZone') ?? undefined;
    if (availabilityZone !== undefined && !availabilityZone.startsWith(region))
      throw new QueryError(
        400,
        'InvalidParameterValue',
        `Availability zone ${availabilityZone} is not in region ${region}.`,
      );
    const replica = state.createReplica(source, identifier, region, {
      ...(instanceClass !== undefined && { instanceClass }),
      ...(availabilityZone !== undefined && { availabilityZone }),
      now,
      endsAt: stuck ? Number.POSITIVE_INFINITY : now + context.duration('rds.createReplica', 15 * 60_000),
    });
    return { DBInstance: renderInstance(replica) };
  }

  function startGlobalOperation(
    { params, now, stuck }: Call,
    kind: 'switchover' | 'failover',
  ): GlobalCluster {
    const global = requireGlobal(params);
    const identifier = required(params, 'TargetDbClusterIdentifier');
    if (global.operation) throw busyGlobal(global);
    const target = findMember(global, identifier);
    if (!target) {
      throw new QueryError(
        400,
        'InvalidParameterValue',
        `The DB cluster ${identifier} is not a member of global cluster ${global.id}.`,
      );
    }
    const targetMember = global.members.find((member) => member.clusterArn === target.arn)!;
    const writerMember = global.members.find((member) => member.isWriter);
    const writer = writerMember && state.clusterByArn(writerMember.clusterArn);
    if (targetMember.isWriter) {
      throw new QueryError(
        400,
        'InvalidParameterValue',
        `The DB cluster ${target.arn} is already the primary cluster of global cluster ${global.id}.`,
      );
    }
    if (target.status !== 'available' || world.unreachableRegions.has(target.region)) {
      throw new QueryError(
        400,
        'InvalidDBClusterStateFault',
        `DB cluster ${target.arn} is not in available state.`,
      );
    }
    if (kind === 'switchover') {
      if (!writer || world.unreachableRegions.has(writer.region)) {
        throw new QueryError(
          400,
          'InvalidGlobalClusterStateFault',
          `Global cluster ${global.id} can't switch over: the primary DB cluster is unreachable. Use a failover with AllowDataLoss.`,
        );
      }
      if (writer.status !== 'available' || targetMember.synchronization !== 'connected') {
        throw new QueryError(
          400,
          'InvalidGlobalClusterStateFault',
          `Global cluster ${global.id} members are not all available and in sync.`,
        );
      }
    }
    const duration =
      kind === 'switchover'
        ? context.duration('aurora.switchover', 90_000) + targetMember.lagMs
        : context.duration('aurora.failover', 60_000);
    global.operation = {
      kind,
      fromArn: writer?.arn ?? '',
      toArn: target.arn,
      allowDataLoss: kind === 'failover',
      startedAt: now,
      pendingUntil: now + duration * 0.1,
      endsAt: stuck ? Number.POSITIVE_INFINITY : now + duration,
    };
    target.status = kind === 'failover' ? 'failing-over' : 'modifying';
    if (writer && !world.unreachableRegions.has(writer.region)) writer.status = 'modifying';
    return global;
  }

  function findMember(global: GlobalCluster, identifier: string): AuroraCluster | undefined {
    for (const member of global.members) {
      const cluster = state.clusterByArn(member.clusterArn);
      if (cluster && (cluster.arn === identifier || cluster.id === identifier)) return cluster;
    }
    return undefined;
  }

  function requireGlobal(params: URLSearchParams): GlobalCluster {
    const identifier = required(params, 'GlobalClusterIdentifier');
    const global = state.globalClusters.get(identifier);
    if (!global)
      throw new QueryError(404, 'GlobalClusterNotFoundFault', `Global cluster ${identifier} not found.`);
    return global;
  }

  function requireInstance(params: URLSearchParams, region: string): DbInstance {
    const identifier = required(params, 'DBInstanceIdentifier');
    const instance = state.findInstance(identifier, region);
    if (!instance || instance.region !== region)
      throw new QueryError(404, 'DBInstanceNotFound', `DBInstance ${identifier} not found.`);
    return instance;
  }

  function busyGlobal(global: GlobalCluster): QueryError {
    const status = global.operation?.kind === 'failover' ? 'failing-over' : 'switching-over';
    return new QueryError(
      400,
      'InvalidGlobalClusterStateFault',
      `Global cluster ${global.id} is in ${status} state. Wait for the current operation to finish.`,
    );
  }

  function renderGlobal(global: GlobalCluster): XmlValue {
    const operation = global.operation;
    const now = context.clock.now();
    const phase =
      operation && now < operation.pendingUntil
        ? 'pending'
        : operation?.kind === 'failover'
          ? 'failing-over'
          : 'switching-over';
    return {
      GlobalClusterIdentifier: global.id,
      GlobalClusterResourceId: global.resourceId,
      GlobalClusterArn: global.arn,
      Status: operation ? (operation.kind === 'failover' ? 'failing-over' : 'switching-over') : 'available',
      Engine: global.engine,
      EngineVersion: global.engineVersion,
      StorageEncrypted: true,
      DeletionProtection: false,
      GlobalClusterMembers: xmlList(
        'GlobalClusterMember',
        global.members.map((member) => ({
          DBClusterArn: member.clusterArn,
          Readers: xmlList(
            'member',
            member.isWriter
              ? global.members.filter((other) => other !== member).map((other) => other.clusterArn)
              : [],
          ),
          IsWriter: member.isWriter,
          GlobalWriteForwardingStatus: 'disabled',
          SynchronizationStatus: member.synchronization,
        })),
      ),
      Endpoint: `${global.id}.global-${global.resourceId.slice(8, 18).toLowerCase()}.global.rds.amazonaws.com`,
      FailoverState: operation && {
        Status: phase,
        FromDbClusterArn: operation.fromArn || undefined,
        ToDbClusterArn: operation.toArn,
        IsDataLossAllowed: operation.allowDataLoss,
      },
    };
  }

  function renderCluster(cluster: AuroraCluster): XmlValue {
    const host = cluster.resourceId.slice(8, 20).toLowerCase();
    return {
      AvailabilityZones: xmlList('AvailabilityZone', [
        `${cluster.region}a`,
        `${cluster.region}b`,
        `${cluster.region}c`,
      ]),
      BackupRetentionPeriod: 7,
      DBClusterIdentifier: cluster.id,
      DBClusterParameterGroup: `default.${cluster.engine}15`,
      DBSubnetGroup: 'default',
      Status: cluster.status,
      Endpoint: `${cluster.id}.cluster-${host}.${cluster.region}.rds.amazonaws.com`,
      ReaderEndpoint: `${cluster.id}.cluster-ro-${host}.${cluster.region}.rds.amazonaws.com`,
      MultiAZ: cluster.instances.length > 1,
      Engine: cluster.engine,
      EngineVersion: cluster.engineVersion,
      Port: cluster.engine.includes('mysql') ? 3306 : 5432,
      MasterUsername: 'postgres',
      DBClusterMembers: xmlList(
        'DBClusterMember',
        cluster.instances.map((instance) => ({
          DBInstanceIdentifier: instance,
          IsClusterWriter: cluster.writer === instance,
          DBClusterParameterGroupStatus: 'in-sync',
          PromotionTier: 1,
        })),
      ),
      HostedZoneId: 'Z2R2ITUGPM61AM',
      StorageEncrypted: true,
      DbClusterResourceId: cluster.resourceId,
      DBClusterArn: cluster.arn,
      ClusterCreateTime: new Date(cluster.createdAt),
      EngineMode: 'provisioned',
      DeletionProtection: false,
      GlobalClusterIdentifier: cluster.globalClusterId,
      GlobalWriteForwardingStatus: cluster.globalClusterId ? 'disabled' : undefined,
    };
  }

  function renderInstance(instance: DbInstance): XmlValue {
    const port = instance.engine.includes('mysql') || instance.engine.includes('maria') ? 3306 : 5432;
    return {
      DBInstanceIdentifier: instance.id,
      DBInstanceClass: instance.instanceClass,
      Engine: instance.engine,
      DBInstanceStatus: instance.status,
      MasterUsername: 'postgres',
      Endpoint: {
        Address: `${instance.id}.${instance.resourceId.slice(3, 15).toLowerCase()}.${instance.region}.rds.amazonaws.com`,
        Port: port,
        HostedZoneId: 'Z2R2ITUGPM61AM',
      },
      AllocatedStorage: 100,
      InstanceCreateTime: new Date(instance.createdAt),
      AvailabilityZone: instance.availabilityZone,
      MultiAZ: instance.multiAz,
      EngineVersion: instance.engineVersion,
      ReadReplicaSourceDBInstanceIdentifier: instance.source,
      ReadReplicaDBInstanceIdentifiers: xmlList('ReadReplicaDBInstanceIdentifier', instance.replicas),
      SecondaryAvailabilityZone: instance.secondaryAvailabilityZone,
      // Replication status shows once the replica is up, not while it is being created.
      StatusInfos:
        instance.source && instance.status !== 'creating'
          ? xmlList('DBInstanceStatusInfo', [
              { StatusType: 'read replication', Normal: true, Status: 'replicating' },
            ])
          : undefined,
      DbInstancePort: 0,
      DbiResourceId: instance.resourceId,
      DBInstanceArn: instance.arn,
      DeletionProtection: false,
    };
  }

  return service;
}

function readParams(request: EmulatorRequest): URLSearchParams {
  const params = new URLSearchParams(request.query);
  if (request.method === 'POST' && request.body.length > 0) {
    // URLSearchParams never throws; a body that is not form-encoded simply lacks Action.
    for (const [key, value] of new URLSearchParams(request.body)) params.append(key, value);
  }
  return params;
}

function required(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (value === null || value.trim() === '') {
    throw new QueryError(
      400,
      'MissingParameter',
      `The parameter ${name} must be provided and must not be blank.`,
    );
  }
  return value;
}

function readBool(params: URLSearchParams, name: string): boolean | undefined {
  const value = params.get(name);
  if (value === null) return undefined;
  if (value !== 'true' && value !== 'false') {
    throw new QueryError(
      400,
      'InvalidParameterValue',
      `Value (${value}) for parameter ${name} is invalid. Expected a boolean.`,
    );
  }
  return value === 'true';
}

function rejectFilters(params: URLSearchParams): void {
  for (const key of params.keys()) {
    if (key.startsWith('Filters.')) {
      throw new QueryError(
        400,
        'InvalidParameterValue',
        'Unrecognized filter name: the emulator does not support Filters.',
      );
    }
  }
}

function paginate<T>(items: T[], params: URLSearchParams): { page: T[]; marker?: string } {
  const maxRaw = params.get('MaxRecords');
  let max = 100;
  if (maxRaw !== null) {
    if (!/^\d+$/.test(maxRaw) || Number(maxRaw) < 20 || Number(maxRaw) > 100) {
      throw new QueryError(
        400,
        'InvalidParameterValue',
        `Invalid value ${maxRaw} for MaxRecords. Must be between 20 and 100`,
      );
    }
    max = Number(maxRaw);
  }
  const markerRaw = params.get('Marker');
  let start = 0;
  if (markerRaw !== null) {
    if (!/^\d+$/.test(markerRaw) || Number(markerRaw) > items.length) {
      throw new QueryError(400, 'InvalidParameterValue', `Invalid value ${markerRaw} for Marker.`);
    }
    start = Number(markerRaw);
  }
  const end = start + max;
  return { page: items.slice(start, end), ...(end < items.length && { marker: String(end) }) };
}
