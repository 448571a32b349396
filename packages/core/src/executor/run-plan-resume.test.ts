import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileJournal } from '../journal/file-journal.js';
import type { JournalEntry } from '../journal/journal-entry.js';
import { createMemoryJournal } from '../journal/memory-journal.js';
import { createVirtualTime } from '../time/virtual-time.js';
import { runPlan } from './run-plan.js';
import { crashingJournal } from './test-support/crashing-journal.js';
import {
  fakeCluster,
  fakeDatabase,
  fakeDns,
  nodePool,
  twoRegionDatabase,
  weightedRecord,
} from './test-support/fake-providers.js';
import { dbSwitch, dnsSwitch, eventLog, scaleTo, testPlan } from './test-support/test-plans.js';

const journalDirs: string[] = [];
afterAll(() => {
  for (const dir of journalDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const journalPath = () => {
  const dir = mkdtempSync(join(tmpdir(), 'failover-resume-'));
  journalDirs.push(dir);
  return join(dir, 'plan.jsonl');
};

/** The cloud: it outlives the crashed process. */
function cloud() {
  const time = createVirtualTime();
  const dns = fakeDns(time, [weightedRecord('api.example.com')], { propagationMs: 30_000 });
  const db = fakeDatabase(time, [twoRegionDatabase('orders', 'us-east-1', 'eu-west-1')], {
    failoverMs: 60_000,
  });
  const k8s = fakeCluster(time, [nodePool('eu', 'workers', 2)], { scaleMs: 120_000 });
  return { time, dns, db, k8s, providers: { dns, db, k8s } };
}

const plan = testPlan([
  scaleTo('scale', 6),
  dnsSwitch('switch', 'api.example.com', { dependsOn: ['scale'] }),
  dbSwitch('promote', { dependsOn: ['switch'] }),
]);

const isEntry = (type: JournalEntry['type'], stepId: string) => (entry: JournalEntry) =>
  entry.type === type && 'stepId' in entry && entry.stepId === stepId;

/** Method calls made since `mark`. */
const since = (log: { method: string }[], mark: number) => log.slice(mark).map((call) => call.method);

describe('runPlan resume', () => {
  it('resumes after a crash mid-plan without repeating a completed step, waiting on the journaled handle', async () => {
    const c = cloud();
    const path = journalPath();
    const crashed = await runPlan(plan, {
      providers: c.providers,
      time: c.time,
      runId: 'run-1',
      journal: crashingJournal(createFileJournal(path), isEntry('step-handle', 'switch')),
    });
    // The process "died" after journaling the DNS change's handle, while waiting for it to sync.
    // Steps ran before the journal failed: a failed run with its results, not "could not start".
    expect(crashed._unsafeUnwrap().status).toBe('failed');
    expect(crashed._unsafeUnwrap().error?.message).toContain('simulated crash');
    const journaled = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(journaled.at(-1)).toMatchObject({
      type: 'step-handle',
      stepId: 'switch',
      handle: { id: 'change-1' },
    });
    expect(journaled.some((entry) => entry.type === 'run-end')).toBe(false);

    // The dead process left its lock: a plain second run is refused...
    const refused = await runPlan(plan, {
      providers: c.providers,
      time: c.time,
      journal: createFileJournal(path),
    });
    expect(refused._unsafeUnwrapErr().kind).toBe('conflict');

    // ...and an operator who knows it is gone forces it.
    const marks = { dns: c.dns.log.length, db: c.db.log.length, k8s: c.k8s.log.length };
    const log = eventLog();
    const resumed = await runPlan(plan, {
      providers: c.providers,
      time: c.time,
      runId: 'run-2',
      journal: createFileJournal(path, { forceUnlock: true }),
      onEvent: log.onEvent,
    });
    const run = resumed._unsafeUnwrap();
    expect(run.status).toBe('succeeded');
    expect(run.resumedFrom).toBe('run-1');
    expect(since(c.k8s.log, marks.k8s)).toEqual([]);
    expect(since(c.dns.log, marks.dns)).toEqual(['waitForChange']);
    expect(c.dns.log.at(-1)!.args[0]).toMatchObject({ id: 'change-1' });
    expect(since(c.db.log, marks.db)).toEqual(['describe', 'ensureWriter', 'waitForWriter']);
    expect(run.steps.map((step) => [step.stepId, step.status, step.resumed ?? false])).toEqual([
      ['scale', 'succeeded', true],
      ['switch', 'succeeded', false],
      ['promote', 'succeeded', false],
    ]);
    expect(log.ofType('step-skipped')).toEqual([
      expect.objectContaining({ stepId: 'scale', reason: 'completed-earlier' }),
    ]);
    expect(log.ofType('step-start')[0]).toMatchObject({ stepId: 'switch', resumed: true });
    expect(c.db.topologies.get('orders')!.members.find((m) => m.role === 'writer')!.region).toBe('eu-west-1');

    // A third run finds a finished chain: it starts over, and everything is already in place.
    const third = (
      await runPlan(plan, { providers: c.providers, time: c.time, journal: createFileJournal(path) })
    )._unsafeUnwrap();
    expect(third.resumedFrom).toBeUndefined();
    expect(third.steps.every((step) => step.status === 'succeeded' && !step.changed)).toBe(true);
  });

  it('after a crash between the intent and the handle, re-observes instead of repeating, and can still roll back', async () => {
    const c = cloud();
    const path = journalPath();
    const failing = testPlan([
      ...plan.steps.slice(0, 2),
      {
        id: 'gate',
        kind: 'check',
        dependsOn: ['switch'],
        check: {
          type: 'pool-ready',
          provider: 'k8s',
          pool: { cluster: 'eu', pool: 'workers' },
          minReady: 100,
        },
      },
    ]);
    const crashed = await runPlan(failing, {
      providers: c.providers,
      time: c.time,
      runId: 'run-1',
      journal: crashingJournal(createFileJournal(path), isEntry('step-intent', 'switch')),
    });
    expect(crashed._unsafeUnwrap().status).toBe('failed');
    // ensureRecordSet did go through before the process died.
    expect(c.dns.log.filter((call) => call.mutating)).toHaveLength(1);

    const marks = c.dns.log.length;
    const run = (
      await runPlan(failing, {
        providers: c.providers,
        time: c.time,
        journal: createFileJournal(path, { forceUnlock: true }),
      })
    )._unsafeUnwrap();
    // The DNS step found its change already made: no second ensure, but it knows it changed something.
    expect(run.steps[1]).toMatchObject({ stepId: 'switch', status: 'succeeded', changed: true });
    expect(since(c.dns.log, marks)[0]).toBe('getRecordSet');
    // The gate failed: the rollback restores the state journaled before the crash.
    expect(run.status).toBe('rolled-back');
    expect(run.rollback!.steps.map((step) => step.stepId)).toEqual(['switch', 'scale']);
    expect(c.dns.records.get('api.example.com')).toEqual(weightedRecord('api.example.com'));
    expect(c.k8s.pools.get('eu/workers')!.desired).toBe(2);
  });

  it('after a crash during rollback, finishes the rollback without undoing a step twice', async () => {
    const c = cloud();
    const path = journalPath();
    const failing = testPlan([
      ...plan.steps.slice(0, 2),
      {
        id: 'gate',
        kind: 'check',
        dependsOn: ['switch'],
        check: {
          type: 'pool-ready',
          provider: 'k8s',
          pool: { cluster: 'eu', pool: 'workers' },
          minReady: 100,
        },
      },
    ]);
    const dies = new AbortController();
    const crashed = await runPlan(failing, {
      providers: c.providers,
      time: c.time,
      abortSignal: dies.signal,
      journal: crashingJournal(createFileJournal(path), isEntry('rollback-step', 'switch'), () =>
        dies.abort(),
      ),
    });
    // The crash aborted the run: it ends cancelled, and its run-end could not be journaled.
    expect(crashed._unsafeUnwrap().status).toBe('cancelled');
    // The DNS change was undone, the pool was not.
    expect(c.dns.records.get('api.example.com')).toEqual(weightedRecord('api.example.com'));
    expect(c.k8s.pools.get('eu/workers')!.desired).toBe(6);

    const marks = { dns: c.dns.log.length, k8s: c.k8s.log.length };
    const run = (
      await runPlan(failing, {
        providers: c.providers,
        time: c.time,
        journal: createFileJournal(path, { forceUnlock: true }),
      })
    )._unsafeUnwrap();
    expect(run.status).toBe('rolled-back');
    expect(run.rollback!.steps.map((step) => [step.stepId, step.status])).toEqual([
      ['switch', 'rolled-back'],
      ['scale', 'rolled-back'],
    ]);
    expect(since(c.dns.log, marks.dns)).toEqual([]);
    expect(since(c.k8s.log, marks.k8s)).toEqual(['ensureSize', 'waitForPool']);
    expect(c.k8s.pools.get('eu/workers')!.desired).toBe(2);
  });

  it('refuses a second executor on the same journal while the first runs', async () => {
    const c = cloud();
    const journal = createMemoryJournal();
    const first = runPlan(plan, { providers: c.providers, time: c.time, journal });
    const second = await runPlan(plan, { providers: c.providers, time: c.time, journal });
    expect(second._unsafeUnwrapErr().kind).toBe('conflict');
    expect((await first)._unsafeUnwrap().status).toBe('succeeded');
  });

  it('refuses to resume with a changed plan', async () => {
    const c = cloud();
    const path = journalPath();
    await runPlan(plan, {
      providers: c.providers,
      time: c.time,
      journal: crashingJournal(createFileJournal(path), isEntry('step-end', 'scale')),
    });
    const changed = testPlan([
      ...plan.steps,
      dnsSwitch('extra', 'api.example.com', { dependsOn: ['promote'] }),
    ]);
    const result = await runPlan(changed, {
      providers: c.providers,
      time: c.time,
      journal: createFileJournal(path, { forceUnlock: true }),
    });
    expect(result._unsafeUnwrapErr()).toMatchObject({ kind: 'conflict', operation: 'resume' });
  });
});

describe('runPlan cancel', () => {
  it('stops waiting, marks running steps cancelled, rolls nothing back, and can be resumed', async () => {
    const c = cloud();
    const journal = createMemoryJournal();
    const controller = new AbortController();
    void c.time.sleep(5_000).then(() => controller.abort());
    const log = eventLog();
    const run = (
      await runPlan(plan, {
        providers: c.providers,
        time: c.time,
        journal,
        runId: 'run-1',
        abortSignal: controller.signal,
        onEvent: log.onEvent,
      })
    )._unsafeUnwrap();
    expect(run.status).toBe('cancelled');
    expect(run.endedAt - run.startedAt).toBe(5_000);
    expect(run.steps.map((step) => step.status)).toEqual(['cancelled', 'skipped', 'skipped']);
    expect(run.error?.kind).toBe('cancelled');
    expect(run.rollback).toBeUndefined();
    expect(log.ofType('rollback-start')).toEqual([]);
    // The journal is consistent: the cancelled step ended, the run ended.
    expect(journal.entries.at(-2)).toMatchObject({ type: 'step-end', stepId: 'scale', status: 'cancelled' });
    expect(journal.entries.at(-1)).toMatchObject({ type: 'run-end', status: 'cancelled' });
    // The pool change itself was made; it is not undone.
    expect(c.k8s.pools.get('eu/workers')!.desired).toBe(6);

    const marks = c.k8s.log.length;
    const resumed = (await runPlan(plan, { providers: c.providers, time: c.time, journal }))._unsafeUnwrap();
    expect(resumed.status).toBe('succeeded');
    expect(resumed.resumedFrom).toBe('run-1');
    expect(since(c.k8s.log, marks)).toEqual(['waitForPool']);
  });

  it('does nothing when aborted before it starts', async () => {
    const c = cloud();
    const run = (
      await runPlan(plan, { providers: c.providers, time: c.time, abortSignal: AbortSignal.abort() })
    )._unsafeUnwrap();
    expect(run.status).toBe('cancelled');
    expect(run.steps.every((step) => step.status === 'skipped')).toBe(true);
    expect([...c.dns.log, ...c.db.log, ...c.k8s.log]).toEqual([]);
  });
});

describe('runPlan when the journal fails', () => {
  it('reports a failed run with its results once a step ran, and "could not start" only before', async () => {
    const c = cloud();
    const afterMutation = await runPlan(plan, {
      providers: c.providers,
      time: c.time,
      journal: crashingJournal(createMemoryJournal(), isEntry('step-handle', 'scale')),
    });
    const result = afterMutation._unsafeUnwrap();
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({ message: 'simulated crash' });
    // The pool did scale (only its end could not be journaled); nothing after it started.
    expect(result.steps.map((step) => [step.stepId, step.status])).toEqual([
      ['scale', 'succeeded'],
      ['switch', 'skipped'],
      ['promote', 'skipped'],
    ]);
    expect(result.report.status).toBe('failed');
    // The journal could not record a rollback, so none ran: the pool keeps its change for a resume to judge.
    expect(result.rollback).toBeUndefined();

    const beforeAnyStep = await runPlan(plan, {
      providers: cloud().providers,
      time: createVirtualTime(),
      journal: crashingJournal(createMemoryJournal(), () => false, undefined, { failFirst: true }),
    });
    expect(beforeAnyStep._unsafeUnwrapErr().message).toBe('simulated crash');
  });
});
