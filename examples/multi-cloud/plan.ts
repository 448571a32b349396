// Cloud Aegis DR failover (seed runbook "DR Failover", full failover for a region outage)
// across AWS, Azure and Google Cloud, as a plan module. The default export is what
// `failover validate|graph|run|drill` load. Provider names are bound when the plan runs:
// providers.ts binds them to the real adapters pointed at @failover/emulator.
import { check, database, definePlan, dns, parallel, scale, sequential, verify } from '@failover/core';
import { kubernetesSteps } from '@failover/kubernetes';

/**
 * The three stacks of the platform, one per cloud, each with a primary and a DR region,
 * and the resources the runbook's per-CSP sections name. Exported so providers.ts seeds
 * the same world and tests can look at it.
 */
export const aegis = {
  aws: {
    primaryRegion: 'us-east-1',
    drRegion: 'us-west-2',
    /** Route 53 failover records; each target's SetIdentifier is its region. */
    record: { zone: 'aegis.io.', name: 'aws.api.aegis.io.', type: 'CNAME' },
    /** Aurora Global Database (writer in us-east-1, secondary cluster in us-west-2). */
    database: { id: 'aegis-global' },
    /** EKS managed node group of the DR cluster. */
    drPool: { cluster: 'aegis-dr', pool: 'primary', region: 'us-west-2' },
  },
  azure: {
    primaryRegion: 'eastus',
    drRegion: 'westus',
    /** Traffic Manager profile `aegis-tm` (Priority routing) in resource group aegis-rg. */
    record: { zone: 'aegis-rg', name: 'aegis-tm' },
    primaryEndpoint: 'primary-endpoint',
    drEndpoint: 'dr-endpoint',
    /** SQL failover group aegis-fog, as seen from its primary server aegis-sql. */
    database: { id: 'aegis-rg/aegis-sql/aegis-fog' },
    /** AKS agent pool of the DR cluster. */
    drPool: { cluster: 'aegis-dr-rg/aegis-dr-aks', pool: 'agentpool' },
  },
  gcp: {
    primaryRegion: 'us-east1',
    drRegion: 'us-central1',
    /** Cloud DNS primary/backup record: target `primary`, and `backup-us-central1`. */
    record: { zone: 'aegis-zone', name: 'api.gcp.aegis.io.', type: 'A' },
    /** The DR load balancer's address. */
    drAddress: '203.0.113.20',
    /** Cloud SQL primary aegis-db (us-east1) with its DR replica aegis-db-dr (us-central1). */
    database: { id: 'aegis-db' },
    /** GKE node pool of the regional DR cluster (3 zones). */
    drPool: { cluster: 'aegis-dr', pool: 'primary-pool', region: 'us-central1' },
  },
  /**
   * The application on each DR cluster (the `api` Deployment in `aegis`): one warm pod, four
   * in production. Each cluster's API server is a provider of its own (`aws-k8s`...).
   */
  workload: { kind: 'Deployment', namespace: 'aegis', name: 'api' },
  warmPods: 1,
  productionPods: 4,
  /** Warm standby size of every DR pool, and the production capacity (the runbook's 6). */
  warmNodes: 2,
  productionNodes: 6,
} as const;

const { aws, azure, gcp } = aegis;
const backup = `backup-${gcp.drRegion}`;
const route53 = { provider: 'aws-route53', record: aws.record } as const;
const trafficManager = { provider: 'azure-traffic-manager', record: azure.record } as const;
const cloudDns = { provider: 'gcp-cloud-dns', record: gcp.record } as const;
const aurora = { provider: 'aws-aurora', database: aws.database } as const;
const sqlGroup = { provider: 'azure-sql', database: azure.database } as const;
const cloudSql = { provider: 'gcp-cloud-sql', database: gcp.database } as const;
const eksPool = { provider: 'aws-eks', pool: aws.drPool } as const;
const aksPool = { provider: 'azure-aks', pool: azure.drPool } as const;
const gkePool = { provider: 'gcp-gke', pool: gcp.drPool } as const;

const minutes = (count: number) => count * 60_000;
const dbTimeout = { timeoutMs: minutes(20) };
const verifyEvery = { timeoutMs: minutes(10), intervalMs: 10_000 };

/**
 * 1. Pre-failover checklist, all clouds in parallel: every DR pool has its warm standby
 *    nodes ready, every DNS TTL is at most 60 s, Aurora's replication lag is below 30 s.
 * 2. Then, in parallel:
 *    - scale every DR pool to production capacity (EKS node group, AKS agent pool, GKE
 *      node pool);
 *    - drain: take the primary region out of every cloud's DNS (Route 53: the primary's
 *      health check disabled and inverted; Traffic Manager: the primary endpoint disabled;
 *      Cloud DNS: every answer from the DR backup). These are the fencing steps.
 * 3. Drain before promote: no database is promoted before the drain has finished on every
 *    cloud (the runbook's "disable new writes to primary, prevents split-brain"). Then one
 *    group per cloud, the three in parallel: promote the database (planned: Aurora
 *    switchover, SQL failover group planned failover, Cloud SQL switchover: no data loss),
 *    switch DNS to the DR region once the database and the cluster are up, and verify
 *    traffic, writer and capacity.
 *
 * The objectives are the runbook's for a region outage: RTO 30 minutes, RPO 5 minutes.
 */
export const multiCloudFailover = definePlan({
  id: 'aegis-multi-cloud-dr',
  name: 'Cloud Aegis DR failover: AWS, Azure and Google Cloud',
  description:
    'Full failover for a region outage (runbook "DR Failover"): drain every cloud, then promote, switch and verify per cloud. AWS us-east-1 → us-west-2, Azure eastus → westus, Google Cloud us-east1 → us-central1.',
  sourceRegion: aws.primaryRegion,
  targetRegion: aws.drRegion,
  // The same DR region as Azure and Google Cloud name it.
  targetRegionAliases: [azure.drRegion, gcp.drRegion],
  objectives: { rtoMs: minutes(30), rpoMs: minutes(5) },
})
  .parallel('preflight', [
    check.poolReady('aws-dr-nodes-ready', { ...eksPool, minReady: aegis.warmNodes }),
    check.dnsTtl('aws-dns-ttl', { ...route53, maxTtl: 60 }),
    // The runbook's "database replication lag < 30 s". Aurora reports it (CloudWatch); the
    // SQL failover group and Cloud SQL adapters do not, and their planned failovers wait for
    // the replicas to catch up anyway.
    check.replicationLag('aws-replication-lag', { ...aurora, region: aws.drRegion, maxLagMs: 30_000 }),
    check.poolReady('azure-dr-nodes-ready', { ...aksPool, minReady: aegis.warmNodes }),
    check.dnsTtl('azure-dns-ttl', { ...trafficManager, maxTtl: 60 }),
    check.poolReady('gcp-dr-nodes-ready', { ...gkePool, minReady: aegis.warmNodes }),
    check.dnsTtl('gcp-dns-ttl', { ...cloudDns, maxTtl: 60 }),
  ])
  .parallel(
    'scale-dr',
    [
      scale.pool('scale-eks', { ...eksPool, desired: aegis.productionNodes, min: 3, max: 10 }),
      scale.pool('scale-aks', { ...aksPool, desired: aegis.productionNodes }),
      // A regional GKE pool is sized per zone: 6 in all is 2 in each of the 3 zones.
      scale.pool('scale-gke', { ...gkePool, desired: aegis.productionNodes }),
    ],
    { dependsOn: ['preflight'], timeoutMs: minutes(20) },
  )
  // Once the nodes are up, the workloads on them: the api Deployment of each cluster.
  .parallel(
    'scale-workloads',
    (['aws', 'azure', 'gcp'] as const).map((cloud) =>
      kubernetesSteps.scale(
        `${cloud}-workloads`,
        { provider: `${cloud}-k8s`, workload: aegis.workload, replicas: aegis.productionPods },
        { name: `Scale api on the ${cloud.toUpperCase()} DR cluster` },
      ),
    ),
    { dependsOn: ['scale-dr'], timeoutMs: minutes(10) },
  )
  .parallel(
    'drain',
    [
      dns.fence('drain-route53', { ...route53, target: aws.primaryRegion }),
      dns.fence('drain-traffic-manager', { ...trafficManager, target: azure.primaryEndpoint }),
      // Cloud DNS has no disabled targets: the drain sends every answer to the backup.
      dns.switchActive('drain-cloud-dns', { ...cloudDns, target: backup }, { fence: true, traffic: false }),
    ],
    { dependsOn: ['preflight'] },
  )
  .parallel('failover', [
    sequential(
      'aws',
      [
        database.ensureWriter(
          'promote-aurora',
          { ...aurora, region: aws.drRegion, mode: 'planned' },
          dbTimeout,
        ),
        dns.switchActive(
          'switch-route53',
          { ...route53, target: aws.drRegion },
          { dependsOn: ['scale-eks', 'aws-workloads'] },
        ),
        parallel('verify-aws', [
          verify(
            'aws-traffic',
            check.dnsActiveTarget('_', { ...route53, target: aws.drRegion }),
            verifyEvery,
          ),
          verify('aws-writer', check.databaseWriter('_', { ...aurora, region: aws.drRegion }), verifyEvery),
          verify(
            'aws-capacity',
            check.poolReady('_', { ...eksPool, minReady: aegis.productionNodes }),
            verifyEvery,
          ),
        ]),
      ],
      { dependsOn: ['drain'] },
    ),
    sequential(
      'azure',
      [
        database.ensureWriter(
          'promote-azure-sql',
          { ...sqlGroup, region: azure.drRegion, mode: 'planned' },
          dbTimeout,
        ),
        dns.switchActive(
          'switch-traffic-manager',
          { ...trafficManager, target: azure.drEndpoint },
          { dependsOn: ['scale-aks', 'azure-workloads'] },
        ),
        parallel('verify-azure', [
          verify(
            'azure-traffic',
            check.dnsActiveTarget('_', { ...trafficManager, target: azure.drEndpoint }),
            verifyEvery,
          ),
          verify(
            'azure-writer',
            check.databaseWriter('_', { ...sqlGroup, region: azure.drRegion }),
            verifyEvery,
          ),
          verify(
            'azure-capacity',
            check.poolReady('_', { ...aksPool, minReady: aegis.productionNodes }),
            verifyEvery,
          ),
        ]),
      ],
      { dependsOn: ['drain'] },
    ),
    sequential(
      'gcp',
      [
        database.ensureWriter(
          'promote-cloud-sql',
          { ...cloudSql, region: gcp.drRegion, mode: 'planned' },
          dbTimeout,
        ),
        // The DR load balancer becomes the primary target (the runbook's `record-sets update
        // --rrdatas=dr-lb`), so answers stay in us-central1 whatever the health checks say.
        dns.upsert(
          'switch-cloud-dns',
          {
            ...cloudDns,
            type: 'A',
            routing: 'failover',
            ttl: 30,
            targets: [
              { id: 'primary', values: [gcp.drAddress], priority: 1, enabled: true },
              { id: backup, values: [gcp.drAddress], priority: 2, enabled: true, location: gcp.drRegion },
            ],
          },
          { dependsOn: ['scale-gke', 'gcp-workloads'], traffic: true },
        ),
        parallel('verify-gcp', [
          verify('gcp-traffic', check.dnsActiveTarget('_', { ...cloudDns, target: 'primary' }), verifyEvery),
          verify('gcp-writer', check.databaseWriter('_', { ...cloudSql, region: gcp.drRegion }), verifyEvery),
          verify(
            'gcp-capacity',
            check.poolReady('_', { ...gkePool, minReady: aegis.productionNodes }),
            verifyEvery,
          ),
        ]),
      ],
      { dependsOn: ['drain'] },
    ),
  ]);

export default multiCloudFailover;
