import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileJournal } from '../journal/file-journal.js';
import type { JournalEntry } from '../journal/journal-entry.js';
import { renderReportMarkdown } from '../report/render-report-markdown.js';
import { createVirtualTime } from '../time/virtual-time.js';
import { approveSteps } from './approver.js';
import { runPlan } from './run-plan.js';
import { crashingJournal } from './test-support/crashing-journal.js';
import { fakeDns, weightedRecord } from './test-support/fake-providers.js';
import { dnsSwitch, testPlan } from './test-support/test-plans.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const plan = testPlan([
  dnsSwitch('switch', 'api.example.com'),
  { id: 'approve', kind: 'approval', message: 'Go on?', timeoutMs: 600_000, dependsOn: ['switch'] },
  { id: 'settle', kind: 'wait', durationMs: 10_000, dependsOn: ['approve'] },
]);

describe('runPlan detection (time to detect)', () => {
  it('journals the detection with the run, and a resumed run reports it without being given it again', async () => {
    const time = createVirtualTime({ startAt: 1_000_000 });
    const dns = fakeDns(time, [weightedRecord('api.example.com')], { propagationMs: 30_000 });
    const dir = mkdtempSync(join(tmpdir(), 'failover-detection-'));
    dirs.push(dir);
    const path = join(dir, 'run.jsonl');
    // First failing observation 95 s before the decision, decided 5 s before the run starts.
    const detection = { startedAt: 900_000, detectedAt: 995_000 };
    const crashed = await runPlan(plan, {
      providers: { dns },
      time,
      runId: 'run-1',
      detection,
      approver: approveSteps(['approve'], 'oncall'),
      journal: crashingJournal(
        createFileJournal(path),
        (entry: JournalEntry) => entry.type === 'step-end' && entry.stepId === 'switch',
      ),
    });
    expect(crashed._unsafeUnwrap().status).toBe('failed');

    const slowHuman = async () => {
      await time.sleep(45_000);
      return { approved: true as const, by: 'oncall' };
    };
    const resumed = await runPlan(plan, {
      providers: { dns },
      time,
      runId: 'run-2',
      approver: slowHuman,
      journal: createFileJournal(path, { forceUnlock: true }),
    });
    const run = resumed._unsafeUnwrap();
    expect(run.status).toBe('succeeded');
    expect(run.resumedFrom).toBe('run-1');
    expect(run.report.review).toMatchObject({
      timeToDetectMs: 95_000,
      timeToDecideMs: 45_000,
      detection,
    });
    // The first run switched traffic in 30 s (DNS in sync), counted from the chain's start.
    expect(run.report.review?.timeToMitigateMs).toBe(30_000);
    expect(renderReportMarkdown(run.report)).toContain(
      '- Time to detect: 1m 35s (first failing observation 1970-01-01T00:15:00.000Z, decided 1970-01-01T00:16:35.000Z)',
    );
  });

  it('counts the wait for a human to approve a reviewed failover in the time to decide', async () => {
    const time = createVirtualTime({ startAt: 1_000_000 });
    const dns = fakeDns(time, [weightedRecord('api.example.com')]);
    const result = await runPlan(plan, {
      providers: { dns },
      time,
      detection: { startedAt: 900_000, detectedAt: 930_000, approvedAt: 990_000 },
      approver: approveSteps(['approve']),
    });
    const review = result._unsafeUnwrap().report.review!;
    expect(review.timeToDetectMs).toBe(30_000);
    // 60 s between the engine asking for a review and the approval; the approval step waited 0.
    expect(review.timeToDecideMs).toBe(60_000);
  });

  it('reports no time to detect when the run was given no detection', async () => {
    const time = createVirtualTime();
    const dns = fakeDns(time, [weightedRecord('api.example.com')]);
    const result = await runPlan(plan, { providers: { dns }, time, approver: approveSteps(['approve']) });
    const report = result._unsafeUnwrap().report;
    expect(report.review?.timeToDetectMs).toBeUndefined();
    expect(renderReportMarkdown(report)).toContain('- Time to detect: not measured');
  });
});
