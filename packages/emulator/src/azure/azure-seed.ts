import type { AzureMonitorSeed } from './azure-monitor-seed.js';
/**
 * The Azure world the emulator starts with: subscriptions holding resource
 * groups, which hold SQL servers, Traffic Manager profiles and AKS clusters.
 * Failover groups span servers (often in two resource groups), so they sit at
 * the subscription level and name their servers.
 */
export interface AzureSeed {
  subscriptions?: AzureSubscriptionSeed[];
  /**
   * How long-running operations point back at their status: `absolute` https URLs on
   * `managementHost` (what ARM does) or `relative` paths. Never absolute http. Default `absolute`.
   */
  lroUrls?: 'absolute' | 'relative';
  /** Host of absolute LRO URLs. Default `https://management.azure.com`. */
  managementHost?: string;
  /** Scripted Azure Monitor platform metrics (outage curves). */
  monitor?: AzureMonitorSeed;
}

export interface AzureSubscriptionSeed {
  /** Subscription id (a GUID on the real service; any string here). */
  id: string;
  resourceGroups?: AzureResourceGroupSeed[];
  sqlFailoverGroups?: SqlFailoverGroupSeed[];
}

export interface AzureResourceGroupSeed {
  name: string;
  location?: string;
  sqlServers?: SqlServerSeed[];
  trafficManagerProfiles?: TrafficManagerProfileSeed[];
  managedClusters?: ManagedClusterSeed[];
}

export interface SqlServerSeed {
  name: string;
  /** Display name of the region, e.g. `East US` (ARM answers with it; comparisons ignore case and spaces). */
  location: string;
  /** False models a region outage: planned failover away from it fails, forced failover still works. */
  available?: boolean;
}

/** Which server: a name in a resource group of the same subscription. */
export interface SqlServerRefSeed {
  resourceGroup: string;
  server: string;
}

export interface SqlFailoverGroupSeed {
  name: string;
  primary: SqlServerRefSeed;
  /** Partner servers (one in practice). */
  secondaries: SqlServerRefSeed[];
  readWriteEndpoint?: {
    failoverPolicy: 'Automatic' | 'Manual';
    failoverWithDataLossGracePeriodMinutes?: number;
  };
  readOnlyEndpoint?: { failoverPolicy: 'Disabled' | 'Enabled' };
  /** Replication-link state word, default `CATCH_UP`. */
  replicationState?: string;
  /** Database names (they exist on every member server). */
  databases?: string[];
  tags?: Record<string, string>;
}

export type TrafficManagerRoutingMethod =
  | 'Priority'
  | 'Weighted'
  | 'Performance'
  | 'Geographic'
  | 'MultiValue'
  | 'Subnet';

export type TrafficManagerEndpointType = 'AzureEndpoints' | 'ExternalEndpoints' | 'NestedEndpoints';

export interface TrafficManagerProfileSeed {
  name: string;
  routingMethod: TrafficManagerRoutingMethod;
  /** DNS TTL in seconds. Default 60. */
  ttl?: number;
  /** Default: the profile name. The FQDN is `<relativeName>.trafficmanager.net`. */
  relativeName?: string;
  profileStatus?: 'Enabled' | 'Disabled';
  monitor?: {
    protocol?: 'HTTP' | 'HTTPS' | 'TCP';
    port?: number;
    path?: string;
    intervalInSeconds?: number;
    timeoutInSeconds?: number;
    toleratedNumberOfFailures?: number;
  };
  endpoints?: TrafficManagerEndpointSeed[];
  tags?: Record<string, string>;
}

export interface TrafficManagerEndpointSeed {
  name: string;
  /** URL segment of the endpoint type. Default `ExternalEndpoints`. */
  type?: TrafficManagerEndpointType;
  /** FQDN or IP the endpoint answers with. */
  target: string;
  targetResourceId?: string;
  endpointStatus?: 'Enabled' | 'Disabled';
  weight?: number;
  priority?: number;
  /** Region, e.g. `East US` (Performance routing needs it for external endpoints). */
  location?: string;
  /** What the health probe finds: Online when true (the default), Degraded when false. */
  healthy?: boolean;
}

export interface ManagedClusterSeed {
  name: string;
  /** Region display name, e.g. `West US 2`. */
  location: string;
  kubernetesVersion?: string;
  agentPools: AgentPoolSeed[];
  /**
   * The `kubernetes` seed cluster listClusterUserCredential's kubeconfig points at
   * (`<emulator>/kubernetes/<apiServer>`). Default `aks.<name>`.
   */
  apiServer?: string;
}

export interface AgentPoolSeed {
  name: string;
  count: number;
  vmSize?: string;
  mode?: 'System' | 'User';
  enableAutoScaling?: boolean;
  minCount?: number;
  maxCount?: number;
  powerState?: 'Running' | 'Stopped';
  orchestratorVersion?: string;
  /** Every update of this pool ends `Failed` with this error (a fault knob). */
  updateFailure?: { code: string; message: string };
  /** Default `Managed`. Fixed at creation: a PUT that changes it is refused. */
  osDiskType?: 'Managed' | 'Ephemeral';
  /** Default `OS`. Fixed at creation. */
  kubeletDiskType?: 'OS' | 'Temporary';
  /** Default false. Fixed at creation. */
  enableNodePublicIP?: boolean;
  /** Default false. Fixed at creation. */
  enableEncryptionAtHost?: boolean;
  /** Default false. Fixed at creation. */
  enableUltraSSD?: boolean;
  /** Default false. Fixed at creation. */
  enableFIPS?: boolean;
  /** The node image the pool runs. A PUT that names another one is a node image upgrade (refused here). */
  nodeImageVersion?: string;
  /** Surge of upgrades; a PUT that leaves it out resets it to the service default (`10%`). */
  maxSurge?: string;
  /**
   * Whether the service sends an `eTag` for this pool. Default true; false models the
   * pools (and api-versions) whose GET and PUT answers carry none, where `If-Match` is not checked.
   */
  eTag?: boolean;
}
