// Cloud Aegis's unplanned failover: the primary region of every cloud is dark at once (AWS
// us-east-1 with Route 53's control plane, Azure East US, Google Cloud us-east1). The planned
// variant (examples/multi-cloud) drains each primary and switches over without data loss; here
// nothing may be asked of a dark region. Run it as a drill:
//
//   npx -y pnpm@10.34.8 drill:multi-cloud-region-outage
//   # = failover drill examples/multi-cloud-region-outage/plan.ts \
//   #     --providers examples/multi-cloud-region-outage/providers.ts \
//   #     --scenario region-outage --approve approve-data-loss
import { approval, check, database, definePlan, dns, scale, verify } from '@failover/core';
import { aegis } from '../multi-cloud/plan.js';

/** What this variant adds to Cloud Aegis: the ARC controls of the AWS name and the primary-region pools. */
export const outage = {
  /** `aws.api.aegis.io` on Route 53 failover records gated by ARC routing controls (one per region). */
  awsName: 'aws.api.aegis.io.',
  /** The production pools in the dark regions: their size is the DR pools' target, read from the record. */
  sourcePools: {
    aws: { cluster: 'aegis-primary', pool: 'primary', region: aegis.aws.primaryRegion },
    azure: { cluster: 'aegis-rg/aegis-aks', pool: 'agentpool' },
    gcp: { cluster: 'aegis-primary', pool: 'primary-pool', region: aegis.gcp.primaryRegion },
  },
  /** The SQL failover group as its West US server sees it: the East US one does not answer. */
  azureDatabase: { id: 'aegis-dr-rg/aegis-dr-sql/aegis-fog' },
  /** The Cloud SQL DR replica in us-central1: the primary in us-east1 does not answer. */
  gcpDatabase: { id: 'aegis-db-dr' },
} as const;

const { aws, azure, gcp } = aegis;
const backup = `backup-${gcp.drRegion}`;
const arc = { provider: 'aws-arc', record: { name: outage.awsName } } as const;
const trafficManager = { provider: 'azure-traffic-manager', record: azure.record } as const;
const cloudDns = { provider: 'gcp-cloud-dns', record: gcp.record } as const;
const aurora = { provider: 'aws-aurora', database: aws.database } as const;
const minutes = (count: number) => count * 60_000;
const verifyEvery = { timeoutMs: minutes(10), intervalMs: 10_000 };
// Never undone by a rollback: traffic must not go back to a dark region.
const fence = { reversible: false } as const;

/**
 * 0. Aurora's replication lag, read in us-west-2: the bound of what the forced promotion loses.
 * 1. One fence per cloud, each through a service the outage leaves answering: ARC's cluster
 *    data plane (any of five regional endpoints) turns the us-east-1 routing control Off;
 *    Traffic Manager (global) disables the East US endpoint; Cloud DNS (global) answers with
 *    the us-central1 backup only.
 * 2. One approval, then the three forced promotions, each addressed to its surviving side and
 *    naming what fronts its database (validation checks a fence before it covers each name);
 *    beside them, every DR pool scales to the recorded size of its dark production pool.
 * 3. Traffic: ARC's us-west-2 control On, Traffic Manager's West US endpoint first, Cloud DNS's
 *    primary target the DR address; each verified.
 */
export const multiCloudRegionOutage = definePlan({
  id: 'aegis-multi-cloud-region-outage',
  name: 'Cloud Aegis unplanned failover: the primary region of every cloud is dark',
  sourceRegion: aws.primaryRegion,
  targetRegion: aws.drRegion,
  targetRegionAliases: [azure.drRegion, gcp.drRegion],
  objectives: { rtoMs: minutes(30), rpoMs: minutes(5) },
})
  .step(
    check.replicationLag(
      'aws-replication-lag',
      { ...aurora, region: aws.drRegion, maxLagMs: 30_000 },
      { name: 'Aurora us-west-2 within the RPO (read in us-west-2)' },
    ),
  )
  .parallel('fence', [
    dns.fence(
      'fence-aws-arc',
      { ...arc, target: aws.primaryRegion },
      { ...fence, name: 'ARC: us-east-1 Off' },
    ),
    dns.fence(
      'fence-traffic-manager',
      { ...trafficManager, target: azure.primaryEndpoint },
      { ...fence, name: 'Traffic Manager: East US endpoint disabled' },
    ),
    dns.switchActive(
      'fence-cloud-dns',
      { ...cloudDns, target: backup },
      { ...fence, fence: true, traffic: false, name: 'Cloud DNS: only the us-central1 backup answers' },
    ),
  ])
  .step(
    approval(
      'approve-data-loss',
      'The primary regions of AWS, Azure and Google Cloud are dark. Promote every DR database, losing the writes not yet replicated?',
      { timeoutMs: minutes(15) },
    ),
  )
  .after('fence', 'aws-replication-lag')
  .parallel('promote', [
    database.ensureWriter(
      'promote-aurora',
      {
        ...aurora,
        region: aws.drRegion,
        mode: 'forced',
        frontedBy: [outage.awsName],
        // Detach the us-west-2 cluster (sent to us-west-2): nothing asked of us-east-1.
        providerOptions: { 'aws.aurora': { forcedStrategy: 'detach' } },
      },
      { timeoutMs: minutes(20) },
    ),
    database.ensureWriter(
      'promote-azure-sql',
      {
        provider: 'azure-sql',
        database: outage.azureDatabase,
        region: azure.drRegion,
        mode: 'forced',
        frontedBy: [azure.record.name],
      },
      { timeoutMs: minutes(20) },
    ),
    database.ensureWriter(
      'promote-cloud-sql',
      {
        provider: 'gcp-cloud-sql',
        database: outage.gcpDatabase,
        region: gcp.drRegion,
        mode: 'forced',
        frontedBy: [gcp.record.name],
      },
      { timeoutMs: minutes(20) },
    ),
  ])
  .after('approve-data-loss')
  .parallel(
    'scale-dr',
    [
      scale.pool('scale-eks', {
        provider: 'aws-eks',
        pool: aws.drPool,
        desired: { percentOf: { provider: 'aws-eks', pool: outage.sourcePools.aws }, percent: 100 },
        min: 3,
        max: 10,
      }),
      scale.pool('scale-aks', {
        provider: 'azure-aks',
        pool: azure.drPool,
        desired: { percentOf: { provider: 'azure-aks', pool: outage.sourcePools.azure }, percent: 100 },
      }),
      scale.pool('scale-gke', {
        provider: 'gcp-gke',
        pool: gcp.drPool,
        desired: { percentOf: { provider: 'gcp-gke', pool: outage.sourcePools.gcp }, percent: 100 },
      }),
    ],
    { timeoutMs: minutes(20) },
  )
  .after('approve-data-loss')
  .parallel('switch', [
    dns.enableTarget('switch-aws-arc', { ...arc, target: aws.drRegion }, { name: 'ARC: us-west-2 On' }),
    dns.switchActive('switch-traffic-manager', { ...trafficManager, target: azure.drEndpoint }),
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
      { traffic: true },
    ),
  ])
  .after('promote', 'scale-dr')
  .parallel('verify', [
    verify('aws-traffic', check.dnsActiveTarget('_', { ...arc, target: aws.drRegion }), verifyEvery),
    verify(
      'azure-traffic',
      check.dnsActiveTarget('_', { ...trafficManager, target: azure.drEndpoint }),
      verifyEvery,
    ),
    verify('gcp-traffic', check.dnsActiveTarget('_', { ...cloudDns, target: 'primary' }), verifyEvery),
  ])
  .after('switch')
  .toPlan();

export default multiCloudRegionOutage;
