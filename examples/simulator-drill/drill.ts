// A regional failover drill on the in-memory simulator: a realistic plan runs in
// simulated time (minutes of cloud operations in milliseconds) and prints the report.
//
//   node --conditions=@failover/source --import tsx examples/simulator-drill/drill.ts
import {
  approveSteps,
  check,
  createVirtualTime,
  database,
  definePlan,
  dns,
  renderReportMarkdown,
  runPlan,
  scale,
  verify,
} from '@failover/core';
import { createSimulatedWorld } from '@failover/testing';

const record = { zone: 'example.com.', name: 'shop.example.com.', type: 'A' };
const db = { provider: 'database', database: { id: 'shop-global' } };
const standby = { cluster: 'shop-west', pool: 'app', region: 'us-west-2' };

const plan = definePlan({
  id: 'shop-failover',
  name: 'Shop regional failover (simulated)',
  sourceRegion: 'us-east-1',
  targetRegion: 'us-west-2',
  objectives: { rtoMs: 15 * 60_000, rpoMs: 5_000 },
})
  .step(check.replicationLag('lag-ok', { ...db, maxLagMs: 5_000 }))
  .step(check.dnsTtl('ttl-ok', { provider: 'dns', record, maxTtl: 60 }))
  .step(check.poolReady('standby-healthy', { provider: 'cluster', pool: standby, minReady: 2 }))
  .step(
    scale.pool(
      'scale-standby',
      { provider: 'cluster', pool: standby, desired: 6 },
      { dependsOn: ['standby-healthy'] },
    ),
  )
  .step(
    dns.fence(
      'drain-primary',
      { provider: 'dns', record, target: 'us-east-1' },
      { dependsOn: ['ttl-ok', 'lag-ok'] },
    ),
  )
  .step(
    database.ensureWriter(
      'promote',
      { ...db, region: 'us-west-2', mode: 'planned' },
      { dependsOn: ['drain-primary'] },
    ),
  )
  .step(
    dns.switchActive(
      'switch-dns',
      { provider: 'dns', record, target: 'us-west-2' },
      { dependsOn: ['promote', 'scale-standby'] },
    ),
  )
  .step(
    verify(
      'writer-in-west',
      { type: 'database-writer', ...db, region: 'us-west-2' },
      { timeoutMs: 5 * 60_000, dependsOn: ['switch-dns'] },
    ),
  )
  .build();

if (plan.isErr()) {
  console.error(plan.error.message);
  process.exit(2);
}

const time = createVirtualTime();
const world = createSimulatedWorld({ seed: 7, time }).seed({
  regions: ['us-east-1', 'us-west-2'],
  dns: {
    zones: [
      {
        name: 'example.com.',
        records: [
          {
            name: 'shop.example.com.',
            type: 'A',
            ttl: 60,
            routing: 'failover',
            targets: [
              {
                id: 'us-east-1',
                values: ['198.51.100.10'],
                priority: 1,
                enabled: true,
                location: 'us-east-1',
              },
              {
                id: 'us-west-2',
                values: ['203.0.113.20'],
                priority: 2,
                enabled: true,
                location: 'us-west-2',
              },
            ],
          },
        ],
      },
    ],
  },
  databases: [
    {
      id: 'shop-global',
      members: [
        { id: 'shop-east', region: 'us-east-1', role: 'writer' },
        { id: 'shop-west', region: 'us-west-2', role: 'reader' },
      ],
    },
  ],
  pools: [{ ...standby, desired: 2, min: 2, max: 12 }],
});

const result = await runPlan(plan.value, {
  providers: { dns: world.dnsProvider(), database: world.databaseFailover(), cluster: world.clusterScaler() },
  time,
  approver: approveSteps(['*']),
  random: () => 0.5,
  onEvent: (event) => {
    if (event.type === 'step-end') console.log(`  ${event.status.padEnd(9)} ${event.stepId}`);
  },
});

if (result.isErr()) {
  console.error(`The drill could not run: ${result.error.message}`);
  process.exit(1);
}
console.log(`\n${renderReportMarkdown(result.value.report)}`);
process.exit(result.value.status === 'succeeded' ? 0 : 1);
