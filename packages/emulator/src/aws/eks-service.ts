import type { EmulatorResponse, EmulatorService, ServiceContext } from '../server/emulator-types.js';
import { epochSeconds, jsonError, jsonResponse, requestId } from './aws-responses.js';
import type { EksSeed, NodegroupSeed } from './aws-seed.js';
import { type AwsWorld, authorize, isResponse, jsonAuthCodes } from './aws-world.js';

interface Nodegroup {
  name: string;
  cluster: string;
  region: string;
  arn: string;
  minSize: number;
  maxSize: number;
  desiredSize: number;
  instanceTypes: string[];
  capacityType: string;
  baseStatus: 'ACTIVE' | 'DEGRADED';
  healthIssues: Array<{ code: string; message: string; resourceIds?: string[] }>;
  createdAt: number;
  modifiedAt: number;
  updates: NodegroupUpdate[];
}

interface NodegroupUpdate {
  id: string;
  createdAt: number;
  /** When the new nodes have joined and are ready; Infinity for a stuck update. */
  endsAt: number;
  params: Array<{ type: string; value: string }>;
}

interface EksCluster {
  name: string;
  region: string;
  version: string;
  apiServer: string;
  nodegroups: Map<string, Nodegroup>;
}

/** A stand-in cluster CA (PEM, base64): the emulator serves plain http, so nothing verifies it. */
const emulatorCaData = Buffer.from(
  '-----BEGIN CERTIFICATE-----\nZW11bGF0b3ItY2x1c3Rlci1jYQ==\n-----END CERTIFICATE-----\n',
).toString('base64');

class EksError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/**
 * EKS over REST-JSON at `/aws/eks`: node groups (describe, list, update their
 * scaling config) and updates that run InProgress → Successful on the
 * emulator clock, taking longer the more nodes have to join.
 */
export function createEksService(
  context: ServiceContext,
  world: AwsWorld,
  seed: EksSeed = {},
): EmulatorService {
  const clusters = new Map<string, EksCluster>();
  const uuid = () => requestId(context.random);
  const now0 = context.clock.now();
  for (const cluster of seed.clusters ?? []) {
    const nodegroups = new Map<string, Nodegroup>();
    for (const group of cluster.nodegroups ?? [])
      nodegroups.set(group.name, seedNodegroup(cluster.name, cluster.region, group));
    clusters.set(`${cluster.region}|${cluster.name}`, {
      name: cluster.name,
      region: cluster.region,
      version: cluster.version ?? '1.30',
      apiServer: cluster.apiServer ?? `eks.${cluster.region}.${cluster.name}`,
      nodegroups,
    });
  }

  function seedNodegroup(cluster: string, region: string, group: NodegroupSeed): Nodegroup {
    return {
      name: group.name,
      cluster,
      region,
      arn: `arn:aws:eks:${region}:${world.accountId}:nodegroup/${cluster}/${group.name}/${uuid()}`,
      minSize: group.minSize,
      maxSize: group.maxSize,
      desiredSize: group.desiredSize,
      instanceTypes: group.instanceTypes ?? ['m5.large'],
      capacityType: group.capacityType ?? 'ON_DEMAND',
      baseStatus: group.status ?? (group.healthIssues?.length ? 'DEGRADED' : 'ACTIVE'),
      healthIssues: group.healthIssues ?? [],
      createdAt: now0,
      modifiedAt: now0,
      updates: [],
    };
  }

  const error = (status: number, code: string, message: string, extra: Record<string, unknown> = {}) =>
    jsonError(status, code, message, { id: uuid(), extra });

  const service: EmulatorService = {
    id: 'aws.eks',
    cloud: 'aws',
    mount: '/aws/eks',
    route(request) {
      const auth = authorize(request, world, 'eks', jsonAuthCodes, error);
      if (isResponse(auth)) return auth;
      const segments = request.path.split('/').filter(Boolean);
      let decoded: string[];
      try {
        decoded = segments.map((segment) => decodeURIComponent(segment));
      } catch {
        return error(400, 'InvalidParameterException', 'The request path is not valid.');
      }
      const [first, clusterName, third, fourth, fifth] = decoded;
      const { region } = auth;
      const route = (operation: string, mutating: boolean, handle: (stuck: boolean) => EmulatorResponse) => ({
        operation,
        mutating,
        region,
        handle: ({ stuck }: { stuck: boolean }) => {
          try {
            return handle(stuck);
          } catch (thrown) {
            if (thrown instanceof EksError)
              return error(thrown.status, thrown.code, thrown.message, thrown.extra);
            throw thrown;
          }
        },
      });
      const method = request.method;
      if (first !== 'clusters' || !clusterName) return unknown();
      if (decoded.length === 2 && method === 'GET')
        return route('DescribeCluster', false, () => {
          const cluster = requireCluster(region, clusterName);
          return jsonResponse(200, { cluster: renderCluster(cluster, request.headers.host) }, uuid());
        });
      if (third === 'node-groups' && decoded.length === 3 && method === 'GET')
        return route('ListNodegroups', false, () => {
          const cluster = requireCluster(region, clusterName);
          const names = [...cluster.nodegroups.keys()];
          const { page, nextToken } = paginate(names, request.query);
          return jsonResponse(200, { nodegroups: page, ...(nextToken && { nextToken }) }, uuid());
        });
      if (third === 'node-groups' && fourth && decoded.length === 4 && method === 'GET')
        return route('DescribeNodegroup', false, () => {
          const group = requireNodegroup(region, clusterName, fourth);
          return jsonResponse(200, { nodegroup: renderNodegroup(group) }, uuid());
        });
      if (
        third === 'node-groups' &&
        fourth &&
        fifth === 'update-config' &&
        decoded.length === 5 &&
        method === 'POST'
      )
        return route('UpdateNodegroupConfig', true, (stuck) =>
          updateConfig(region, clusterName, fourth, request.body, stuck),
        );
      if (third === 'updates' && decoded.length === 3 && method === 'GET')
        return route('ListUpdates', false, () => {
          const cluster = requireCluster(region, clusterName);
          const groupName = request.query.get('nodegroupName');
          const updates = groupName
            ? requireNodegroup(region, clusterName, groupName).updates
            : [...cluster.nodegroups.values()].flatMap((group) => group.updates);
          const { page, nextToken } = paginate(
            updates.map((update) => update.id),
            request.query,
          );
          return jsonResponse(200, { updateIds: page, ...(nextToken && { nextToken }) }, uuid());
        });
      if (third === 'updates' && fourth && decoded.length === 4 && method === 'GET')
        return route('DescribeUpdate', false, () => {
          const groupName = request.query.get('nodegroupName');
          requireCluster(region, clusterName);
          const groups = groupName
            ? [requireNodegroup(region, clusterName, groupName)]
            : [...requireCluster(region, clusterName).nodegroups.values()];
          const update = groups
            .flatMap((group) => group.updates)
            .find((candidate) => candidate.id === fourth);
          if (!update)
            throw new EksError(404, 'ResourceNotFoundException', `No update found for ID: ${fourth}.`);
          return jsonResponse(200, { update: renderUpdate(update) }, uuid());
        });
      return unknown();
    },
    errorResponse(kind, detail) {
      if (kind === 'throttled') return error(429, 'ThrottlingException', detail.message);
      if (kind === 'server-error') return error(500, 'ServerException', detail.message);
      return error(400, 'InvalidParameterException', detail.message);
    },
  };

  /**
   * DescribeCluster's cluster, with the fields the EKS API reference lists for an ACTIVE
   * cluster; `endpoint` is this emulator's Kubernetes API server for the cluster (plain
   * http on loopback, where EKS has https on its own host).
   */
  function renderCluster(cluster: EksCluster, host: string | undefined) {
    const createdAt = epochSeconds(now0);
    return {
      name: cluster.name,
      arn: `arn:aws:eks:${cluster.region}:${world.accountId}:cluster/${cluster.name}`,
      createdAt,
      version: cluster.version,
      endpoint: `http://${host ?? '127.0.0.1'}/kubernetes/${cluster.apiServer}`,
      roleArn: `arn:aws:iam::${world.accountId}:role/eks-cluster-role`,
      resourcesVpcConfig: {
        subnetIds: [],
        securityGroupIds: [],
        vpcId: 'vpc-0emulator',
        endpointPublicAccess: true,
        endpointPrivateAccess: false,
        publicAccessCidrs: ['0.0.0.0/0'],
      },
      kubernetesNetworkConfig: { serviceIpv4Cidr: '10.100.0.0/16', ipFamily: 'ipv4' },
      identity: { oidc: { issuer: `https://oidc.eks.${cluster.region}.amazonaws.com/id/EMULATOR` } },
      status: 'ACTIVE',
      certificateAuthority: { data: emulatorCaData },
      platformVersion: 'eks.1',
      tags: {},
      accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP' },
    };
  }

  function unknown(): EmulatorResponse {
    return error(404, 'UnknownOperationException', 'No EKS operation matches the request.');
  }

  function requireCluster(region: string, name: string): EksCluster {
    const cluster = clusters.get(`${region}|${name}`);
    if (!cluster)
      throw new EksError(404, 'ResourceNotFoundException', `No cluster found for name: ${name}.`, {
        clusterName: name,
      });
    return cluster;
  }

  function requireNodegroup(region: string, clusterName: string, name: string): Nodegroup {
    const group = requireCluster(region, clusterName).nodegroups.get(name);
    if (!group) {
      throw new EksError(404, 'ResourceNotFoundException', `No node group found for name: ${name}.`, {
        clusterName,
        nodegroupName: name,
      });
    }
    return group;
  }

  function activeUpdate(group: Nodegroup): NodegroupUpdate | undefined {
    const now = context.clock.now();
    return group.updates.find((update) => now < update.endsAt);
  }

  function updateConfig(
    region: string,
    clusterName: string,
    groupName: string,
    body: string,
    stuck: boolean,
  ): EmulatorResponse {
    const group = requireNodegroup(region, clusterName, groupName);
    let input: unknown;
    try {
      input = body.trim() === '' ? {} : JSON.parse(body);
    } catch {
      throw new EksError(400, 'SerializationException', 'The request body is not valid JSON.');
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new EksError(400, 'SerializationException', 'The request body must be a JSON object.');
    }
    const scaling = (input as { scalingConfig?: unknown }).scalingConfig;
    if (
      scaling !== undefined &&
      (typeof scaling !== 'object' || scaling === null || Array.isArray(scaling))
    ) {
      throw new EksError(400, 'InvalidParameterException', 'scalingConfig must be an object.');
    }
    const config = (scaling ?? {}) as Record<string, unknown>;
    for (const key of ['minSize', 'maxSize', 'desiredSize']) {
      const value = config[key];
      if (value !== undefined && !(Number.isInteger(value) && (value as number) >= 0)) {
        throw new EksError(400, 'InvalidParameterException', `${key} must be a non-negative integer.`, {
          clusterName,
          nodegroupName: groupName,
        });
      }
    }
    if (activeUpdate(group)) {
      throw new EksError(
        409,
        'ResourceInUseException',
        'Nodegroup cannot be updated as it is currently not in Active State',
        {
          clusterName,
          nodegroupName: groupName,
        },
      );
    }
    const min = (config.minSize as number | undefined) ?? group.minSize;
    const max = (config.maxSize as number | undefined) ?? group.maxSize;
    const desired = (config.desiredSize as number | undefined) ?? group.desiredSize;
    const invalid = (message: string) =>
      new EksError(400, 'InvalidParameterException', message, { clusterName, nodegroupName: groupName });
    if (max < 1) throw invalid('Maximum capacity must be at least 1');
    if (min > max) throw invalid(`Minimum capacity ${min} can't be greater than max size ${max}`);
    if (min > desired) throw invalid(`Minimum capacity ${min} can't be greater than desired size ${desired}`);
    if (desired > max) throw invalid(`Desired capacity ${desired} can't be greater than max size ${max}`);

    const now = context.clock.now();
    const joining = Math.max(0, desired - group.desiredSize);
    const duration =
      context.duration('eks.nodegroup-update', 30_000) +
      (joining > 0 ? context.duration('eks.node-ready', 90_000) : 0);
    const params = [
      ...(config.minSize !== undefined ? [{ type: 'MinSize', value: String(min) }] : []),
      ...(config.maxSize !== undefined ? [{ type: 'MaxSize', value: String(max) }] : []),
      ...(config.desiredSize !== undefined ? [{ type: 'DesiredSize', value: String(desired) }] : []),
    ];
    const update: NodegroupUpdate = {
      id: uuid(),
      createdAt: now,
      endsAt: stuck ? Number.POSITIVE_INFINITY : now + duration,
      params,
    };
    group.minSize = min;
    group.maxSize = max;
    group.desiredSize = desired;
    group.modifiedAt = now;
    group.updates.push(update);
    return jsonResponse(200, { update: renderUpdate(update) }, uuid());
  }

  function renderUpdate(update: NodegroupUpdate): unknown {
    const done = context.clock.now() >= update.endsAt;
    return {
      id: update.id,
      status: done ? 'Successful' : 'InProgress',
      type: 'ConfigUpdate',
      params: update.params,
      createdAt: epochSeconds(update.createdAt),
      errors: [],
    };
  }

  function renderNodegroup(group: Nodegroup): unknown {
    const updating = activeUpdate(group) !== undefined;
    return {
      nodegroupName: group.name,
      nodegroupArn: group.arn,
      clusterName: group.cluster,
      version: clusters.get(`${group.region}|${group.cluster}`)?.version,
      releaseVersion: '1.30.4-20241024',
      createdAt: epochSeconds(group.createdAt),
      modifiedAt: epochSeconds(group.modifiedAt),
      status: updating ? 'UPDATING' : group.baseStatus,
      capacityType: group.capacityType,
      scalingConfig: { minSize: group.minSize, maxSize: group.maxSize, desiredSize: group.desiredSize },
      instanceTypes: group.instanceTypes,
      subnets: [`subnet-${group.region.replace(/-/g, '')}a`, `subnet-${group.region.replace(/-/g, '')}b`],
      amiType: 'AL2_x86_64',
      nodeRole: `arn:aws:iam::${world.accountId}:role/eks-node-role`,
      labels: {},
      resources: { autoScalingGroups: [{ name: `eks-${group.name}-${group.arn.slice(-36)}` }] },
      diskSize: 20,
      health: { issues: group.healthIssues },
      updateConfig: { maxUnavailable: 1 },
      tags: {},
    };
  }

  return service;
}

function paginate(items: string[], query: URLSearchParams): { page: string[]; nextToken?: string } {
  const rawMax = query.get('maxResults');
  let max = 100;
  if (rawMax !== null) {
    if (!/^\d+$/.test(rawMax) || Number(rawMax) < 1 || Number(rawMax) > 100) {
      throw new EksError(400, 'InvalidParameterException', 'maxResults must be between 1 and 100.');
    }
    max = Number(rawMax);
  }
  const token = query.get('nextToken');
  let start = 0;
  if (token !== null) {
    if (!/^\d+$/.test(token) || Number(token) > items.length) {
      throw new EksError(400, 'InvalidParameterException', 'The nextToken is not valid.');
    }
    start = Number(token);
  }
  const end = start + max;
  return { page: items.slice(start, end), ...(end < items.length && { nextToken: String(end) }) };
}
