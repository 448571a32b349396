// The simulator's DNS declares a weight scale (1 % = weight 1, whole weights), so plans that
// give portable percentages (`weightPercents`) and a failback's advance-only canary stages
// (`advanceTowards`) run on it through the executor.
import {
  createVirtualTime,
  type DnsDesiredState,
  definePlan,
  type FailoverPlan,
  type PlanValidationError,
  runPlan,
} from '@failover/core';
import { describe, expect, it } from 'vitest';
import { createSimulatedWorld, type SimulatedDnsProviderOptions } from '../src/index.js';
import { appRecordRef as ref, weightedAppRecord } from './fixtures.js';

const back = { use1: 100, euw1: 0 };

function setUp(use1: number, euw1: number, providerOptions: SimulatedDnsProviderOptions = {}) {
  const world = createSimulatedWorld({ seed: 11, time: createVirtualTime() }).seed({
    regions: ['us-east-1', 'eu-west-1'],
    dns: { zones: [{ name: 'example.com.', id: 'Z1', records: [weightedAppRecord(use1, euw1)] }] },
  });
  const dns = world.dnsProvider('sim.dns', providerOptions);
  const run = (plan: FailoverPlan, dryRun = false) =>
    runPlan(plan, { providers: { dns }, time: world.time, dryRun });
  const weights = () => world.recordSet(ref)!.targets.map((t) => [t.id, t.weight]);
  const mutating = () => world.calls({ mutating: true }).length;
  return { world, dns, run, weights, mutating };
}

/** A one-step plan that sets the record's weights as `desired` says. */
const stagePlan = (id: string, desired: DnsDesiredState): FailoverPlan =>
  definePlan({
    id: `failback-${id}`,
    name: `failback ${id}`,
    sourceRegion: 'eu-west-1',
    targetRegion: 'us-east-1',
  })
    .step({ id, kind: 'action', action: { type: 'dns', provider: 'dns', record: ref, desired } })
    .build()
    ._unsafeUnwrap();

describe('weightPercents on the simulated DNS', () => {
  it('declares whole weights, 1 % as weight 1, 0 % as weight 0', () => {
    const { dns } = setUp(0, 100);
    expect(dns.capabilities.weightScale).toEqual({
      perPercent: 1,
      max: Number.MAX_SAFE_INTEGER,
      integer: true,
      zero: 'weight',
    });
  });

  it('moves a weighted record 10/90 -> 50/50 -> 100/0, one change per stage', async () => {
    const { run, weights, mutating } = setUp(0, 100);
    const stages = [
      ['to-10', 10],
      ['to-50', 50],
      ['to-100', 100],
    ] as const;
    for (const [index, [id, use1]] of stages.entries()) {
      const dry = (
        await run(stagePlan(id, { weightPercents: { use1, euw1: 100 - use1 } }), true)
      )._unsafeUnwrap();
      expect(dry.diffs?.[id]).toMatchObject({ type: 'dns', wouldChange: true });
      expect(mutating()).toBe(index);

      const result = (
        await run(stagePlan(id, { weightPercents: { use1, euw1: 100 - use1 } }))
      )._unsafeUnwrap();
      expect(result.status).toBe('succeeded');
      expect(result.steps.find((s) => s.stepId === id)?.changed).toBe(true);
      expect(mutating()).toBe(index + 1);
      expect(weights()).toEqual([
        ['use1', use1],
        ['euw1', 100 - use1],
      ]);
    }
  });

  it('refuses a share it cannot say in whole weights before any call', async () => {
    const { run, weights, mutating } = setUp(0, 100);
    const result = await run(stagePlan('to-33', { weightPercents: { use1: 33.5, euw1: 66.5 } }));
    expect((result._unsafeUnwrapErr() as PlanValidationError).problems).toEqual([
      expect.objectContaining({
        path: 'steps[0].action.desired.weightPercents.use1',
        code: 'inexpressible-weight',
      }),
    ]);
    expect(mutating()).toBe(0);
    expect(weights()).toEqual([
      ['use1', 0],
      ['euw1', 100],
    ]);
  });

  it('declared away (weightScale: undefined), it takes raw weights only, as an adapter without a scale', async () => {
    const { dns, run, mutating } = setUp(0, 100, { capabilities: { weightScale: undefined } });
    expect(dns.capabilities.weightScale).toBeUndefined();
    const result = await run(stagePlan('to-10', { weightPercents: { use1: 10, euw1: 90 } }));
    expect((result._unsafeUnwrapErr() as PlanValidationError).problems).toEqual([
      expect.objectContaining({ path: 'steps[0].action.desired.weightPercents', code: 'missing-capability' }),
    ]);
    expect(mutating()).toBe(0);
  });
});

describe('an advance-only stage (advanceTowards) on the simulated DNS', () => {
  const canary = (id: string, use1: number) =>
    stagePlan(id, { weightPercents: { use1, euw1: 100 - use1 }, advanceTowards: back });

  it('on a record already at 100 %: no mutating call, in sync, and the evidence says why', async () => {
    const { run, weights, mutating } = setUp(100, 0);
    for (const [id, use1] of [
      ['to-10', 10],
      ['to-50', 50],
    ] as const) {
      const dry = (await run(canary(id, use1), true))._unsafeUnwrap();
      expect(dry.diffs?.[id]).toEqual({ type: 'dns', wouldChange: false, differences: [] });

      const result = (await run(canary(id, use1)))._unsafeUnwrap();
      expect(result.status).toBe('succeeded');
      const step = result.steps.find((s) => s.stepId === id)!;
      expect(step.changed).toBe(false);
      expect(step.evidence).toMatchObject({
        type: 'weights-already-advanced',
        leading: ['use1'],
        observedPercent: 100,
        stagePercent: use1,
      });
    }
    expect(mutating()).toBe(0);
    expect(weights()).toEqual([
      ['use1', 100],
      ['euw1', 0],
    ]);
  });

  it('below its stage it sets the stage, once; run again it is in sync', async () => {
    const { run, weights, mutating } = setUp(0, 100);
    const first = (await run(canary('to-10', 10)))._unsafeUnwrap();
    expect(first.steps.find((s) => s.stepId === 'to-10')?.changed).toBe(true);
    expect(first.steps.find((s) => s.stepId === 'to-10')?.evidence).toBeUndefined();
    expect(mutating()).toBe(1);
    expect(weights()).toEqual([
      ['use1', 10],
      ['euw1', 90],
    ]);

    const again = (await run(canary('to-10', 10)))._unsafeUnwrap();
    expect(again.steps.find((s) => s.stepId === 'to-10')?.changed).toBe(false);
    expect(mutating()).toBe(1);
  });

  it('a lost answer on the 10 % change is not re-sent: one change applied, the step changed', async () => {
    const { world, run, weights, mutating } = setUp(0, 100);
    world.faults.schedule({ operation: 'ensureRecordSet', fault: { kind: 'lost-answer' } });
    const result = (await run(canary('to-10', 10)))._unsafeUnwrap();
    expect(result.status).toBe('succeeded');
    const step = result.steps.find((s) => s.stepId === 'to-10')!;
    expect(step.changed).toBe(true);
    expect(step.evidence).toBeUndefined();
    expect(world.calls().some((c) => c.fault === 'lost-answer')).toBe(true);
    expect(mutating()).toBe(1);
    expect(weights()).toEqual([
      ['use1', 10],
      ['euw1', 90],
    ]);
  });
});
