import type { EmulatorResponse } from '../server/emulator-types.js';
import { type ArmAsyncOperation, ArmAsyncOperations } from './arm-async-operations.js';
import { armError, isErrorResponse, parseJsonObject, propertiesOf, resourceNotFound } from './arm-errors.js';
import type { ArmCall, ArmRoute } from './arm-route.js';
import { type ArmWorld, regionKey } from './arm-world.js';
import type { AgentPoolSeed, AzureSeed } from './azure-seed.js';

interface AgentPool {
  name: string;
  count: number;
  vmSize: string;
  mode: 'System' | 'User';
  enableAutoScaling: boolean;
  minCount?: number;
  maxCount?: number;
  powerState: 'Running' | 'Stopped';
  orchestratorVersion: string;
  provisioningState: string;
  /** Absent for pools whose answers carry no eTag. */
  eTag?: string;
  /** What the pool was created with and a full-replacement PUT must carry back. */
  settings: PoolSettings;
  updateFailure?: AgentPoolSeed['updateFailure'];
  running?: ArmAsyncOperation;
}

/** Pool properties a GET-modify-PUT must send back unchanged. */
interface PoolSettings {
  osDiskType: string;
  kubeletDiskType: string;
  enableNodePublicIP: boolean;
  enableEncryptionAtHost: boolean;
  enableUltraSSD: boolean;
  enableFIPS: boolean;
  nodeImageVersion: string;
  upgradeSettings: { maxSurge: string };
}

/** Fixed at creation: a PUT whose value differs (a left-out one counts as the default) is refused. */
const immutableSettings = [
  'osDiskType',
  'kubeletDiskType',
  'enableNodePublicIP',
  'enableEncryptionAtHost',
  'enableUltraSSD',
  'enableFIPS',
] as const;

const defaultSettings = (kubernetesVersion: string): PoolSettings => ({
  osDiskType: 'Managed',
  kubeletDiskType: 'OS',
  enableNodePublicIP: false,
  enableEncryptionAtHost: false,
  enableUltraSSD: false,
  enableFIPS: false,
  nodeImageVersion: `AKSUbuntu-2204gen2containerd-${kubernetesVersion.replace(/\./g, '')}.1`,
  upgradeSettings: { maxSurge: '10%' },
});

interface ManagedCluster {
  id: string;
  subscription: string;
  name: string;
  location: string;
  kubernetesVersion: string;
  resourceGroup: string;
  apiServer: string;
  pools: AgentPool[];
}

const clusterPath =
  '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ContainerService/managedClusters/{resourceName}';
const poolPath = `${clusterPath}/agentPools/{agentPoolName}`;
/** ARM's AKS polling URLs carry this old api-version, whatever the resource's. */
const operationsApiVersion = '2016-03-30';

const invalidParameter = (message: string) => armError(400, 'InvalidParameter', message);
const isIntIn = (value: unknown, min: number, max: number): value is number =>
  Number.isInteger(value) && (value as number) >= min && (value as number) <= max;

/**
 * `Microsoft.ContainerService` managed clusters and agent pools. A pool PUT is
 * a full replacement answered at once (200 `Updating`, or 201 `Creating` for a
 * new pool) with an `Azure-AsyncOperation` header and no Retry-After; the pool
 * turns `Succeeded` when the operation is due.
 */
export function createAksAgentPoolRoutes(world: ArmWorld, seed: AzureSeed): ArmRoute[] {
  const updateMs = world.context.duration('azure.aks.agentPoolUpdate', 90_000);
  const clusters = new Map<string, ManagedCluster>();
  const key = (subscription: string, resourceGroup: string, name: string) =>
    `${subscription}/${resourceGroup}/${name}`.toLowerCase();
  const newETag = () => world.newId();

  for (const subscription of seed.subscriptions ?? []) {
    for (const group of subscription.resourceGroups ?? []) {
      for (const cluster of group.managedClusters ?? []) {
        const version = cluster.kubernetesVersion ?? '1.30.0';
        clusters.set(key(subscription.id, group.name, cluster.name), {
          id: `/subscriptions/${subscription.id}/resourcegroups/${group.name}/providers/Microsoft.ContainerService/managedClusters/${cluster.name}`,
          subscription: subscription.id,
          name: cluster.name,
          location: cluster.location,
          kubernetesVersion: version,
          resourceGroup: group.name,
          apiServer: cluster.apiServer ?? `aks.${cluster.name}`,
          pools: cluster.agentPools.map((pool) => ({
            name: pool.name,
            count: pool.count,
            vmSize: pool.vmSize ?? 'Standard_DS2_v2',
            mode: pool.mode ?? 'User',
            enableAutoScaling: pool.enableAutoScaling ?? false,
            ...(pool.enableAutoScaling && {
              minCount: pool.minCount ?? 0,
              maxCount: pool.maxCount ?? pool.count,
            }),
            powerState: pool.powerState ?? 'Running',
            orchestratorVersion: pool.orchestratorVersion ?? version,
            provisioningState: 'Succeeded',
            ...(pool.eTag !== false && { eTag: newETag() }),
            settings: seededSettings(pool, version),
            ...(pool.updateFailure && { updateFailure: pool.updateFailure }),
          })),
        });
      }
    }
  }

  const poolProperties = (pool: AgentPool) => ({
    count: pool.count,
    vmSize: pool.vmSize,
    osDiskSizeGB: 128,
    osDiskType: pool.settings.osDiskType,
    kubeletDiskType: pool.settings.kubeletDiskType,
    osType: 'Linux',
    osSKU: 'Ubuntu',
    type: 'VirtualMachineScaleSets',
    mode: pool.mode,
    maxPods: 110,
    enableAutoScaling: pool.enableAutoScaling,
    ...(pool.enableAutoScaling && { minCount: pool.minCount, maxCount: pool.maxCount }),
    scaleDownMode: 'Delete',
    provisioningState: pool.provisioningState,
    powerState: { code: pool.powerState },
    orchestratorVersion: pool.orchestratorVersion,
    currentOrchestratorVersion: pool.orchestratorVersion,
    nodeImageVersion: pool.settings.nodeImageVersion,
    upgradeSettings: { ...pool.settings.upgradeSettings },
    enableNodePublicIP: pool.settings.enableNodePublicIP,
    enableEncryptionAtHost: pool.settings.enableEncryptionAtHost,
    enableUltraSSD: pool.settings.enableUltraSSD,
    enableFIPS: pool.settings.enableFIPS,
    ...(pool.eTag !== undefined && { eTag: pool.eTag }),
  });

  const poolView = (cluster: ManagedCluster, pool: AgentPool) => ({
    id: `${cluster.id}/agentPools/${pool.name}`,
    name: pool.name,
    type: 'Microsoft.ContainerService/managedClusters/agentPools',
    properties: poolProperties(pool),
  });

  const clusterView = (cluster: ManagedCluster) => {
    const busy = cluster.pools.some((pool) => pool.running?.status === 'InProgress');
    return {
      id: cluster.id,
      name: cluster.name,
      type: 'Microsoft.ContainerService/ManagedClusters',
      location: cluster.location,
      properties: {
        provisioningState: busy ? 'Updating' : 'Succeeded',
        powerState: { code: 'Running' },
        kubernetesVersion: cluster.kubernetesVersion,
        currentKubernetesVersion: cluster.kubernetesVersion,
        dnsPrefix: cluster.name,
        fqdn: `${cluster.name.toLowerCase()}-dns.hcp.${regionKey(cluster.location)}.azmk8s.io`,
        agentPoolProfiles: cluster.pools.map((pool) => ({ name: pool.name, ...poolProperties(pool) })),
      },
    };
  };

  const findCluster = ({ params }: ArmCall): ManagedCluster | EmulatorResponse => {
    const scope = world.scopeError(params.subscriptionId!, params.resourceGroupName!);
    if (scope) return scope;
    return (
      clusters.get(key(params.subscriptionId!, params.resourceGroupName!, params.resourceName!)) ??
      resourceNotFound(
        'Microsoft.ContainerService/managedClusters',
        params.resourceName!,
        world.resourceGroupName(params.subscriptionId!, params.resourceGroupName!),
      )
    );
  };

  const findPool = (cluster: ManagedCluster, name: string) =>
    cluster.pools.find((pool) => pool.name.toLowerCase() === name.toLowerCase());

  const putPool = (call: ArmCall): EmulatorResponse => {
    const cluster = findCluster(call);
    if (isErrorResponse(cluster)) return cluster;
    const body = parseJsonObject(call.request.body);
    if (isErrorResponse(body)) return body;
    const properties = propertiesOf(body);
    if (isErrorResponse(properties)) return properties;
    const existing = findPool(cluster, call.params.agentPoolName!);

    const ifMatch = call.request.headers['if-match'];
    // A pool without an eTag has nothing to match against: the service does not check If-Match then.
    const guarded = existing === undefined || existing.eTag !== undefined;
    if (
      guarded &&
      typeof ifMatch === 'string' &&
      ifMatch !== '*' &&
      ifMatch.replace(/"/g, '') !== existing?.eTag
    ) {
      return armError(
        412,
        'PreconditionFailed',
        `The eTag '${ifMatch}' does not match the agent pool's eTag.`,
      );
    }
    if (existing?.running?.status === 'InProgress') {
      return armError(
        409,
        'OperationNotAllowed',
        `Operation is not allowed because there's an in progress update agent pool operation for agent pool '${existing.name}'. Please try again later.`,
      );
    }
    const next = validatePool(existing, call.params.agentPoolName!, properties, cluster.kubernetesVersion);
    if (isErrorResponse(next)) return next;
    const settings = validateSettings(existing, properties, cluster.kubernetesVersion);
    if (isErrorResponse(settings)) return settings;

    // A PUT to an existing pool answers `Updating` whatever it changes (scaling included).
    const pool: AgentPool = {
      ...next,
      provisioningState: existing ? 'Updating' : 'Creating',
      ...((existing === undefined || existing.eTag !== undefined) && { eTag: newETag() }),
      settings,
      ...(existing?.updateFailure && { updateFailure: existing.updateFailure }),
    };
    pool.running = world.operations.start({
      namespace: 'Microsoft.ContainerService',
      durationMs: updateMs,
      stuck: call.stuck,
      complete: () => {
        if (pool.updateFailure) {
          pool.provisioningState = 'Failed';
          return { ...pool.updateFailure };
        }
        pool.provisioningState = 'Succeeded';
        return undefined;
      },
    });
    if (existing) cluster.pools[cluster.pools.indexOf(existing)] = pool;
    else cluster.pools.push(pool);

    const statusPath = `/subscriptions/${cluster.subscription}/providers/Microsoft.ContainerService/locations/${regionKey(cluster.location)}/operations/${pool.running.id}`;
    return {
      status: existing ? 200 : 201,
      headers: { 'azure-asyncoperation': world.lroUrl(statusPath, operationsApiVersion) },
      body: poolView(cluster, pool),
    };
  };

  return [
    {
      method: 'GET',
      pattern: clusterPath,
      operation: 'ManagedClusters_Get',
      handle(call) {
        const cluster = findCluster(call);
        return isErrorResponse(cluster) ? cluster : { status: 200, body: clusterView(cluster) };
      },
    },
    {
      method: 'GET',
      pattern: `${clusterPath}/agentPools`,
      operation: 'AgentPools_List',
      handle(call) {
        const cluster = findCluster(call);
        if (isErrorResponse(cluster)) return cluster;
        return { status: 200, body: { value: cluster.pools.map((pool) => poolView(cluster, pool)) } };
      },
    },
    {
      method: 'GET',
      pattern: poolPath,
      operation: 'AgentPools_Get',
      handle(call) {
        const cluster = findCluster(call);
        if (isErrorResponse(cluster)) return cluster;
        const pool = findPool(cluster, call.params.agentPoolName!);
        if (!pool) {
          return armError(
            404,
            'NotFound',
            `The agent pool '${call.params.agentPoolName}' was not found in managed cluster '${cluster.name}'.`,
          );
        }
        return { status: 200, body: poolView(cluster, pool) };
      },
    },
    { method: 'PUT', pattern: poolPath, operation: 'AgentPools_CreateOrUpdate', handle: putPool },
    {
      method: 'POST',
      pattern: `${clusterPath}/listClusterUserCredential`,
      operation: 'ManagedClusters_ListClusterUserCredentials',
      // A POST that only reads: not a write in the request log, nor in ARM's write quota.
      mutating: false,
      handle(call) {
        const cluster = findCluster(call);
        if (isErrorResponse(cluster)) return cluster;
        const server = `http://${call.request.headers.host ?? '127.0.0.1'}/kubernetes/${cluster.apiServer}`;
        const kubeconfig = aadKubeconfig(cluster, server);
        return {
          status: 200,
          body: { kubeconfigs: [{ name: 'clusterUser', value: Buffer.from(kubeconfig).toString('base64') }] },
        };
      },
    },
    {
      method: 'GET',
      pattern:
        '/subscriptions/{subscriptionId}/providers/Microsoft.ContainerService/locations/{location}/operations/{operationId}',
      operation: 'ManagedClusters_GetOperationStatus',
      handle({ params }) {
        const scope = world.scopeError(params.subscriptionId!);
        if (scope) return scope;
        const operation = world.operations.get('Microsoft.ContainerService', params.operationId!);
        if (!operation)
          return armError(404, 'NotFound', `The operation '${params.operationId}' was not found.`);
        return { status: 200, body: ArmAsyncOperations.statusBody(operation) };
      },
    },
  ];
}

/** A stand-in cluster CA (PEM, base64): the emulator serves plain http, so nothing verifies it. */
const aksEmulatorCaData = Buffer.from(
  '-----BEGIN CERTIFICATE-----\nZW11bGF0b3ItYWtzLWNsdXN0ZXItY2E=\n-----END CERTIFICATE-----\n',
).toString('base64');

/**
 * The kubeconfig AKS returns for a cluster with AKS-managed Entra ID: YAML whose user runs
 * `kubelogin` for a token of the AKS server application. `server` is the emulator's API
 * server path (on AKS, `https://<fqdn>:443`).
 */
function aadKubeconfig(cluster: ManagedCluster, server: string): string {
  const user = `clusterUser_${cluster.resourceGroup}_${cluster.name}`;
  return [
    'apiVersion: v1',
    'clusters:',
    '- cluster:',
    `    certificate-authority-data: ${aksEmulatorCaData}`,
    `    server: ${server}`,
    `  name: ${cluster.name}`,
    'contexts:',
    '- context:',
    `    cluster: ${cluster.name}`,
    `    user: ${user}`,
    `  name: ${cluster.name}`,
    `current-context: ${cluster.name}`,
    'kind: Config',
    'preferences: {}',
    'users:',
    `- name: ${user}`,
    '  user:',
    '    exec:',
    '      apiVersion: client.authentication.k8s.io/v1beta1',
    '      args:',
    '      - get-token',
    '      - --environment',
    '      - AzurePublicCloud',
    '      - --server-id',
    '      - 6dae42f8-4368-4678-94ff-3960e28e3630',
    '      - --client-id',
    '      - 80faf920-1908-4b52-b5ef-a8e7bedfc67a',
    '      - --login',
    '      - devicecode',
    '      command: kubelogin',
    '      env: null',
    '      installHint: |2',
    '',
    '        kubelogin is not installed which is required to connect to AAD enabled cluster.',
    '      interactiveMode: IfAvailable',
    '      provideClusterInfo: false',
    '',
  ].join('\n');
}

function seededSettings(seed: AgentPoolSeed, kubernetesVersion: string): PoolSettings {
  const defaults = defaultSettings(kubernetesVersion);
  return {
    osDiskType: seed.osDiskType ?? defaults.osDiskType,
    kubeletDiskType: seed.kubeletDiskType ?? defaults.kubeletDiskType,
    enableNodePublicIP: seed.enableNodePublicIP ?? defaults.enableNodePublicIP,
    enableEncryptionAtHost: seed.enableEncryptionAtHost ?? defaults.enableEncryptionAtHost,
    enableUltraSSD: seed.enableUltraSSD ?? defaults.enableUltraSSD,
    enableFIPS: seed.enableFIPS ?? defaults.enableFIPS,
    nodeImageVersion: seed.nodeImageVersion ?? defaults.nodeImageVersion,
    upgradeSettings: { maxSurge: seed.maxSurge ?? defaults.upgradeSettings.maxSurge },
  };
}

/**
 * The settings a PUT asks for. AKS replaces the whole pool: what the body leaves out
 * takes the service default, so a creation-time setting left out of a PUT is a change,
 * and is refused like any other change of it.
 */
function validateSettings(
  existing: AgentPool | undefined,
  properties: Record<string, unknown>,
  kubernetesVersion: string,
): PoolSettings | EmulatorResponse {
  const defaults = defaultSettings(kubernetesVersion);
  const asked = {
    ...defaults,
    ...Object.fromEntries(
      Object.entries(properties).filter(
        ([key, value]) => key in defaults && value !== undefined && value !== null,
      ),
    ),
  } as PoolSettings;
  const upgrade = properties.upgradeSettings as { maxSurge?: unknown } | undefined;
  asked.upgradeSettings = {
    maxSurge: typeof upgrade?.maxSurge === 'string' ? upgrade.maxSurge : defaults.upgradeSettings.maxSurge,
  };
  if (!existing) return asked;
  for (const field of immutableSettings) {
    if (asked[field] !== existing.settings[field]) {
      return armError(
        400,
        'PropertyChangeNotAllowed',
        `Changing property 'properties.${field}' is not allowed (the pool has ${String(existing.settings[field])}, the request ${String(asked[field])}).`,
      );
    }
  }
  if (properties.nodeImageVersion === undefined || properties.nodeImageVersion === null) {
    asked.nodeImageVersion = existing.settings.nodeImageVersion;
  } else if (asked.nodeImageVersion !== existing.settings.nodeImageVersion) {
    return invalidParameter(
      `The node image version '${String(asked.nodeImageVersion)}' differs from the pool's '${existing.settings.nodeImageVersion}'; the emulator does not model node image upgrades.`,
    );
  }
  return asked;
}

/** The pool a PUT asks for, validated the way AKS does; `existing` is untouched. */
function validatePool(
  existing: AgentPool | undefined,
  name: string,
  properties: Record<string, unknown>,
  kubernetesVersion: string,
): Omit<AgentPool, 'provisioningState' | 'eTag' | 'settings'> | EmulatorResponse {
  const mode = properties.mode ?? existing?.mode ?? 'User';
  if (mode !== 'System' && mode !== 'User')
    return invalidParameter(`The agent pool mode '${String(mode)}' is not valid.`);
  const floor = mode === 'System' ? 1 : 0;

  const vmSize = properties.vmSize ?? existing?.vmSize ?? 'Standard_DS2_v2';
  if (typeof vmSize !== 'string') return invalidParameter('properties.vmSize must be a string.');
  if (existing && vmSize.toLowerCase() !== existing.vmSize.toLowerCase()) {
    return armError(
      400,
      'PropertyChangeNotAllowed',
      "Changing property 'properties.vmSize' is not allowed. Create a new agent pool instead.",
    );
  }

  const autoscale = properties.enableAutoScaling ?? false;
  if (typeof autoscale !== 'boolean')
    return invalidParameter('properties.enableAutoScaling must be a boolean.');
  const { minCount, maxCount } = properties;
  let count = properties.count;

  if (autoscale) {
    if (!isIntIn(minCount, floor, 1000) || !isIntIn(maxCount, floor, 1000)) {
      return invalidParameter(
        `The value of parameter agentPoolProfile.minCount/maxCount is invalid: both are required when enableAutoScaling is true and must be between ${floor} and 1000.`,
      );
    }
    if (minCount > maxCount) {
      return invalidParameter(
        `The value of parameter agentPoolProfile.minCount (${minCount}) must be less than or equal to maxCount (${maxCount}).`,
      );
    }
    // The autoscaler owns the count; an absent one keeps the current size within the new bounds.
    count ??= Math.min(maxCount, Math.max(minCount, existing?.count ?? minCount));
    if (!isIntIn(count, minCount, maxCount)) {
      return invalidParameter(
        `The value of parameter agentPoolProfile.count (${String(count)}) must be between minCount (${minCount}) and maxCount (${maxCount}) when enableAutoScaling is true.`,
      );
    }
  } else {
    if ((minCount ?? null) !== null || (maxCount ?? null) !== null) {
      return invalidParameter(
        'The value of parameter agentPoolProfile.minCount/maxCount must be null when enableAutoScaling is false.',
      );
    }
    count ??= 1;
    if (!isIntIn(count, floor, 1000)) {
      return invalidParameter(
        `The value of parameter agentPoolProfile.count is invalid: ${String(count)}. It must be between ${floor} and 1000 for a ${mode} pool.`,
      );
    }
  }

  const powerState =
    (properties.powerState as { code?: unknown } | undefined)?.code ?? existing?.powerState ?? 'Running';
  if (powerState !== 'Running' && powerState !== 'Stopped') {
    return invalidParameter(`The power state '${String(powerState)}' is not valid.`);
  }
  const orchestratorVersion =
    properties.orchestratorVersion ?? existing?.orchestratorVersion ?? kubernetesVersion;
  if (typeof orchestratorVersion !== 'string')
    return invalidParameter('properties.orchestratorVersion must be a string.');

  return {
    name: existing?.name ?? name,
    count,
    vmSize: existing?.vmSize ?? vmSize,
    mode,
    enableAutoScaling: autoscale,
    ...(autoscale && { minCount: minCount as number, maxCount: maxCount as number }),
    powerState,
    orchestratorVersion,
  };
}
