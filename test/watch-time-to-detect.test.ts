// Time to detect, decide and mitigate of a run started by `watchHealth`, on the ADR 039 world
// (real AWS adapters and signal sources over the real SDK clients against @failover/emulator,
// on its deterministic clock): the decision engine's evaluation reaches the run, is journaled
// with its start, and the report's incident review (JSON and Markdown) gives the figures, to
// the millisecond of the emulator's clock.
import {
  type Approver,
  createMemoryJournal,
  createMemoryWatchJournal,
  goldenRuleApprover,
  type JournalEntry,
  journaledDetection,
  type RunResult,
  type RunStartEntry,
  renderReportJson,
  renderReportMarkdown,
  runPlan,
  watchHealth,
} from '@failover/core';
import type { Emulator } from '@failover/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import {
  adrChecks,
  adrSignals,
  compiledShopPlan,
  shopPlan,
  startShopWorld,
  zone,
} from './watch-adr-scenarios-world.js';

const running: Emulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((emulator) => emulator.stop()));
});

describe('failover watch: time to detect, decide and mitigate in the report', () => {
  it('carries the decision engine evaluation into the run, its journal and its report', async () => {
    const { clock, startedAt: origin, emulator, aws } = await startShopWorld();
    running.push(emulator);
    // The writer cannot be reached from 120 s to 150 s: rounds fail at 120, 130 and 140 s, and
    // the third (ADR 039: 3 failed checks) decides. It is reachable again for the promotion.
    void clock.sleep(120_000).then(() => {
      const lift = emulator.faults.add({ fault: 'drop', service: 'aws.rds' });
      void clock.sleep(30_000).then(lift);
    });
    // The on-call engineer approves the promotion 90 s after being asked, on the same clock.
    const oncall: Approver = async (request) => {
      await clock.sleep(90_000, request.abortSignal);
      return { approved: true, by: 'oncall' };
    };

    const runJournal = createMemoryJournal();
    const runs: RunResult[] = [];
    const watchJournal = createMemoryWatchJournal();
    const status = await watchHealth({
      checks: adrChecks,
      signals: adrSignals(emulator, aws),
      time: clock,
      journal: watchJournal,
      failover: async ({ runId, decision, detection, abortSignal }) => {
        const result = await runPlan(shopPlan, {
          providers: { route53: aws.dnsProvider({ hostedZone: zone }), aurora: aws.databaseFailover() },
          time: clock,
          runId,
          abortSignal,
          rollbackOnFailure: false,
          journal: runJournal,
          ...(detection && { detection }),
          approver: goldenRuleApprover({
            compiled: compiledShopPlan._unsafeUnwrap(),
            decidedBy: `watch: ${decision.rule}`,
            promotionAllowed: false,
            human: oncall,
          }),
        });
        if (result.isErr()) return { status: 'error', detail: result.error.message };
        runs.push(result.value);
        return { status: result.value.status === 'succeeded' ? 'succeeded' : 'failed' };
      },
      until: ({ run }) => run !== undefined && run.status !== 'running',
    });
    clock.dispose();
    expect(status._unsafeUnwrap().run?.status).toBe('succeeded');

    // The trigger journals what the engine saw: first failing round at 120 s, decided at 140 s.
    const trigger = watchJournal.entries.find((entry) => entry.type === 'watch-trigger');
    expect(trigger).toMatchObject({
      at: origin + 140_000,
      decision: { kind: 'AUTOMATIC_FAILOVER', rule: 'database-writer-unreachable' },
      detection: { startedAt: origin + 120_000, detectedAt: origin + 140_000 },
    });

    // The run journals it with its start, where a resume and `failover report` find it.
    const entries = (await runJournal.read())._unsafeUnwrap() as JournalEntry[];
    const starts = entries.filter((entry): entry is RunStartEntry => entry.type === 'run-start');
    expect(journaledDetection(starts)).toEqual({ startedAt: origin + 120_000, detectedAt: origin + 140_000 });

    const [run] = runs;
    const report = run!.report;
    const approval = report.steps.find((step) => step.id === 'approve-promotion')!;
    const traffic = report.steps.find((step) => step.id === 'switch-traffic')!;
    expect(approval.status).toBe('succeeded');
    expect(report.review).toMatchObject({
      timeToDetectMs: 20_000,
      timeToDecideMs: 90_000,
      detection: { startedAt: origin + 120_000, detectedAt: origin + 140_000 },
      decisions: [{ stepId: 'approve-promotion', status: 'succeeded', waitedMs: 90_000 }],
    });
    // Mitigated once the traffic switch (the Route 53 change, in sync) ended, before the approval.
    expect(report.review!.timeToMitigateMs).toBe(traffic.startOffsetMs! + traffic.durationMs);
    expect(report.review!.timeToMitigateMs).toBeGreaterThan(0);
    expect(report.review!.timeToMitigateMs).toBeLessThanOrEqual(approval.startOffsetMs!);

    const json = JSON.parse(renderReportJson(report));
    expect(json.review).toMatchObject({ timeToDetectMs: 20_000, timeToDecideMs: 90_000 });
    const markdown = renderReportMarkdown(report);
    const at = (ms: number) => new Date(origin + ms).toISOString();
    expect(markdown).toContain(
      `- Time to detect: 20 s (first failing observation ${at(120_000)}, decided ${at(140_000)})`,
    );
    expect(markdown).toContain('- Time to decide (approvals): 1m 30s');
  });
});
