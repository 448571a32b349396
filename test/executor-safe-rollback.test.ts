// Issue 19.3: rollback never undoes what protects a promotion that stays done. A DNS switch
// that fails for good after the promotion leaves the fence, the scale-up the switch needs and
// the promotion in place: the run ends "failed over partially", traffic held in the target region.
import {
  createVirtualTime,
  database,
  definePlan,
  dns,
  type FailoverPlan,
  renderReportMarkdown,
  runPlan,
  scale,
  writerRegion,
} from '@failover/core';
import { createSimulatedWorld } from '@failover/testing';
import { describe, expect, it } from 'vitest';
import { standardSeed } from '../packages/testing/test/fixtures.js';

const api = { zone: 'example.com.', name: 'api.example.com.', type: 'A' };
const standbyPool = { cluster: 'prod-euw1', pool: 'general', region: 'eu-west-1' };

function plan(options: { promote: boolean }): FailoverPlan {
  const builder = definePlan({
    id: 'fence-promote-switch',
    name: 'fence, promote, switch',
    sourceRegion: 'us-east-1',
    targetRegion: 'eu-west-1',
  })
    .step(dns.fence('fence', { provider: 'dns', record: api, target: 'primary' }))
    .step(scale.pool('scale-up', { provider: 'k8s', pool: standbyPool, desired: 6, min: 3, max: 12 }))
    .after('fence');
  const withPromotion = options.promote
    ? builder
        .step(
          database.ensureWriter('promote', {
            provider: 'db',
            database: { id: 'orders' },
            region: 'eu-west-1',
            mode: 'planned',
          }),
        )
        .after('fence')
        .step(dns.switchActive('switch', { provider: 'dns', record: api, target: 'secondary' }))
        .after('promote', 'scale-up')
    : builder
        .step(dns.switchActive('switch', { provider: 'dns', record: api, target: 'secondary' }))
        .after('scale-up');
  return withPromotion.build()._unsafeUnwrap();
}

function setUp(error: 'unexpected' | 'conflict' = 'unexpected') {
  const world = createSimulatedWorld({ seed: 19, time: createVirtualTime() }).seed(standardSeed);
  // The fence is the first DNS change; the switch (the second) fails for good.
  world.faults.schedule({
    operation: 'ensureRecordSet',
    call: 2,
    count: error === 'conflict' ? 1 : 20,
    fault: { kind: 'error', error, retryable: false, message: 'permanent failure' },
  });
  const options = {
    providers: { dns: world.dnsProvider(), db: world.databaseFailover(), k8s: world.clusterScaler() },
    time: world.time,
  };
  return { world, options };
}

const primaryEnabled = (world: ReturnType<typeof setUp>['world']) =>
  world.recordSet(api)!.targets.find((target) => target.id === 'primary')!.enabled;

describe('safe rollback', () => {
  it('keeps the fence and what the promotion stands on when a step after it fails', async () => {
    const { world, options } = setUp();
    const run = (await runPlan(plan({ promote: true }), options))._unsafeUnwrap();

    expect(run.status).toBe('failed');
    expect(run.steps.find((s) => s.stepId === 'switch')?.status).toBe('failed');
    // Traffic held in the target region: the writer stays in eu-west-1 and the fence stays.
    expect(writerRegion(world.database('orders').topology())).toBe('eu-west-1');
    expect(primaryEnabled(world)).toBe(false);
    expect(world.pool(standbyPool).state().desired).toBe(6);

    expect(run.partialFailover).toMatchObject({
      irreversible: ['promote'],
      unfinished: ['switch'],
    });
    expect(run.partialFailover!.summary).toContain('failed over partially');
    // The switch may have been applied before its 500: it is left to be finished forward, not undone.
    expect(run.partialFailover!.kept.map((kept) => kept.stepId).sort()).toEqual([
      'fence',
      'scale-up',
      'switch',
    ]);
    expect(run.rollback?.steps.map((step) => [step.stepId, step.status])).toEqual([
      ['promote', 'irreversible'],
    ]);
    // Nothing was undone: the only mutating calls are the fence, the scale-up and the promotion.
    expect(world.callCounts({ mutating: true })).toEqual({
      ensureRecordSet: 1,
      ensureSize: 1,
      ensureWriter: 1,
    });

    expect(run.report.partialFailover?.unfinished).toEqual(['switch']);
    const markdown = renderReportMarkdown(run.report);
    expect(markdown).toContain('failed over partially');
    expect(markdown).toContain('The operator must finish');
  });

  it('without a promotion, rollback still undoes the fence and the scale-up', async () => {
    const { world, options } = setUp('conflict');
    const run = (await runPlan(plan({ promote: false }), options))._unsafeUnwrap();
    expect(run.status).toBe('rolled-back');
    expect(run.partialFailover).toBeUndefined();
    expect(primaryEnabled(world)).toBe(true);
    expect(world.pool(standbyPool).state().desired).toBe(2);
  });

  it("a step marked rollback: 'never' is never undone, nor what it depends on", async () => {
    const { world, options } = setUp();
    const marked = definePlan({
      id: 'never',
      name: 'never',
      sourceRegion: 'us-east-1',
      targetRegion: 'eu-west-1',
    })
      .step(dns.fence('fence', { provider: 'dns', record: api, target: 'primary' }))
      .step(
        scale.pool(
          'scale-up',
          { provider: 'k8s', pool: standbyPool, desired: 6, min: 3, max: 12 },
          { rollback: 'never' },
        ),
      )
      .after('fence')
      .step(dns.switchActive('switch', { provider: 'dns', record: api, target: 'secondary' }))
      .after('scale-up')
      .build()
      ._unsafeUnwrap();
    const run = (await runPlan(marked, options))._unsafeUnwrap();
    expect(run.status).toBe('failed');
    expect(run.partialFailover?.irreversible).toEqual(['scale-up']);
    expect(world.pool(standbyPool).state().desired).toBe(6);
    expect(primaryEnabled(world)).toBe(false);
  });
});
