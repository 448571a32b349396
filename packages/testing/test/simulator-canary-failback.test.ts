// A generated canary failback (failbackPlan: 10 % -> 50 % -> 100 %) runs on the simulator,
// whose DNS declares a weight scale; run again once done, it makes no mutating call.
import {
  createMemoryJournal,
  createVirtualTime,
  definePlan,
  dns,
  failbackPlan,
  runPlan,
  trafficShares,
} from '@failover/core';
import { describe, expect, it } from 'vitest';
import { createSimulatedWorld } from '../src/index.js';
import { appRecordRef as ref, weightedAppRecord } from './fixtures.js';

const failover = definePlan({
  id: 'app',
  name: 'app to eu-west-1',
  sourceRegion: 'us-east-1',
  targetRegion: 'eu-west-1',
})
  .step(dns.switchActive('switch', { provider: 'dns', record: ref, target: 'euw1' }))
  .build()
  ._unsafeUnwrap();

function failedOverWorld() {
  const world = createSimulatedWorld({ seed: 5, time: createVirtualTime() }).seed({
    regions: ['us-east-1', 'eu-west-1'],
    dns: {
      zones: [
        {
          name: 'example.com.',
          records: [weightedAppRecord(100, 0)],
        },
      ],
    },
  });
  const providers = { dns: world.dnsProvider() };
  const eastShare = () => trafficShares(world.recordSet(ref)!).use1 ?? 0;
  return { world, providers, eastShare };
}

describe('a canary failback on the simulator', () => {
  it('moves the traffic back 10 % -> 50 % -> 100 %, and run again changes nothing', async () => {
    const { world, providers, eastShare } = failedOverWorld();
    const journal = createMemoryJournal();
    const failed = (await runPlan(failover, { providers, time: world.time, journal }))._unsafeUnwrap();
    expect(failed.status).toBe('succeeded');
    expect(eastShare()).toBe(0);

    const plan = failbackPlan(failover, {
      providers,
      journal: journal.entries,
      stableForMs: 0,
      soakMs: 60_000,
    })._unsafeUnwrap().plan;
    // The share on the original target as each stage's soak begins: what users get then.
    const seen: Array<[string, number]> = [];
    const onEvent = (event: { type: string; stepId?: string }) => {
      if (event.type === 'step-start' && event.stepId?.startsWith('soak-'))
        seen.push([event.stepId, eastShare()]);
    };
    const before = world.calls({ mutating: true }).length;
    const first = (await runPlan(plan, { providers, time: world.time, onEvent }))._unsafeUnwrap();
    expect(first.status).toBe('succeeded');
    expect(seen).toEqual([
      ['soak-10', 10],
      ['soak-50', 50],
      ['soak-100', 100],
    ]);
    expect(world.calls({ mutating: true }).length - before).toBe(3);

    const settled = world.calls({ mutating: true }).length;
    const again = (await runPlan(plan, { providers, time: world.time }))._unsafeUnwrap();
    expect(again.status).toBe('succeeded');
    expect(world.calls({ mutating: true }).length).toBe(settled);
    expect(eastShare()).toBe(100);
    for (const percent of [10, 50]) {
      const stage = again.steps.filter((step) => step.stepId.endsWith(`-to-${percent}`));
      expect(stage).toHaveLength(1);
      expect(stage[0]).toMatchObject({
        changed: false,
        evidence: { type: 'weights-already-advanced', observedPercent: 100, stagePercent: percent },
      });
    }
  });
});
