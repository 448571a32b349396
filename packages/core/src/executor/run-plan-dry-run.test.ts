import { describe, expect, it } from 'vitest';
import { createMemoryJournal } from '../journal/memory-journal.js';
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
import {
  dbSwitch,
  dnsSwitch,
  eventLog,
  scaleTo,
  testPlan,
  verifySecondary,
  waitStep,
} from './test-support/test-plans.js';

describe('runPlan dry-run', () => {
  it('only observes, and reports per step the change it would make', async () => {
    const time = createVirtualTime();
    const dns = fakeDns(time, [weightedRecord('api.example.com')]);
    const db = fakeDatabase(time, [twoRegionDatabase('orders', 'us-east-1', 'eu-west-1')]);
    const k8s = fakeCluster(time, [nodePool('eu', 'workers', 2), nodePool('us', 'workers', 9)]);
    const journal = createMemoryJournal();
    const log = eventLog();
    let asked = 0;
    const plan = testPlan([
      {
        id: 'lag',
        kind: 'check',
        check: { type: 'replication-lag', provider: 'db', database: { id: 'orders' }, maxLagMs: 1_000 },
      },
      {
        ...scaleTo('scale', 0),
        action: {
          type: 'scale',
          provider: 'k8s',
          pool: { cluster: 'eu', pool: 'workers' },
          desired: { percentOf: { provider: 'k8s', pool: { cluster: 'us', pool: 'workers' } }, percent: 50 },
        },
        dependsOn: ['lag'],
      },
      { id: 'go', kind: 'approval', message: 'Promote?', timeoutMs: 60_000, dependsOn: ['scale'] },
      dbSwitch('promote', { dependsOn: ['go'] }),
      dnsSwitch('switch', 'api.example.com', { dependsOn: ['promote'] }),
      waitStep('soak', 600_000, ['switch']),
      verifySecondary('verify', 'api.example.com', { dependsOn: ['soak'] }),
      { id: 'tell', kind: 'notify', channel: '#ops', message: 'done', dependsOn: ['verify'] },
    ]);
    const run = (
      await runPlan(plan, {
        providers: { dns, db, k8s },
        time,
        dryRun: true,
        journal,
        onEvent: log.onEvent,
        approver: async () => {
          asked++;
          return { approved: true };
        },
        notifier: async () => {
          throw new Error('a dry-run must not notify');
        },
      })
    )._unsafeUnwrap();

    expect(run.status).toBe('succeeded');
    expect(run.dryRun).toBe(true);
    const all = [...dns.log, ...db.log, ...k8s.log];
    expect(all.filter((call) => call.mutating)).toEqual([]);
    expect(all.filter((call) => call.method.startsWith('wait'))).toEqual([]);
    expect(new Set(all.map((call) => call.method))).toEqual(
      new Set(['getRecordSet', 'describe', 'describePool']),
    );
    expect(asked).toBe(0);
    expect(journal.entries).toEqual([]);
    expect(run.endedAt - run.startedAt).toBe(0);

    expect(run.diffs!.scale).toEqual({ type: 'scale', wouldChange: true, desired: { from: 2, to: 5 } });
    expect(run.diffs!.promote).toEqual({
      type: 'database',
      wouldChange: true,
      mode: 'planned',
      writerRegion: { from: 'us-east-1', to: 'eu-west-1' },
    });
    expect(run.diffs!.switch).toEqual({
      type: 'dns',
      wouldChange: true,
      differences: [
        { path: 'targets.primary.weight', from: 100, to: 0 },
        { path: 'targets.secondary.weight', from: 0, to: 100 },
      ],
    });
    expect(run.diffs!.go).toEqual({ type: 'approval', wouldAsk: true, message: 'Promote?' });
    expect(run.diffs!.soak).toEqual({ type: 'wait', wouldWaitMs: 600_000 });
    expect(run.diffs!.verify).toMatchObject({ type: 'verify', passesNow: false, actual: 'primary' });
    expect(run.diffs!.tell).toEqual({ type: 'notify', wouldNotify: { channel: '#ops', message: 'done' } });
    expect(log.ofType('approval-request')).toEqual([]);
    // The world is untouched.
    expect(dns.records.get('api.example.com')).toEqual(weightedRecord('api.example.com'));
  });

  it('reports a failing pre-flight check as a failed dry-run', async () => {
    const time = createVirtualTime();
    const db = fakeDatabase(time, [twoRegionDatabase('orders', 'us-east-1', 'eu-west-1', 5_000)]);
    const plan = testPlan([
      {
        id: 'lag',
        kind: 'check',
        check: { type: 'replication-lag', provider: 'db', database: { id: 'orders' }, maxLagMs: 1_000 },
      },
      dbSwitch('promote', { dependsOn: ['lag'] }),
    ]);
    const run = (await runPlan(plan, { providers: { db }, time, dryRun: true }))._unsafeUnwrap();
    expect(run.status).toBe('failed');
    expect(run.error?.kind).toBe('precondition-failed');
    expect(run.error?.message).toContain('5000 ms, expected at most 1000 ms');
    expect(run.steps[1]!.status).toBe('skipped');
    expect(run.rollback).toBeUndefined();
  });
});
