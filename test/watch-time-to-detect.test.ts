// Time to detect, decide and mitigate of a run started by `watchHealth`, on the ADR 039 world
// (real AWS adapters and signal sources over the real SDK clients against @failover/emulator,
// on its deterministic clock): the decision engine's evaluation reaches the run, is journaled
// with its start, and the report's incident review (JSON and Markdown) gives the figures, to
// the millisecond of the emulator's clock.
import { createAws } from '@failover/aws';
import {
  type Approver,
  createDatabaseWriterSource,
  createHttpProbeSource,
  createMemoryJournal,
  createMemoryWatchJournal,
  fetchProbeRunner,
  goldenRuleApprover,
  type JournalEntry,
  journaledDetection,
  type RunResult,
  type RunStartEntry,
  renderReportJson,
  renderReportMarkdown,
  runPlan,
  type SignalSourceV1,
  watchHealth,
} from '@failover/core';
import { createDeterministicClock, type Emulator, startEmulator } from '@failover/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import {
  adrChecks,
  compiledShopPlan,
  globalId,
  inventoryAlarm,
  metricDimensions,
  primary,
  shopHealthService,
  shopPlan,
  standby,
  vantagePoints,
  worldSeed,
  zone,
} from './watch-adr-scenarios-world.js';

/** Any SigV4 signature passes: the emulator reads the region from the credential scope. */
const credentials = { accessKeyId: 'AKIDEMULATOREXAMPLE', secretAccessKey: 'emulator-not-a-secret' };

const running: Emulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((emulator) => emulator.stop()));
});

/** The sources ADR 039's checks read, bound to the emulator (probes answer healthy throughout). */
function signalsOf(emulator: Emulator, aws: ReturnType<typeof createAws>): Record<string, SignalSourceV1> {
  // Each vantage point says who it is, as the scripted endpoint expects.
  const runners = Object.fromEntries(
    vantagePoints.map((name) => [
      name,
      (request: Parameters<typeof fetchProbeRunner>[0]) =>
        fetchProbeRunner({ ...request, headers: { ...request.headers, 'x-probe-vantage': name } }),
    ]),
  );
  const probe = (id: string, service: string) =>
    createHttpProbeSource({
      id,
      url: `${emulator.url}/shop/${primary}/${service}/health`,
      vantagePoints: runners,
    });
  return {
    region: probe('region', 'edge'),
    orders: probe('orders', 'orders'),
    payments: probe('payments', 'payments'),
    database: createDatabaseWriterSource({
      id: 'database',
      database: aws.databaseFailover({ region: primary }),
      ref: { id: globalId },
      region: primary,
    }),
    inventory: aws.alarmSource({ id: 'inventory', region: primary, alarmNames: [inventoryAlarm] }),
    errors: aws.metricSource({
      id: 'errors',
      regions: [primary],
      namespace: 'Shop/Api',
      metricName: 'ErrorRate',
      dimensions: metricDimensions,
    }),
    latency: aws.metricSource({
      id: 'latency',
      regions: [primary],
      namespace: 'Shop/Api',
      metricName: 'LatencyP95',
      dimensions: metricDimensions,
      unit: 'ms',
    }),
  };
}

describe('failover watch: time to detect, decide and mitigate in the report', () => {
  it('carries the decision engine evaluation into the run, its journal and its report', async () => {
    const clock = createDeterministicClock({ watchProcess: true });
    const origin = clock.now();
    const emulator = await startEmulator({
      seed: worldSeed({}),
      clock,
      extraServices: [
        shopHealthService(
          () => origin,
          () => true,
        ),
      ],
    });
    running.push(emulator);
    const aws = createAws({
      region: standby,
      credentials,
      endpoints: {
        route53: `${emulator.url}/aws/route53`,
        rds: `${emulator.url}/aws/rds`,
        cloudwatch: `${emulator.url}/aws/monitoring`,
      },
      time: clock,
      clientConfig: { maxAttempts: 1 },
    });
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
      signals: signalsOf(emulator, aws),
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
