import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { approveSteps } from '../executor/approver.js';
import { runPlan } from '../executor/run-plan.js';
import { fakeDns, weightedRecord } from '../executor/test-support/fake-providers.js';
import { dnsSwitch, testPlan, waitStep } from '../executor/test-support/test-plans.js';
import type { DnsProviderV1 } from '../providers/dns/dns-provider-v1.js';
import { createVirtualTime } from '../time/virtual-time.js';
import { createFileJournal } from './file-journal.js';
import type { Journal } from './journal.js';
import type { JournalEntry } from './journal-entry.js';
import { parseJournalLines } from './parse-journal-lines.js';
import { replayJournal } from './replay-journal.js';
import { stepHandle, stepIntent, stepStart } from './test-support/journal-entries.js';

// The disk as the journal sees it: every fdatasync records how many bytes of entries
// (up to the last newline: the rest is filler) it made durable, every write how many the
// kernel holds. A machine crash keeps the synced bytes only; a process crash keeps the written ones.
// (The mock is this file's own: core's test project keeps every file isolated.)
const disk = vi.hoisted(() => ({ synced: 0, written: 0, syncs: 0, writes: 0, failWrites: false }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const entryBytes = (fd: number) => {
    const content = fs.readFileSync(`/proc/self/fd/${fd}`);
    return content.lastIndexOf(0x0a) + 1;
  };
  return {
    ...fs,
    fdatasyncSync(fd: number) {
      fs.fdatasyncSync(fd);
      disk.syncs++;
      disk.synced = entryBytes(fd);
    },
    writeSync(fd: number, ...rest: unknown[]) {
      if (disk.failWrites) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
      const bytes = (fs.writeSync as (...args: unknown[]) => number)(fd, ...rest);
      // Writes of entries, not of the filler the file grows by (spaces, no newline).
      if ((rest[0] as Buffer).includes(0x0a)) disk.writes++;
      disk.written = entryBytes(fd);
      return bytes;
    },
  };
});

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The entries a machine crash would leave: the file cut back to its last sync. */
const onDiskAfterMachineCrash = (path: string): JournalEntry[] => {
  const durable = readFileSync(path).subarray(0, disk.synced).toString('utf8');
  return parseJournalLines(durable, path)._unsafeUnwrap();
};

describe('file journal: durability on demand', () => {
  it('has every acknowledged entry on disk before each mutating call, with one sync per instant that makes one', async () => {
    // Two switches at the start (one instant), a chain of waits, one switch 90 s later,
    // an approval and a final wait: 3 mutating calls on 2 instants, and one wait for a human.
    const plan = testPlan([
      dnsSwitch('switch-a', 'a.example.com'),
      dnsSwitch('switch-b', 'b.example.com'),
      waitStep('settle-1', 30_000),
      waitStep('settle-2', 60_000, ['settle-1']),
      dnsSwitch('switch-c', 'c.example.com', { dependsOn: ['settle-2'] }),
      { id: 'go', kind: 'approval', message: 'Go on?', timeoutMs: 60_000, dependsOn: ['switch-c'] },
      waitStep('settle-3', 10_000, ['go']),
    ]);
    const time = createVirtualTime({ startAt: 0 });
    const records = ['a', 'b', 'c'].map((name) => weightedRecord(`${name}.example.com`));
    const dns = fakeDns(time, records, { propagationMs: 20_000 });
    const dir = mkdtempSync(join(tmpdir(), 'failover-durable-'));
    dirs.push(dir);
    const path = join(dir, 'run.jsonl');

    // What the executor was told is recorded (an ok append), in order.
    const acknowledged: JournalEntry[] = [];
    const file = createFileJournal(path);
    const journal: Journal = {
      acquireLock: (planId, runId) => file.acquireLock(planId, runId),
      append: (entry) =>
        file.append(entry).andTee(() => {
          acknowledged.push(entry);
        }),
      read: () => file.read(),
      flush: () => file.flush!(),
    };

    // At each mutating call, crash the machine in our heads: what would a resume find?
    const atMutatingCalls: Array<{ stepId: string; instant: number }> = [];
    const failures: unknown[] = [];
    const watched: DnsProviderV1 = {
      ...dns,
      ensureRecordSet(ref, desired, options) {
        try {
          const onDisk = onDiskAfterMachineCrash(path);
          // Every acknowledged entry is on disk, in the order it was acknowledged...
          expect(onDisk.slice(0, acknowledged.length)).toEqual(acknowledged);
          // ...so the intent of this very call is there: a resume knows the state it changes.
          const start = onDisk.find((entry) => entry.type === 'run-start');
          const fingerprint = start?.type === 'run-start' ? start.fingerprint : '';
          const resume = replayJournal(onDisk, plan.id, fingerprint)._unsafeUnwrap();
          const stepId = [...(resume?.inFlight.values() ?? [])].find(
            (record) => record.intentBefore && !atMutatingCalls.some((call) => call.stepId === record.stepId),
          )?.stepId;
          expect(stepId).toBeDefined();
          atMutatingCalls.push({ stepId: stepId!, instant: time.now() });
        } catch (failure) {
          failures.push(failure);
        }
        return dns.ensureRecordSet(ref, desired, options);
      },
    };

    let approvalAsked: { written: number; synced: number } | undefined;
    disk.syncs = 0;
    disk.writes = 0;
    const result = await runPlan(plan, {
      providers: { dns: watched },
      time,
      journal,
      approver: async (request) => {
        // Before a human is asked (minutes, maybe): everything written is on disk.
        approvalAsked = { written: disk.written, synced: disk.synced };
        return approveSteps(['go'])(request);
      },
    });
    expect(failures).toEqual([]);
    expect(result._unsafeUnwrap().status).toBe('succeeded');
    expect(atMutatingCalls.map((call) => call.stepId).sort()).toEqual(['switch-a', 'switch-b', 'switch-c']);

    expect(approvalAsked).toBeDefined();
    expect(approvalAsked!.synced).toBe(approvalAsked!.written);
    // One sync per instant at which a mutating call is made, one before the approval's wait
    // and one at the run's end: the other entries (starts, handles, ends, waits) ride along.
    const instants = new Set(atMutatingCalls.map((call) => call.instant));
    expect([...instants]).toEqual([0, 90_000]);
    expect(disk.syncs).toBe(instants.size + 2);
    // Everything acknowledged was written as it was acknowledged, and is on disk at the end.
    const entries = parseJournalLines(readFileSync(path, 'utf8'), path)._unsafeUnwrap();
    expect(entries).toEqual(acknowledged);
    expect(disk.synced).toBe(disk.written);
    expect(entries.length).toBeGreaterThan(disk.syncs * 4);
  });

  it('flushes only what is not on disk yet, and syncs a batch still gathering when asked to', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'failover-flush-'));
    dirs.push(dir);
    const journal = createFileJournal(join(dir, 'run.jsonl'));
    const entry = stepStart;
    const handle = stepHandle;
    const flush = () => journal.flush!();
    Object.assign(disk, { syncs: 0, synced: 0, written: 0, writes: 0 });
    expect((await flush()).isOk()).toBe(true);
    expect(disk.syncs).toBe(0);
    // Neither written nor synced: a step-start guards nothing, it is written behind.
    await journal.append(entry('a'));
    expect(disk.writes).toBe(0);
    // Written, not synced: a step-handle guards no mutating call.
    await journal.append(handle('h'));
    expect(disk.writes).toBe(1);
    expect(disk.syncs).toBe(0);
    expect(disk.synced).toBeLessThan(disk.written);
    await flush();
    expect(disk.syncs).toBe(1);
    expect(disk.synced).toBe(disk.written);
    await flush();
    expect(disk.syncs).toBe(1);
    // A flush while entries are gathering makes their one write a synced one.
    const gathering = journal.append(entry('b'));
    const flushed = flush();
    expect((await gathering).isOk() && (await flushed).isOk()).toBe(true);
    expect(disk.syncs).toBe(2);
    expect(disk.synced).toBe(disk.written);
  });

  it('fails every append after a failed write: nothing is journaled past a lost entry', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'failover-lost-'));
    dirs.push(dir);
    const path = join(dir, 'run.jsonl');
    const journal = createFileJournal(path);
    const entry = (stepId: string, type: 'step-start' | 'step-intent') =>
      type === 'step-start' ? stepStart(stepId) : stepIntent(stepId);
    expect((await journal.append(entry('a', 'step-intent'))).isOk()).toBe(true);
    // A start is acknowledged at once; the disk fills up before it is written.
    expect((await journal.append(entry('b', 'step-start'))).isOk()).toBe(true);
    disk.failWrites = true;
    try {
      const intent = await journal.append(entry('c', 'step-intent'));
      expect(intent._unsafeUnwrapErr()).toMatchObject({ kind: 'unavailable', provider: 'journal.file' });
      expect(intent._unsafeUnwrapErr().message).toContain('ENOSPC');
    } finally {
      disk.failWrites = false;
    }
    // The disk has room again, but `b` is lost: no later entry may land after the gap.
    const later = await journal.append(entry('d', 'step-start'));
    expect(later._unsafeUnwrapErr().message).toContain('ENOSPC');
    expect((await journal.flush!())._unsafeUnwrapErr().message).toContain('ENOSPC');
    expect(parseJournalLines(readFileSync(path, 'utf8'), path)._unsafeUnwrap()).toEqual([
      entry('a', 'step-intent'),
    ]);
  });
});
