// The unplanned failover of the e-commerce platform when us-east-1 is gone, region and all:
// its API endpoints, its database writer, and Route 53's control plane (homed there). Nothing
// here needs us-east-1 to answer. Run it as a drill:
//
//   npx -y pnpm@10.34.8 drill:region-outage
//   # = failover drill examples/region-outage/plan.ts --scenario region-outage --approve approve-data-loss
import { approval, check, database, definePlan, dns, scale, verify } from '@failover/core';

/** What the plan talks about, exported so providers.ts seeds the same world. */
export const outage = {
  sourceRegion: 'us-east-1',
  targetRegion: 'us-west-2',
  /** Fronted by Route 53 failover records gated by ARC routing controls (RECOVERY_CONTROL health checks). */
  apiName: 'api.ecommerce.com.',
  /** The Aurora writer endpoint in us-east-1, as the application reaches it. */
  writerEndpoint: 'ecommerce-global.cluster-writer.us-east-1',
  /**
   * Probes of the old writer. In the drill they are loopback ports nothing listens on (a dark
   * region refuses or never answers); in production: the writer's endpoint and port from a
   * few vantage points, and the region's API health URLs.
   */
  writerProbes: ['tcp://127.0.0.1:9', 'tcp://127.0.0.1:7', 'tcp://127.0.0.1:13'],
  database: { id: 'ecommerce-global' },
  sourcePool: { cluster: 'ecommerce-prod', pool: 'app-nodes', region: 'us-east-1' },
  standbyPool: { cluster: 'ecommerce-prod', pool: 'app-nodes', region: 'us-west-2' },
} as const;

const arc = { provider: 'arc', record: { name: outage.apiName } } as const;

/**
 * 0. The surviving secondary's replication lag, read in us-west-2: the bound of the data
 *    a forced promotion loses (the drill prints the value its warm-up saw before the outage).
 * 1. Two fences, neither touching us-east-1: ARC turns the us-east-1 routing control Off
 *    through whichever of the cluster's five regional endpoints answers (Route 53 then stops
 *    answering with us-east-1, with no control-plane call), and evidence that the old writer
 *    has been unreachable by 2 of 3 probes for a minute without a break.
 * 2. The forced promotion, behind an approval: it names what fronts the database
 *    (`frontedBy`), and validation checks that a fence before it covers each name.
 * 3. Once approved, beside the promotion, the standby node group scales to 100 % of the us-east-1 one: that pool cannot
 *    be read any more, so its last recorded capacity is used, and the report says so.
 * 4. Traffic: the us-west-2 routing control is On, and verified through ARC.
 */
export const regionOutagePlan = definePlan({
  id: 'ecommerce-region-outage',
  name: 'E-commerce unplanned failover: us-east-1 is dark',
  sourceRegion: outage.sourceRegion,
  targetRegion: outage.targetRegion,
  objectives: { rtoMs: 15 * 60_000, rpoMs: 1_000 },
})
  .step(
    check.replicationLag(
      'secondary-lag',
      { provider: 'aurora', database: outage.database, region: outage.targetRegion, maxLagMs: 1_000 },
      { name: 'us-west-2 replicated to within the RPO (read in us-west-2)' },
    ),
  )
  .parallel('fence', [
    dns.fence(
      'fence-arc',
      { ...arc, target: 'us-east-1' },
      {
        name: 'ARC: routing control us-east-1 Off',
        // Never undone by a rollback: traffic must not be sent back to a dark region.
        reversible: false,
      },
    ),
    check.primaryUnreachable(
      'writer-unreachable',
      {
        fences: [outage.writerEndpoint],
        probes: [...outage.writerProbes],
        quorum: 2,
        forMs: 60_000,
        intervalMs: 15_000,
        probeTimeoutMs: 2_000,
      },
      { name: 'Evidence: the us-east-1 writer is unreachable for 1 minute', timeoutMs: 5 * 60_000 },
    ),
  ])
  .step(
    approval(
      'approve-data-loss',
      'us-east-1 is dark. Promote ecommerce-global in us-west-2, losing the writes not yet replicated?',
      { timeoutMs: 15 * 60_000 },
    ),
  )
  .after('fence', 'secondary-lag')
  .step(
    database.ensureWriter(
      'promote-aurora',
      {
        provider: 'aurora',
        database: outage.database,
        frontedBy: [outage.apiName, outage.writerEndpoint],
        region: outage.targetRegion,
        mode: 'forced',
        // Detach the us-west-2 cluster (RemoveFromGlobalCluster, sent to us-west-2): the path
        // that needs nothing from the dark primary region.
        providerOptions: { 'aws.aurora': { forcedStrategy: 'detach' } },
      },
      { name: 'Aurora global failover, data loss allowed', timeoutMs: 20 * 60_000 },
    ),
  )
  .after('approve-data-loss')
  .step(
    scale.pool(
      'scale-standby',
      {
        provider: 'eks',
        pool: outage.standbyPool,
        desired: { percentOf: { provider: 'eks', pool: outage.sourcePool }, percent: 100 },
        min: 2,
        max: 12,
      },
      { name: 'Scale us-west-2 to the recorded us-east-1 capacity', timeoutMs: 20 * 60_000 },
    ),
  )
  .after('approve-data-loss')
  .step(
    dns.enableTarget(
      'switch-traffic',
      { ...arc, target: 'us-west-2' },
      { name: 'ARC: routing control us-west-2 On' },
    ),
  )
  .after('promote-aurora', 'scale-standby')
  .step(
    verify('serving-from-west', check.dnsActiveTarget('_', { ...arc, target: 'us-west-2' }), {
      name: 'Route 53 answers with us-west-2 (read through ARC)',
      timeoutMs: 5 * 60_000,
      intervalMs: 10_000,
    }),
  )
  .after('switch-traffic')
  .toPlan();

export default regionOutagePlan;
