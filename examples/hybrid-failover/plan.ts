// Hybrid automatic/manual failover (ADR 039) as code: `failover watch` evaluates the
// checks below and, on AUTOMATIC_FAILOVER, runs this plan once. The traffic switch goes
// ahead on its own; the database promotion waits for a human's approval (golden rule):
//
//   failover watch examples/hybrid-failover/plan.ts --providers examples/hybrid-failover/providers.ts \
//     --emulator --journal watch.jsonl
//   failover watch examples/hybrid-failover/plan.ts --journal watch.jsonl --grant approve-promotion
//
// `demo.ts` runs the whole story against the embedded emulator and loopback endpoints.
import {
  approval,
  check,
  database,
  definePlan,
  dns,
  type FailoverPlan,
  verify,
  type WatchSpec,
} from '@failover/core';

/** What the plan talks about, exported so providers.ts seeds the same world. */
export const hybrid = {
  sourceRegion: 'us-east-1',
  targetRegion: 'us-west-2',
  record: { zone: 'ecommerce.com.', name: 'api.ecommerce.com.', type: 'A' },
  database: { id: 'ecommerce-global' },
} as const;

const route53 = { provider: 'route53', record: hybrid.record } as const;
const aurora = { provider: 'aurora', database: hybrid.database } as const;

/**
 * ADR 039's layers for us-east-1: the public API and the checkout API (critical, probed
 * from three vantage points, 2 of 3 must agree, 3 failed rounds in a row), the Aurora
 * writer (critical), and the replication lag (informational: degradation is only monitored).
 * The policy is the ADR's default: every critical check failed is an automatic failover.
 */
export const watch: WatchSpec = {
  checks: [
    {
      name: 'api',
      class: 'critical',
      role: 'region',
      signal: 'api-us-east-1',
      intervalMs: 10_000,
      failureThreshold: 3,
      timeoutMs: 5_000,
      quorum: 2,
    },
    {
      name: 'checkout',
      class: 'critical',
      role: 'service',
      signal: 'checkout-us-east-1',
      intervalMs: 10_000,
      failureThreshold: 3,
      timeoutMs: 5_000,
      quorum: 2,
    },
    {
      name: 'replication-lag',
      class: 'informational',
      signal: 'aurora-lag',
      condition: { type: 'at-most', value: 1_000 },
      intervalMs: 30_000,
      failureThreshold: 3,
      timeoutMs: 10_000,
    },
  ],
  signals: [
    {
      id: 'aurora-lag',
      type: 'replication-lag',
      provider: 'aurora',
      database: hybrid.database,
      region: hybrid.targetRegion,
    },
  ],
};

/**
 * 1. Traffic (automatic): Route 53 makes us-west-2 the PRIMARY record and waits for INSYNC,
 *    then checks that the name answers from us-west-2.
 * 2. The promotion (a human's call): an approval, then the Aurora switchover to us-west-2,
 *    verified. Under `failover watch`, the approval is granted with `--grant approve-promotion`.
 */
export const hybridPlan: FailoverPlan = {
  ...definePlan({
    id: 'ecommerce-hybrid-failover',
    name: 'E-commerce hybrid failover: traffic on its own, promotion on approval',
    sourceRegion: hybrid.sourceRegion,
    targetRegion: hybrid.targetRegion,
    objectives: { rtoMs: 5 * 60_000 },
  })
    .step(
      dns.switchActive(
        'switch-traffic',
        { ...route53, target: hybrid.targetRegion },
        { name: 'Route 53: us-west-2 becomes PRIMARY' },
      ),
    )
    .step(
      verify('traffic-on-west', check.dnsActiveTarget('_', { ...route53, target: hybrid.targetRegion }), {
        name: 'api.ecommerce.com answers from us-west-2',
        timeoutMs: 5 * 60_000,
        intervalMs: 10_000,
      }),
    )
    .after('switch-traffic')
    .step(
      approval('approve-promotion', 'Traffic is on us-west-2. Promote the Aurora writer to us-west-2?', {
        timeoutMs: 30 * 60_000,
      }),
    )
    .after('traffic-on-west')
    .step(
      database.ensureWriter(
        'promote-aurora',
        { ...aurora, region: hybrid.targetRegion, mode: 'planned' },
        { name: 'Aurora global switchover to us-west-2', timeoutMs: 20 * 60_000 },
      ),
    )
    .after('approve-promotion')
    .step(
      verify('writer-on-west', check.databaseWriter('_', { ...aurora, region: hybrid.targetRegion }), {
        name: 'Aurora writer in us-west-2',
        timeoutMs: 5 * 60_000,
        intervalMs: 10_000,
      }),
    )
    .after('promote-aurora')
    .toPlan(),
  watch,
};

export default hybridPlan;
