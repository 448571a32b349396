import { describe, expect, it } from 'vitest';
import { FailoverError } from '../errors/failover-error.js';
import { createVirtualTime } from '../time/virtual-time.js';
import { runPlan } from './run-plan.js';
import {
  fakeCluster,
  fakeDatabase,
  fakeDns,
  nodePool,
  twoRegionDatabase,
  weightedRecord,
} from './test-support/fake-providers.js';
import { dbSwitch, dnsSwitch, eventLog, scaleTo, testPlan } from './test-support/test-plans.js';

function setup() {
  const time = createVirtualTime();
  const dns = fakeDns(time, [weightedRecord('api.example.com'), weightedRecord('www.example.com')], {
    propagationMs: 1_000,
  });
  const db = fakeDatabase(time, [twoRegionDatabase('orders', 'us-east-1', 'eu-west-1')], {
    failoverMs: 5_000,
  });
  const k8s = fakeCluster(time, [nodePool('eu', 'workers', 2)], { scaleMs: 10_000 });
  return { time, dns, db, k8s, providers: { dns, db, k8s }, log: eventLog() };
}

const failingCheck = (id: string, dependsOn: string[]) => ({
  id,
  kind: 'check' as const,
  dependsOn,
  check: {
    type: 'pool-ready' as const,
    provider: 'k8s',
    pool: { cluster: 'eu', pool: 'workers' },
    minReady: 100,
  },
});

describe('runPlan rollback', () => {
  it('undoes completed reversible steps in reverse completion order', async () => {
    const w = setup();
    const plan = testPlan([
      scaleTo('scale', 6),
      dnsSwitch('api', 'api.example.com', { dependsOn: ['scale'] }),
      dnsSwitch('www', 'www.example.com', { dependsOn: ['api'] }),
      failingCheck('gate', ['www']),
    ]);
    const run = (
      await runPlan(plan, { providers: w.providers, time: w.time, onEvent: w.log.onEvent })
    )._unsafeUnwrap();
    expect(run.status).toBe('rolled-back');
    expect(run.error?.kind).toBe('precondition-failed');
    expect(run.rollback!.steps.map((step) => [step.stepId, step.status])).toEqual([
      ['www', 'rolled-back'],
      ['api', 'rolled-back'],
      ['scale', 'rolled-back'],
    ]);
    expect(w.log.ofType('rollback-start')[0]!.stepIds).toEqual(['www', 'api', 'scale']);
    expect(w.log.ofType('rollback-step').map((event) => event.stepId)).toEqual(['www', 'api', 'scale']);
    expect(w.log.ofType('rollback-end')[0]!.status).toBe('rolled-back');
    // The world is back where it was.
    expect(w.dns.records.get('api.example.com')).toEqual(weightedRecord('api.example.com'));
    expect(w.dns.records.get('www.example.com')).toEqual(weightedRecord('www.example.com'));
    expect(w.k8s.pools.get('eu/workers')).toMatchObject({ desired: 2, min: 0, max: 20 });
    // Each undo restored the before state with the mutating method, once.
    const dnsWrites = w.dns.log
      .filter((call) => call.mutating)
      .map((call) => (call.args[0] as { name: string }).name);
    expect(dnsWrites).toEqual(['api.example.com', 'www.example.com', 'www.example.com', 'api.example.com']);
    expect(w.k8s.log.filter((call) => call.mutating).map((call) => call.args[1])).toEqual([
      { desired: 6 },
      { desired: 2, min: 0, max: 20 },
    ]);
  });

  it('reports an irreversible database step, leaves it in place, and keeps what it stands on', async () => {
    const w = setup();
    const plan = testPlan([
      scaleTo('scale', 6),
      dbSwitch('promote', { dependsOn: ['scale'] }),
      failingCheck('gate', ['promote']),
    ]);
    const run = (await runPlan(plan, { providers: w.providers, time: w.time }))._unsafeUnwrap();
    expect(run.status).toBe('failed');
    expect(run.rollback!.status).toBe('partial');
    // The promotion stays done, so the scale-up it depends on is kept, not undone.
    expect(run.rollback!.steps.map((step) => [step.stepId, step.status])).toEqual([
      ['promote', 'irreversible'],
    ]);
    expect(run.rollback!.kept?.map((kept) => kept.stepId)).toEqual(['scale']);
    expect(run.partialFailover).toMatchObject({ irreversible: ['promote'], unfinished: ['gate'] });
    expect(run.report.rollback!.irreversible).toEqual(['promote']);
    expect(w.db.log.filter((call) => call.mutating)).toHaveLength(1);
    expect(w.k8s.log.filter((call) => call.mutating)).toHaveLength(1);
  });

  it('still undoes a step that neither the promotion nor anything after it depends on', async () => {
    const w = setup();
    const plan = testPlan([scaleTo('scale', 6), dbSwitch('promote'), failingCheck('gate', ['promote'])]);
    const run = (await runPlan(plan, { providers: w.providers, time: w.time }))._unsafeUnwrap();
    expect(run.status).toBe('failed');
    expect(run.rollback!.steps.map((step) => [step.stepId, step.status])).toContainEqual([
      'scale',
      'rolled-back',
    ]);
    expect(run.partialFailover?.kept ?? []).toEqual([]);
  });

  it('moves the writer back, planned, when the database step is marked reversible', async () => {
    const w = setup();
    const plan = testPlan([dbSwitch('promote', { reversible: true }), failingCheck('gate', ['promote'])]);
    const run = (await runPlan(plan, { providers: w.providers, time: w.time }))._unsafeUnwrap();
    expect(run.status).toBe('rolled-back');
    const undo = w.db.log.filter((call) => call.mutating)[1]!;
    expect(undo.args[1]).toEqual({ region: 'us-east-1', mode: 'planned' });
  });

  it('stops at the first undo that fails and skips the older steps', async () => {
    const w = setup();
    const plan = testPlan([
      scaleTo('scale', 6),
      dnsSwitch('api', 'api.example.com', { dependsOn: ['scale'] }),
      failingCheck('gate', ['api']),
    ]);
    const denied = new FailoverError({
      kind: 'unauthorized',
      message: 'denied',
      provider: 'fake.dns',
      operation: 'Change',
    });
    // Once the forward DNS change is done, the next one (its undo) is refused.
    const onEvent = (event: { type: string; stepId?: string }) => {
      if (event.type === 'step-end' && event.stepId === 'api')
        w.dns.fail('ensureRecordSet', { error: denied });
    };
    const run = (await runPlan(plan, { providers: w.providers, time: w.time, onEvent }))._unsafeUnwrap();
    expect(run.status).toBe('failed');
    expect(run.rollback!.status).toBe('failed');
    expect(run.rollback!.steps.map((step) => [step.stepId, step.status])).toEqual([
      ['api', 'failed'],
      ['scale', 'skipped'],
    ]);
    expect(w.k8s.pools.get('eu/workers')!.desired).toBe(6);
  });

  it('does not roll back when rollbackOnFailure is false', async () => {
    const w = setup();
    const plan = testPlan([scaleTo('scale', 6), failingCheck('gate', ['scale'])]);
    const run = (
      await runPlan(plan, { providers: w.providers, time: w.time, rollbackOnFailure: false })
    )._unsafeUnwrap();
    expect(run.status).toBe('failed');
    expect(run.rollback).toBeUndefined();
    expect(w.k8s.pools.get('eu/workers')!.desired).toBe(6);
  });

  it('does not count a database step as changed when ensureWriter refused before changing anything', async () => {
    const w = setup();
    w.db.fail('ensureWriter', {
      error: new FailoverError({
        kind: 'precondition-failed',
        message: 'replica not available',
        provider: 'fake.db',
        operation: 'ensureWriter',
      }),
    });
    const plan = testPlan([
      scaleTo('scale', 6),
      dbSwitch('promote', { dependsOn: ['scale'], retry: { maxAttempts: 1 } }),
    ]);
    const run = (await runPlan(plan, { providers: w.providers, time: w.time }))._unsafeUnwrap();
    expect(run.steps.find((step) => step.stepId === 'promote')).toMatchObject({
      status: 'failed',
      changed: false,
    });
    expect(run.status).toBe('rolled-back');
    expect(run.rollback!.steps.map((step) => [step.stepId, step.status])).toEqual([['scale', 'rolled-back']]);
  });

  it('still treats a database step as changed when the failure leaves the outcome unknown', async () => {
    const w = setup();
    w.db.fail('ensureWriter', {
      error: new FailoverError({
        kind: 'unexpected',
        message: 'connection reset',
        provider: 'fake.db',
        operation: 'ensureWriter',
      }),
    });
    const plan = testPlan([dbSwitch('promote', { retry: { maxAttempts: 1 } })]);
    const run = (await runPlan(plan, { providers: w.providers, time: w.time }))._unsafeUnwrap();
    expect(run.steps[0]).toMatchObject({ status: 'failed', changed: true });
    expect(run.rollback!.steps.map((step) => step.status)).toEqual(['irreversible']);
  });
});
