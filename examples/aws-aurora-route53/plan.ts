// The e-commerce platform's regional failover runbook (us-east-1 -> us-west-2) as a plan
// module. The default export (the planned switchover) is what `failover validate|graph|
// run|drill` load; `forcedPlan` (also the default export of forced-plan.ts) is the path for
// when the primary region is gone. Provider names (`route53`, `aurora`, `eks`) are bound
// when the plan runs: see providers.ts.
import {
  approval,
  check,
  database,
  definePlan,
  dns,
  type FailoverMode,
  type PlanBuilder,
  scale,
  verify,
} from '@failover/core';
import { kubernetesSteps } from '@failover/kubernetes';

/** What the runbook talks about, exported so providers.ts seeds the same world and tests can look at it. */
export const ecommerce = {
  sourceRegion: 'us-east-1',
  targetRegion: 'us-west-2',
  /** `api.ecommerce.com`: Route 53 failover records, one per region (SetIdentifier = region). */
  record: { zone: 'ecommerce.com.', name: 'api.ecommerce.com.', type: 'A' },
  /** The Aurora Global Database `ecommerce-global`. */
  database: { id: 'ecommerce-global' },
  /** The EKS managed node group of the secondary region's cluster. */
  standbyPool: { cluster: 'ecommerce-prod', pool: 'app-nodes', region: 'us-west-2' },
  /** Warm standby size, and the production capacity the runbook asks for (6 nodes across 3 AZs). */
  warmNodes: 2,
  productionNodes: 6,
  /** The application on the clusters: Deployments labelled `tier=web` in `shop`, and the Velero schedule backing the cluster state up. */
  workloads: { kind: 'Deployment', namespace: 'shop', labelSelector: 'tier=web' },
  veleroSchedule: 'hourly',
} as const;

const { record, standbyPool, sourceRegion, targetRegion } = ecommerce;
const route53 = { provider: 'route53', record } as const;
const aurora = { provider: 'aurora', database: ecommerce.database } as const;

/**
 * The runbook, section by section:
 *
 * 1. Prerequisites (§1), in parallel: the secondary node group is healthy (every warm
 *    standby node ready), Aurora replication lag is below 100 ms, the record's TTL is at
 *    most 60 s, the standby cluster's latest Velero backup is Completed and recent.
 * 2. Then, in parallel: scale the standby node group to production capacity, then restore
 *    the `shop` namespace with Velero from the latest hourly backup (checked fresh in the
 *    pre-flight) and scale the web tier to the replicas us-east-1 runs (read from that
 *    cluster, or as last recorded when it is dark); and fence the old primary by taking its
 *    Route 53 record out of rotation (its health check is disabled and inverted, as in §8's
 *    `update-health-check`).
 * 3. After the fence, Aurora global failover (§4): `planned` is SwitchoverGlobalCluster (no
 *    data loss); `forced` is FailoverGlobalCluster with AllowDataLoss (us-east-1 does not
 *    answer), behind an approval. (The runbook's detach, RemoveFromGlobalCluster, is
 *    `providerOptions: { 'aws.aurora': { forcedStrategy: 'detach' } }`; the detached cluster
 *    leaves the global database, so the writer check below could no longer see it.)
 * 4. After the promotion and the workloads' scale-up, the Route 53 switch: us-west-2 becomes the
 *    PRIMARY record, and the step waits until the change is INSYNC (§6).
 * 5. Verification (§7), in parallel: DNS answers with us-west-2, the writer is in
 *    us-west-2, the node group has its production capacity.
 *
 * The objectives are the runbook's: 15 minutes for an automated failover; the RPO is the
 * replication lag the pre-flight accepts (planned mode loses nothing).
 */
export function ecommerceFailover(mode: FailoverMode = 'planned'): PlanBuilder {
  const prepared = definePlan({
    id: `ecommerce-regional-failover-${mode}`,
    name: `E-commerce regional failover us-east-1 → us-west-2 (${mode})`,
    description:
      'Regional Failover Runbook (SEV-1) of the e-commerce platform as code: EKS, Aurora Global Database and Route 53.',
    sourceRegion,
    targetRegion,
    objectives: { rtoMs: 15 * 60_000, rpoMs: 100 },
  })
    .parallel('preflight', [
      check.poolReady(
        'standby-nodes-ready',
        { provider: 'eks', pool: standbyPool, minReady: ecommerce.warmNodes },
        { name: 'Secondary EKS node group healthy' },
      ),
      // In forced mode the primary is gone: its lag means nothing any more, the loss is approved.
      ...(mode === 'planned'
        ? [
            check.replicationLag(
              'replication-lag',
              { ...aurora, region: targetRegion, maxLagMs: 100 },
              { name: 'Aurora replication lag < 100 ms' },
            ),
          ]
        : []),
      check.dnsTtl('dns-ttl', { ...route53, maxTtl: 60 }, { name: 'Route 53 TTL ≤ 60 s' }),
      kubernetesSteps.backupFresh(
        'cluster-backup-fresh',
        { provider: 'k8s-west', schedule: ecommerce.veleroSchedule, maxAgeMs: 90 * 60_000 },
        { name: 'Velero: latest hourly backup Completed, < 90 min old' },
      ),
    ])
    .step(
      scale.pool(
        'scale-standby',
        {
          provider: 'eks',
          pool: standbyPool,
          desired: ecommerce.productionNodes,
          min: 3,
          max: 12,
        },
        { name: 'Scale the standby node group', timeoutMs: 20 * 60_000 },
      ),
    )
    .after('preflight')
    .step(
      kubernetesSteps.restore(
        'restore-cluster-state',
        {
          provider: 'k8s-west',
          schedule: ecommerce.veleroSchedule,
          maxBackupAgeMs: 90 * 60_000,
          includedNamespaces: ['shop'],
        },
        { name: 'Velero: restore shop from the latest backup', timeoutMs: 20 * 60_000 },
      ),
    )
    .after('scale-standby')
    .step(
      kubernetesSteps.scale(
        'scale-workloads',
        { provider: 'k8s-west', workload: ecommerce.workloads, replicas: { percentOfSource: 100 } },
        { name: "Scale the web tier to us-east-1's replicas", timeoutMs: 15 * 60_000 },
      ),
    )
    .after('restore-cluster-state')
    .step(
      dns.fence(
        'fence-primary',
        { ...route53, target: sourceRegion },
        { name: 'Fence: drain us-east-1 from Route 53' },
      ),
    )
    .after('preflight');

  const gated =
    mode === 'forced'
      ? prepared
          .step(
            approval(
              'approve-data-loss',
              'Fail ecommerce-global over to us-west-2 with data loss allowed? Writes not yet replicated from us-east-1 are lost.',
              { timeoutMs: 15 * 60_000 },
            ),
          )
          .after('fence-primary')
      : prepared;

  return gated
    .step(
      database.ensureWriter(
        'promote-aurora',
        // The fence on fence-primary covers this name: the one the application writes through.
        { ...aurora, frontedBy: [route53.record.name], region: targetRegion, mode },
        {
          name: mode === 'planned' ? 'Aurora global switchover' : 'Aurora global failover, data loss allowed',
          timeoutMs: 20 * 60_000,
        },
      ),
    )
    .after(mode === 'forced' ? ['fence-primary', 'approve-data-loss'] : ['fence-primary'])
    .step(
      dns.switchActive(
        'switch-dns',
        { ...route53, target: targetRegion },
        { name: 'Route 53: us-west-2 becomes PRIMARY (wait for INSYNC)' },
      ),
    )
    .after('promote-aurora', 'scale-workloads')
    .parallel(
      'verify',
      [
        verify('dns-on-secondary', check.dnsActiveTarget('_', { ...route53, target: targetRegion }), {
          name: 'api.ecommerce.com answers from us-west-2',
          timeoutMs: 5 * 60_000,
          intervalMs: 10_000,
        }),
        verify('writer-on-secondary', check.databaseWriter('_', { ...aurora, region: targetRegion }), {
          name: 'Aurora writer in us-west-2',
          timeoutMs: 5 * 60_000,
          intervalMs: 10_000,
        }),
        verify(
          'capacity-on-secondary',
          check.poolReady('_', { provider: 'eks', pool: standbyPool, minReady: ecommerce.productionNodes }),
          { name: 'Production capacity ready in us-west-2', timeoutMs: 10 * 60_000, intervalMs: 15_000 },
        ),
      ],
      { dependsOn: ['switch-dns'] },
    );
}

/** The planned failover: what the CLI loads. */
export default ecommerceFailover('planned');

/** The forced failover (us-east-1 unreachable): fenced and approved before the promotion. */
export const forcedPlan = ecommerceFailover('forced');
