// An advance-only weighted DNS step (desired.advanceTowards, a failback's canary stage)
// through the executor: in sync at or beyond its stage (no mutating call, evidence says
// why), set as usual below it, and undone to what it observed.
import { describe, expect, it } from 'vitest';
import type { DnsDesiredState } from '../providers/dns/dns-desired-state.js';
import type { DnsRecordSet } from '../providers/dns/dns-record-set.js';
import { createVirtualTime } from '../time/virtual-time.js';
import { runPlan } from './run-plan.js';
import {
  type FakeDns,
  fakeCluster,
  fakeDns,
  mutatingCalls,
  nodePool,
} from './test-support/fake-providers.js';
import { testPlan } from './test-support/test-plans.js';

const name = 'api.example.com';
const record = (primary: number, secondary: number, ttl = 60): DnsRecordSet => ({
  name,
  type: 'CNAME',
  ttl,
  routing: 'weighted',
  targets: [
    { id: 'primary', values: ['primary.example.com'], weight: primary, enabled: true },
    { id: 'secondary', values: ['secondary.example.com'], weight: secondary, enabled: true },
  ],
});
const towards = { primary: 100, secondary: 0 };

function setup(primary: number, secondary: number) {
  const time = createVirtualTime();
  const fake = fakeDns(time, [record(primary, secondary)]);
  // Route 53's scale: 1 % is weight 1.
  const dns: FakeDns = {
    ...fake,
    capabilities: {
      ...fake.capabilities,
      weightScale: { perPercent: 1, max: 255, integer: true, zero: 'weight' },
    },
  };
  const k8s = fakeCluster(time, [nodePool('eu', 'workers', 2)]);
  return { time, fake, providers: { dns, k8s } };
}

const stage = (id: string, primary: number, extra: Partial<DnsDesiredState> = {}, dependsOn?: string[]) => ({
  id,
  kind: 'action' as const,
  ...(dependsOn && { dependsOn }),
  action: {
    type: 'dns' as const,
    provider: 'dns',
    record: { name },
    desired: { weightPercents: { primary, secondary: 100 - primary }, advanceTowards: towards, ...extra },
  },
});
const weights = (fake: FakeDns) => fake.records.get(name)!.targets.map((target) => target.weight);

describe('an advance-only DNS step (advanceTowards)', () => {
  it('at or beyond its stage: no mutating call, unchanged, and its evidence says why; dry-run shows no change', async () => {
    for (const [primary, secondary] of [
      [10, 90],
      [50, 50],
      [100, 0],
    ] as const) {
      const w = setup(primary, secondary);
      const plan = testPlan([stage('to-10', 10)]);
      const dry = (
        await runPlan(plan, { providers: w.providers, time: w.time, dryRun: true })
      )._unsafeUnwrap();
      expect(dry.diffs?.['to-10']).toEqual({ type: 'dns', wouldChange: false, differences: [] });
      const run = (await runPlan(plan, { providers: w.providers, time: w.time }))._unsafeUnwrap();
      expect(run.status).toBe('succeeded');
      expect(mutatingCalls(w.fake)).toEqual([]);
      expect(weights(w.fake)).toEqual([primary, secondary]);
      const step = run.steps.find((result) => result.stepId === 'to-10')!;
      expect(step.changed).toBe(false);
      expect(step.evidence).toMatchObject({
        type: 'weights-already-advanced',
        leading: ['primary'],
        observedPercent: primary,
        stagePercent: 10,
      });
      expect(step.evidence?.summary).toContain('left as they are');
    }
  });

  it('below its stage: sets the stage weights as a plain weightPercents step would', async () => {
    const w = setup(10, 90);
    const plan = testPlan([stage('to-50', 50)]);
    const dry = (await runPlan(plan, { providers: w.providers, time: w.time, dryRun: true }))._unsafeUnwrap();
    expect(dry.diffs?.['to-50']).toMatchObject({ wouldChange: true });
    const run = (await runPlan(plan, { providers: w.providers, time: w.time }))._unsafeUnwrap();
    expect(run.status).toBe('succeeded');
    expect(mutatingCalls(w.fake)).toEqual(['ensureRecordSet']);
    expect(weights(w.fake)).toEqual([50, 50]);
    const step = run.steps.find((result) => result.stepId === 'to-50')!;
    expect(step.changed).toBe(true);
    expect(step.evidence).toBeUndefined();
  });

  it('the last stage (the destination itself, no advanceTowards) still sets its weights from 50 %', async () => {
    const w = setup(50, 50);
    const plan = testPlan([
      {
        id: 'to-100',
        kind: 'action',
        action: { type: 'dns', provider: 'dns', record: { name }, desired: { weightPercents: towards } },
      },
    ]);
    const run = (await runPlan(plan, { providers: w.providers, time: w.time }))._unsafeUnwrap();
    expect(run.status).toBe('succeeded');
    expect(weights(w.fake)).toEqual([100, 0]);
  });

  it('in sync on weights still applies the rest of its desired state (the TTL), weights untouched', async () => {
    const w = setup(50, 50);
    const run = (
      await runPlan(testPlan([stage('to-10', 10, { ttl: 30 })]), { providers: w.providers, time: w.time })
    )._unsafeUnwrap();
    expect(run.status).toBe('succeeded');
    expect(mutatingCalls(w.fake)).toEqual(['ensureRecordSet']);
    expect(w.fake.records.get(name)).toEqual(record(50, 50, 30));
  });

  it('rollback restores what the stage observed before it changed anything', async () => {
    const w = setup(10, 90);
    const plan = testPlan([
      stage('to-50', 50),
      {
        id: 'gate',
        kind: 'check',
        dependsOn: ['to-50'],
        check: {
          type: 'pool-ready',
          provider: 'k8s',
          pool: { cluster: 'eu', pool: 'workers' },
          minReady: 100,
        },
      },
    ]);
    const run = (await runPlan(plan, { providers: w.providers, time: w.time }))._unsafeUnwrap();
    expect(run.status).toBe('rolled-back');
    expect(run.rollback?.steps.map((step) => [step.stepId, step.status])).toEqual([['to-50', 'rolled-back']]);
    expect(w.fake.records.get(name)).toEqual(record(10, 90));
  });
});
