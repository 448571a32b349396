import { describe, expect, it } from 'vitest';
import { FailoverError } from '../errors/failover-error.js';
import { createMemoryJournal } from '../journal/memory-journal.js';
import type { PlanStep } from '../plan/step.js';
import { createVirtualTime } from '../time/virtual-time.js';
import { runPlan } from './run-plan.js';
import { type BatchingOptions, withBatching } from './test-support/batching-dns.js';
import { fakeDns, weightedRecord } from './test-support/fake-providers.js';
import { dnsSwitch, eventLog, testPlan } from './test-support/test-plans.js';

const names = (count: number, zone = 'example.com') =>
  Array.from({ length: count }, (_, index) => `n${index}.${zone}`);

function fleet(time: ReturnType<typeof createVirtualTime>, records: string[], options?: BatchingOptions) {
  const inner = fakeDns(
    time,
    records.map((name) => weightedRecord(name)),
    { propagationMs: 30_000 },
  );
  return { inner, dns: withBatching(time, inner, options) };
}

const parallel = (records: string[]): PlanStep[] => [
  {
    id: 'switch',
    kind: 'group',
    mode: 'parallel',
    steps: records.map((name, index) => dnsSwitch(`s${index}`, name)),
  },
];

const count = (log: { method: string }[], method: string) =>
  log.filter((call) => call.method === method).length;

describe('DNS batching across steps', () => {
  it('sends the changes of 50 steps ready together in one call and waits once on its handle', async () => {
    const time = createVirtualTime();
    const records = names(50);
    const { inner, dns } = fleet(time, records);
    const journal = createMemoryJournal();
    let intentsAtCall = 0;
    dns.onBatch = () => {
      intentsAtCall = journal.entries.filter((entry) => entry.type === 'step-intent').length;
    };
    const log = eventLog();
    const result = await runPlan(testPlan(parallel(records)), {
      providers: { dns },
      time,
      journal,
      concurrency: 100,
      onEvent: log.onEvent,
    });
    const run = result._unsafeUnwrap();
    expect(run.status).toBe('succeeded');
    expect(dns.batches).toHaveLength(1);
    expect(dns.batches[0]).toHaveLength(50);
    expect(count(inner.log, 'ensureRecordSet')).toBe(0);
    expect(count(inner.log, 'waitForChange')).toBe(1);
    expect(count(inner.log, 'getRecordSet')).toBe(50);
    // Every step journaled its intent before the one call, and its own handle after it.
    expect(intentsAtCall).toBe(50);
    const handles = journal.entries.filter((entry) => entry.type === 'step-handle');
    expect(handles).toHaveLength(50);
    expect(new Set(handles.map((entry) => (entry as { handle?: { id?: string } }).handle?.id))).toEqual(
      new Set(['batch-1']),
    );
    // Each step keeps its own events, change and undo; the API requests are counted once.
    expect(log.ofType('step-wait')).toHaveLength(50);
    for (const step of run.steps) {
      expect(step.changed).toBe(true);
      expect(step.undo).toBeDefined();
      expect(step.calls.total.mutate).toBe(1);
      expect(step.calls.total.wait).toBe(1);
    }
    expect(run.report.apiCalls.total.mutatingApiCalls).toBe(1);
    expect(run.endedAt - run.startedAt).toBe(30_000);
    expect(inner.records.get('n7.example.com')!.targets.find((t) => t.id === 'secondary')!.weight).toBe(100);
  });

  it('sends one call per batch key, and none for a step with nothing to change', async () => {
    const time = createVirtualTime();
    const records = [...names(3, 'example.com'), ...names(2, 'example.org')];
    const { inner, dns } = fleet(time, records);
    inner.records.set('n1.example.com', weightedRecord('n1.example.com', 'secondary'));
    const run = (
      await runPlan(testPlan(parallel(records)), { providers: { dns }, time, concurrency: 100 })
    )._unsafeUnwrap();
    expect(run.status).toBe('succeeded');
    expect(dns.batches.map((batch) => [...batch].sort())).toEqual([
      ['n0.example.com', 'n2.example.com'],
      ['n0.example.org', 'n1.example.org'],
    ]);
    expect(count(inner.log, 'waitForChange')).toBe(2);
    expect(run.steps.find((step) => step.stepId === 's1')!.changed).toBe(false);
  });

  it('fails only the step whose change was refused, and rolls back the others one by one', async () => {
    const time = createVirtualTime();
    const records = names(4);
    const { inner, dns } = fleet(time, records);
    dns.refuse.add('n2.example.com');
    const run = (
      await runPlan(testPlan(parallel(records)), { providers: { dns }, time, concurrency: 100 })
    )._unsafeUnwrap();
    expect(dns.batches).toHaveLength(1);
    expect(run.status).toBe('rolled-back');
    expect(run.steps.filter((step) => step.status === 'failed').map((step) => step.stepId)).toEqual(['s2']);
    expect(run.rollback!.steps.map((step) => step.stepId).sort()).toEqual(['s0', 's1', 's3']);
    // The undos are single changes: rollback is per step.
    expect(count(inner.log, 'ensureRecordSet')).toBe(3);
    for (const name of records) {
      expect(inner.records.get(name)!.targets.find((t) => t.id === 'primary')!.weight).toBe(100);
    }
  });

  it('works as before for a provider without batching, and for steps not started together', async () => {
    const time = createVirtualTime();
    const records = names(5);
    const plain = fakeDns(
      time,
      records.map((name) => weightedRecord(name)),
      { propagationMs: 1_000 },
    );
    const run = (
      await runPlan(testPlan(parallel(records)), { providers: { dns: plain }, time, concurrency: 100 })
    )._unsafeUnwrap();
    expect(run.status).toBe('succeeded');
    expect(count(plain.log, 'ensureRecordSet')).toBe(5);
    expect(count(plain.log, 'waitForChange')).toBe(5);

    const { inner, dns } = fleet(time, records);
    const serial = (
      await runPlan(testPlan(parallel(records)), { providers: { dns }, time, concurrency: 1 })
    )._unsafeUnwrap();
    expect(serial.status).toBe('succeeded');
    expect(dns.batches).toHaveLength(0);
    expect(count(inner.log, 'ensureRecordSet')).toBe(5);
  });

  it('does not wait for a member that failed to observe, nor past the deadline of one that hangs', async () => {
    const time = createVirtualTime();
    const records = names(5);
    const { inner, dns } = fleet(time, records);
    inner.fail('getRecordSet', {
      error: new FailoverError({
        kind: 'unauthorized',
        message: 'no',
        provider: 'fake.dns',
        operation: 'get',
      }),
    });
    const failed = (
      await runPlan(testPlan(parallel(records)), { providers: { dns }, time, concurrency: 100 })
    )._unsafeUnwrap();
    expect(failed.steps.filter((step) => step.status === 'failed')).toHaveLength(1);
    expect(dns.batches.map((batch) => batch.length)).toEqual([4]);

    const hanging = fleet(time, records);
    hanging.inner.fail('getRecordSet', { hangs: true });
    const steps = parallel(records);
    for (const step of (steps[0] as { steps: PlanStep[] }).steps)
      (step as { timeoutMs?: number }).timeoutMs = 120_000;
    const run = (
      await runPlan(testPlan(steps), { providers: { dns: hanging.dns }, time, concurrency: 100 })
    )._unsafeUnwrap();
    expect(run.steps.filter((step) => step.status === 'failed').map((step) => step.error?.kind)).toEqual([
      'timeout',
    ]);
    // The other four went out together a quarter of the way to their deadline, and succeeded.
    expect(hanging.dns.batches.map((batch) => batch.length)).toEqual([4]);
    const done = run.steps.filter((step) => step.status === 'succeeded');
    expect(done).toHaveLength(4);
    for (const step of done) expect(step.durationMs).toBe(30_000 + 30_000);
    expect(run.steps.find((step) => step.status === 'failed')!.durationMs).toBe(120_000);
  });

  it('makes no batch in a dry-run', async () => {
    const time = createVirtualTime();
    const records = names(3);
    const { inner, dns } = fleet(time, records);
    const run = (
      await runPlan(testPlan(parallel(records)), { providers: { dns }, time, concurrency: 100, dryRun: true })
    )._unsafeUnwrap();
    expect(run.status).toBe('succeeded');
    expect(dns.batches).toHaveLength(0);
    expect(inner.log.filter((call) => call.mutating)).toHaveLength(0);
  });
});

describe('DNS reads batched across steps', () => {
  it('reads the record sets of 50 steps of one zone in one call in the pre-check pass and one in the run', async () => {
    const time = createVirtualTime();
    const records = names(50);
    const { inner, dns } = fleet(time, records, { reads: true, precheck: true });
    const run = (
      await runPlan(testPlan(parallel(records)), { providers: { dns }, time, concurrency: 100 })
    )._unsafeUnwrap();
    expect(run.status).toBe('succeeded');
    expect(count(inner.log, 'getRecordSet')).toBe(0);
    // One read for the pre-run pre-check pass (which visits the steps a few at a time), one for the steps.
    expect(dns.readBatches.map((batch) => batch.length)).toEqual([50, 50]);
    expect(count(inner.log, 'precheckRecordSet')).toBe(100);
    expect(dns.batches).toHaveLength(1);
    // Each step: its read and its pre-check.
    for (const step of run.steps) expect(step.calls.total.observe).toBe(2);
    // The API requests of each batch are counted once: two reads and one change.
    expect(run.report.apiCalls.total.apiCalls).toBe(3);
  });

  it('reads each zone once, in a dry-run too, and a step alone reads alone', async () => {
    const time = createVirtualTime();
    const records = [...names(3, 'example.com'), ...names(1, 'example.org')];
    const { inner, dns } = fleet(time, records, { reads: true });
    const run = (
      await runPlan(testPlan(parallel(records)), { providers: { dns }, time, concurrency: 100, dryRun: true })
    )._unsafeUnwrap();
    expect(run.status).toBe('succeeded');
    expect(dns.readBatches).toEqual([['n0.example.com', 'n1.example.com', 'n2.example.com']]);
    expect(inner.log.filter((call) => call.method === 'getRecordSet').map((call) => call.args[0])).toEqual([
      { name: 'n0.example.org' },
    ]);
  });

  it('a batch read that fails as a whole is retried by each step on its own, and the run succeeds', async () => {
    const time = createVirtualTime();
    const records = names(4);
    const { inner, dns } = fleet(time, records, { reads: true });
    dns.readFaults.push(
      // Retryable, but not a transient the call itself retries: the steps' attempts fail.
      new FailoverError({
        kind: 'unexpected',
        message: 'listing broke',
        provider: 'fake.dns',
        operation: 'list',
        retryable: true,
      }),
    );
    const run = (
      await runPlan(testPlan(parallel(records)), { providers: { dns }, time, concurrency: 100 })
    )._unsafeUnwrap();
    expect(run.status).toBe('succeeded');
    expect(dns.readBatches).toHaveLength(1);
    // Each step's second attempt read alone; their changes went out one by one.
    expect(count(inner.log, 'getRecordSet')).toBe(4);
    for (const step of run.steps) expect(step.attempts).toBe(2);
  });

  it('a step whose provider cannot read in batches observes with getRecordSet as before', async () => {
    const time = createVirtualTime();
    const records = names(5);
    const { inner, dns } = fleet(time, records);
    const run = (
      await runPlan(testPlan(parallel(records)), { providers: { dns }, time, concurrency: 100 })
    )._unsafeUnwrap();
    expect(run.status).toBe('succeeded');
    expect(dns.readBatches).toHaveLength(0);
    expect(count(inner.log, 'getRecordSet')).toBe(5);
    expect(dns.batches).toHaveLength(1);
  });
});
