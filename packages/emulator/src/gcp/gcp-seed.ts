import type { CloudMonitoringSeed } from './cloud-monitoring-seed.js';
/** Targets behind a Cloud DNS routing-policy item that Cloud DNS health-checks. */
export interface CloudDnsHealthCheckedTargetsSeed {
  internalLoadBalancers?: Array<{
    loadBalancerType?: string;
    ipAddress: string;
    port?: string;
    ipProtocol?: string;
    networkUrl?: string;
    project?: string;
    region?: string;
  }>;
  externalEndpoints?: string[];
}

/** A Cloud DNS `routingPolicy`, as the wire carries it (wrr, geo or primaryBackup). */
export interface CloudDnsRoutingPolicySeed {
  healthCheck?: string;
  wrr?: {
    items: Array<{
      weight: number;
      rrdatas?: string[];
      healthCheckedTargets?: CloudDnsHealthCheckedTargetsSeed;
    }>;
  };
  geo?: {
    enableFencing?: boolean;
    items: Array<{
      location: string;
      rrdatas?: string[];
      healthCheckedTargets?: CloudDnsHealthCheckedTargetsSeed;
    }>;
  };
  primaryBackup?: {
    primaryTargets: CloudDnsHealthCheckedTargetsSeed;
    backupGeoTargets: {
      enableFencing?: boolean;
      items: Array<{
        location: string;
        rrdatas?: string[];
        healthCheckedTargets?: CloudDnsHealthCheckedTargetsSeed;
      }>;
    };
    trickleTraffic?: number;
  };
}

/** One resource record set: plain `rrdatas` or a `routingPolicy`, never both. */
export interface CloudDnsRecordSetSeed {
  /** FQDN with the trailing dot, inside the zone's `dnsName`. */
  name: string;
  type: string;
  ttl: number;
  rrdatas?: string[];
  routingPolicy?: CloudDnsRoutingPolicySeed;
}

/** A managed zone. It also gets its SOA and NS sets, as a new zone does. */
export interface CloudDnsZoneSeed {
  name: string;
  /** e.g. `aegis.io.` */
  dnsName: string;
  /** Numeric id; generated when omitted. */
  id?: string;
  visibility?: 'public' | 'private';
  recordSets?: CloudDnsRecordSetSeed[];
  /**
   * `changes.create` answers `done` at once, as Cloud DNS often does for a small zone,
   * instead of `pending` for the modelled propagation time (`gcp.dns.change`).
   */
  changesDoneAtOnce?: boolean;
}

/** A Cloud SQL instance: a primary (no `masterInstanceName`) or a read replica of one. */
export interface CloudSqlInstanceSeed {
  name: string;
  /** e.g. `us-central1`. */
  region: string;
  /** Default `<region>-a`. */
  gceZone?: string;
  /**
   * REGIONAL instances: the standby's zone, shown in GETs as `secondaryGceZone`. When
   * omitted, Google chooses it (`<region>-b`) and GETs leave the field out, as Cloud SQL does.
   */
  secondaryGceZone?: string;
  /** Default `POSTGRES_15`. */
  databaseVersion?: string;
  /** Default `ENTERPRISE_PLUS`. */
  edition?: 'ENTERPRISE' | 'ENTERPRISE_PLUS';
  /** Default `ZONAL` for replicas, `REGIONAL` for primaries. */
  availabilityType?: 'ZONAL' | 'REGIONAL';
  /** Default 1. */
  settingsVersion?: number;
  /** Default `RUNNABLE`. Anything else makes the instance unable to take part in a switchover. */
  state?: string;
  /** Replicas: the primary's name. */
  masterInstanceName?: string;
  /** Primaries: the replica designated for DR switchover and replica failover. */
  failoverDrReplicaName?: string;
  /**
   * Primaries: GETs of this instance and its replicas leave `replicationCluster` out
   * (real GETs can), though the DR pairing holds and `instances.switchover` works.
   */
  omitReplicationCluster?: boolean;
  /** Replicas: how far behind the primary it is. Not exposed by the Admin API; slows and can fail a switchover. */
  replicationLagSeconds?: number;
}

/** A GKE node pool. Counts are per zone, as GKE sizes regional pools. */
export interface GkeNodePoolSeed {
  name: string;
  /** Nodes in each of the pool's zones. */
  nodeCountPerZone: number;
  /** Default: the cluster's zones. */
  locations?: string[];
  autoscaling?: {
    enabled: boolean;
    minNodeCount?: number;
    maxNodeCount?: number;
    totalMinNodeCount?: number;
    totalMaxNodeCount?: number;
    locationPolicy?: 'BALANCED' | 'ANY';
  };
  /** Default `1.30.5-gke.1014001`. */
  version?: string;
  /** Default `e2-standard-4`. */
  machineType?: string;
}

/** A GKE cluster. A regional cluster's `location` is a region, a zonal one's a zone. */
export interface GkeClusterSeed {
  name: string;
  location: string;
  /** Default: `[location]` for a zonal cluster, `<region>-a/-b/-c` for a regional one. */
  zones?: string[];
  nodePools: GkeNodePoolSeed[];
  /**
   * The `kubernetes` seed cluster clusters.get's `endpoint` points at
   * (`<emulator>/kubernetes/<apiServer>`). Default `gke.<location>.<name>`.
   */
  apiServer?: string;
}

/** One Google Cloud project and what lives in it. */
export interface GcpProjectSeed {
  /** Project id, e.g. `aegis-prod`. */
  id: string;
  /** Project number, used in GKE self links. Generated when omitted. */
  number?: string;
  managedZones?: CloudDnsZoneSeed[];
  sqlInstances?: CloudSqlInstanceSeed[];
  gkeClusters?: GkeClusterSeed[];
}

/** What the emulator starts with on Google Cloud. */
export interface GcpSeed {
  projects?: GcpProjectSeed[];
  /** Scripted Cloud Monitoring time series (outage curves). */
  monitoring?: CloudMonitoringSeed;
}
