import type { ArcSeed } from './arc-seed.js';
import type { CloudWatchSeed } from './cloudwatch-script-seed.js';
import type { SnsSeed } from './sns-seed.js';

/** What the emulator starts with on AWS. Everything is optional. */
export interface AwsSeed {
  /** The account id in ARNs. Default `123456789012`. */
  accountId?: string;
  /**
   * Regions whose regional endpoints are down (a regional outage): requests
   * signed for them get `503 ServiceUnavailable`. Resources there still show
   * in other regions' answers (a global cluster's members, replica lists).
   */
  unreachableRegions?: string[];
  route53?: Route53Seed;
  rds?: RdsSeed;
  eks?: EksSeed;
  /** Route 53 ARC routing controls, served by the cluster's regional endpoints at `/aws/arc/<region>`. */
  arc?: ArcSeed;
  /** SNS topics notifications are published to. */
  sns?: SnsSeed;
  /** Scripted CloudWatch metrics and alarms (outage curves). */
  cloudwatch?: CloudWatchSeed;
}

// --- Route 53 -------------------------------------------------------------

export interface Route53Seed {
  hostedZones?: HostedZoneSeed[];
  healthChecks?: HealthCheckSeed[];
}

export interface HostedZoneSeed {
  /** Default: generated (`Z` + 13 characters). */
  id?: string;
  /** `example.com` or `example.com.`. */
  name: string;
  privateZone?: boolean;
  comment?: string;
  /** The zone's records; the apex SOA and NS records are added for you. */
  recordSets?: RecordSetSeed[];
}

/**
 * One resource record set. The routing kind follows from the fields, as in
 * Route 53: no `setIdentifier` is simple routing; `weight` is weighted;
 * `failover` is failover; `region` is latency. `alias` replaces `ttl`/`values`.
 */
export interface RecordSetSeed {
  name: string;
  type: string;
  ttl?: number;
  values?: string[];
  setIdentifier?: string;
  weight?: number;
  failover?: 'PRIMARY' | 'SECONDARY';
  region?: string;
  healthCheckId?: string;
  alias?: { hostedZoneId: string; dnsName: string; evaluateTargetHealth?: boolean };
}

export interface HealthCheckSeed {
  id: string;
  type?: 'HTTP' | 'HTTPS' | 'HTTP_STR_MATCH' | 'HTTPS_STR_MATCH' | 'TCP' | 'RECOVERY_CONTROL';
  /** For `RECOVERY_CONTROL`: the ARC routing control whose state (On = healthy) the check reports. */
  routingControlArn?: string;
  fqdn?: string;
  ipAddress?: string;
  port?: number;
  resourcePath?: string;
  requestInterval?: 10 | 30;
  failureThreshold?: number;
  /** Whether the checked endpoint answers. Default true. */
  healthy?: boolean;
  disabled?: boolean;
  inverted?: boolean;
  /**
   * What the checkers see over emulator time (from the emulator's start), replacing
   * `healthy` from each step's `afterMs` on. Each checker reports the step in force at its
   * own last check (`CheckedTime`, on the `requestInterval` grid), so a change shows a
   * check later, as in Route 53.
   */
  timeline?: HealthCheckTimelineStep[];
  /**
   * The AWS region the checked endpoint runs in: while it is blacked out every checker
   * reports the connection timing out, whatever the timeline says.
   */
  targetRegion?: string;
}

/** One step of a scripted health-check timeline. */
export interface HealthCheckTimelineStep {
  afterMs: number;
  healthy: boolean;
  /** Only these checker regions see this step (e.g. one checker's own network trouble). Default: all. */
  checkerRegions?: string[];
  /**
   * The checkers' `StatusReport.Status` text, e.g. `Failure: HTTP Status Code 503, Service
   * Unavailable`. Default: `Success: HTTP Status Code 200, OK` (HTTP/HTTPS types) or
   * `Success: TCP connection established`; unhealthy, a connection that timed out.
   */
  status?: string;
}

// --- RDS / Aurora ---------------------------------------------------------

export interface RdsSeed {
  globalClusters?: GlobalClusterSeed[];
  /** Aurora clusters outside any global cluster. */
  clusters?: AuroraClusterSeed[];
  /** RDS instances (not Aurora), with their read replicas. */
  instances?: DbInstanceSeed[];
}

export interface AuroraClusterSeed {
  id: string;
  region: string;
  engine?: string;
  engineVersion?: string;
  /** Cluster status. Default `available`. */
  status?: string;
  /** Instance ids; in a writer cluster the first one is the writer. Default `[<id>-instance-1]`. */
  instances?: string[];
}

export interface GlobalClusterSeed {
  id: string;
  engine?: string;
  engineVersion?: string;
  /** One member per region; exactly one has `writer: true`. */
  members: Array<
    AuroraClusterSeed & {
      writer?: boolean;
      /**
       * Replication lag behind the writer; a forced failover loses this much. Not in the RDS
       * API: CloudWatch serves it as `AuroraGlobalDBReplicationLag` (dimension
       * `DBClusterIdentifier`, in the member's region), a sample a minute while the member
       * replicates as a secondary.
       */
      lagMs?: number;
    }
  >;
}

export interface DbInstanceSeed {
  id: string;
  region: string;
  engine?: string;
  engineVersion?: string;
  instanceClass?: string;
  multiAz?: boolean;
  /** Default `<region>a`. */
  availabilityZone?: string;
  /** Multi-AZ standby zone. Default `<region>b`. */
  secondaryAvailabilityZone?: string;
  status?: string;
  /**
   * Read replicas of this instance, in this region or others. `lagMs` (default 0) is not in the
   * RDS API: CloudWatch serves it as `ReplicaLag` (dimension `DBInstanceIdentifier`, in the
   * replica's region, in seconds), a sample a minute until the replica is promoted.
   */
  readReplicas?: Array<{
    id: string;
    region: string;
    availabilityZone?: string;
    instanceClass?: string;
    lagMs?: number;
  }>;
}

// --- EKS ------------------------------------------------------------------

export interface EksSeed {
  clusters?: EksClusterSeed[];
}

export interface EksClusterSeed {
  name: string;
  region: string;
  version?: string;
  nodegroups?: NodegroupSeed[];
  /**
   * The `kubernetes` seed cluster DescribeCluster's `endpoint` points at
   * (`<emulator>/kubernetes/<apiServer>`). Default `eks.<region>.<name>`.
   */
  apiServer?: string;
}

export interface NodegroupSeed {
  name: string;
  minSize: number;
  maxSize: number;
  desiredSize: number;
  instanceTypes?: string[];
  capacityType?: 'ON_DEMAND' | 'SPOT';
  /** Default `ACTIVE`. */
  status?: 'ACTIVE' | 'DEGRADED';
  /** Health issues reported on the node group (a DEGRADED group has at least one). */
  healthIssues?: Array<{ code: string; message: string; resourceIds?: string[] }>;
}
