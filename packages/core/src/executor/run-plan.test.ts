import { describe, expect, it } from 'vitest';
import { PlanValidationError } from '../plan/plan-validation-error.js';
import { validatePlan } from '../plan/validate-plan.js';
import { createVirtualTime } from '../time/virtual-time.js';
import { runPlan } from './run-plan.js';
import {
  fakeCluster,
  fakeDatabase,
  fakeDns,
  mutatingCalls,
  nodePool,
  twoRegionDatabase,
  weightedRecord,
} from './test-support/fake-providers.js';
import {
  dbSwitch,
  dnsSwitch,
  eventLog,
  scaleTo,
  testPlan,
  verifySecondary,
  waitStep,
} from './test-support/test-plans.js';

function world(options: { propagationMs?: number; failoverMs?: number; scaleMs?: number } = {}) {
  const time = createVirtualTime();
  const dns = fakeDns(time, [weightedRecord('api.example.com'), weightedRecord('www.example.com')], {
    propagationMs: options.propagationMs ?? 30_000,
  });
  const db = fakeDatabase(time, [twoRegionDatabase('orders', 'us-east-1', 'eu-west-1')], {
    failoverMs: options.failoverMs ?? 60_000,
  });
  const k8s = fakeCluster(time, [nodePool('eu', 'workers', 2)], { scaleMs: options.scaleMs ?? 120_000 });
  return { time, dns, db, k8s, providers: { dns, db, k8s } };
}

describe('runPlan', () => {
  it('runs a failover end to end and changes the world', async () => {
    const w = world();
    const log = eventLog();
    const plan = testPlan([
      scaleTo('scale', 6),
      dbSwitch('promote', { dependsOn: ['scale'] }),
      dnsSwitch('switch-api', 'api.example.com', { dependsOn: ['promote'] }),
      verifySecondary('verify-api', 'api.example.com', { dependsOn: ['switch-api'] }),
    ]);
    const result = await runPlan(plan, { providers: w.providers, time: w.time, onEvent: log.onEvent });
    expect(result.isOk()).toBe(true);
    const run = result._unsafeUnwrap();
    expect(run.status).toBe('succeeded');
    expect(run.steps.map((step) => [step.stepId, step.status, step.changed])).toEqual([
      ['scale', 'succeeded', true],
      ['promote', 'succeeded', true],
      ['switch-api', 'succeeded', true],
      ['verify-api', 'succeeded', false],
    ]);
    expect(w.k8s.pools.get('eu/workers')!.desired).toBe(6);
    expect(w.db.topologies.get('orders')!.members.find((m) => m.role === 'writer')!.region).toBe('eu-west-1');
    expect(w.dns.records.get('api.example.com')!.targets.find((t) => t.id === 'secondary')!.weight).toBe(100);
    // scale 120 s, failover 60 s, DNS 30 s, verify immediate: the clock moved exactly that much.
    expect(run.endedAt - run.startedAt).toBe(210_000);
    expect(log.events[0]!.type).toBe('plan-start');
    expect(log.events.at(-1)!.type).toBe('plan-end');
    expect(log.ofType('step-wait').map((event) => event.stepId)).toEqual(['scale', 'promote', 'switch-api']);
    // Events are plain JSON, stamped by the injected clock.
    expect(JSON.parse(JSON.stringify(log.events))).toEqual(log.events);
    expect(log.ofType('step-end').find((event) => event.stepId === 'promote')!.at - run.startedAt).toBe(
      180_000,
    );
  });

  it('returns bad input as an error value, never a throw', async () => {
    const w = world();
    const garbage = await runPlan(null as never, { providers: w.providers, time: w.time });
    expect(garbage._unsafeUnwrapErr().kind).toBe('invalid-input');
    const unknownKind = await runPlan(testPlan([{ id: 'x', kind: 'teleport' } as never]), {
      providers: w.providers,
      time: w.time,
    });
    expect(unknownKind._unsafeUnwrapErr()).toMatchObject({ kind: 'invalid-input' });
    const noOptions = await runPlan(testPlan([waitStep('a', 1)]), undefined as never);
    expect(noOptions._unsafeUnwrapErr()).toMatchObject({ kind: 'invalid-input', path: 'options' });
  });

  it('returns the validation error before any provider call', async () => {
    const w = world();
    const plan = testPlan([
      dnsSwitch('a', 'api.example.com', { dependsOn: ['b'] }),
      dnsSwitch('b', 'api.example.com', { dependsOn: ['a'] }),
      { ...scaleTo('c', 3), action: { ...scaleTo('c', 3).action, provider: 'nope' } as never },
    ]);
    const result = await runPlan(plan, { providers: w.providers, time: w.time });
    expect(result.isErr()).toBe(true);
    const error = result._unsafeUnwrapErr();
    expect(PlanValidationError.isInstance(error)).toBe(true);
    const codes = (error as PlanValidationError).problems.map((problem) => problem.code).sort();
    expect(codes).toEqual(['cycle', 'missing-provider']);
    expect(error.toJSON()).toEqual(
      validatePlan(plan, { providers: w.providers })._unsafeUnwrapErr().toJSON(),
    );
    expect([...w.dns.log, ...w.db.log, ...w.k8s.log]).toEqual([]);
  });

  it('runs independent steps in parallel, bounded by concurrency', async () => {
    const steps = ['a', 'b', 'c', 'd', 'e'].map((id) => waitStep(id, 1_000));
    const wide = world();
    const unbounded = await runPlan(testPlan(steps), { providers: {}, time: wide.time });
    expect(unbounded._unsafeUnwrap().endedAt - unbounded._unsafeUnwrap().startedAt).toBe(1_000);
    const narrow = world();
    const bounded = await runPlan(testPlan(steps), { providers: {}, time: narrow.time, concurrency: 2 });
    expect(bounded._unsafeUnwrap().endedAt - bounded._unsafeUnwrap().startedAt).toBe(3_000);
  });

  it('is idempotent: a second run changes nothing', async () => {
    const w = world();
    const plan = testPlan([
      scaleTo('scale', 6),
      dnsSwitch('switch', 'api.example.com', { dependsOn: ['scale'] }),
    ]);
    await runPlan(plan, { providers: w.providers, time: w.time });
    const before = mutatingCalls(w.dns).length + mutatingCalls(w.k8s).length;
    const again = (await runPlan(plan, { providers: w.providers, time: w.time }))._unsafeUnwrap();
    expect(again.status).toBe('succeeded');
    expect(again.steps.every((step) => !step.changed)).toBe(true);
    expect(mutatingCalls(w.dns).length + mutatingCalls(w.k8s).length).toBe(before);
  });
});
