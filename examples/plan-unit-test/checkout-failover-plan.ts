// The checkout service's regional failover, us-east-1 -> us-west-2, as a plan module.
// The default export is what `failover validate|graph|run|drill` load; tests import
// `checkoutFailover()` and the refs below.
import {
  approval,
  check,
  database,
  definePlan,
  dns,
  type FailoverMode,
  notify,
  type PlanBuilder,
  scale,
  verify,
} from '@failover/core';

/** What the plan talks about. Provider names (`dns`, `db`, `k8s`) are bound when it runs. */
export const checkout = {
  record: { zone: 'example.com.', name: 'checkout.example.com.', type: 'A' },
  database: { id: 'checkout-db' },
  standbyPool: { cluster: 'checkout-west', pool: 'app', region: 'us-west-2' },
  sourceRegion: 'us-east-1',
  targetRegion: 'us-west-2',
} as const;

const { record, standbyPool } = checkout;
const db = { provider: 'db', database: checkout.database };

/**
 * Pre-flight checks, then the standby pool scales up while DNS stops sending traffic to
 * us-east-1; the database writer moves to us-west-2; DNS switches; the switch is verified.
 *
 * `mode: 'forced'` (the old writer is gone, data loss accepted) adds the approval that
 * validation requires before a forced promotion; the DNS fence is there in both modes,
 * on the record the promotion names in `frontedBy`.
 */
export function checkoutFailover(mode: FailoverMode = 'planned'): PlanBuilder {
  const plan = definePlan({
    id: `checkout-failover-${mode}`,
    name: `Checkout failover to us-west-2 (${mode})`,
    sourceRegion: checkout.sourceRegion,
    targetRegion: checkout.targetRegion,
    objectives: { rtoMs: 15 * 60_000 },
  })
    .parallel('preflight', [
      check.databaseWriter('writer-in-east', { ...db, region: 'us-east-1' }),
      check.dnsTtl('ttl-low', { provider: 'dns', record, maxTtl: 60 }),
      check.poolReady('standby-up', { provider: 'k8s', pool: standbyPool, minReady: 2 }),
    ])
    .step(scale.pool('scale-standby', { provider: 'k8s', pool: standbyPool, desired: 6, min: 3, max: 12 }))
    .after('preflight')
    .step(dns.fence('drain-east', { provider: 'dns', record, target: 'us-east-1' }))
    .after('preflight');

  const gated =
    mode === 'forced'
      ? plan
          .step(
            approval('approve-data-loss', 'Promote checkout-db in us-west-2, losing unreplicated writes?', {
              timeoutMs: 15 * 60_000,
            }),
          )
          .after('drain-east')
      : plan;

  return gated
    .step(database.ensureWriter('promote', { ...db, frontedBy: [record.name], region: 'us-west-2', mode }))
    .after(mode === 'forced' ? 'approve-data-loss' : 'drain-east')
    .step(dns.switchActive('switch-dns', { provider: 'dns', record, target: 'us-west-2' }))
    .after('promote', 'scale-standby')
    .step(
      verify(
        'serving-from-west',
        check.dnsActiveTarget('_', { provider: 'dns', record, target: 'us-west-2' }),
        { timeoutMs: 5 * 60_000, intervalMs: 10_000 },
      ),
    )
    .after('switch-dns')
    .step(notify('tell-oncall', 'slack:#checkout-oncall', 'Checkout now serves from us-west-2.'))
    .after('serving-from-west');
}

export default checkoutFailover();
