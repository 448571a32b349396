import { describe, expect, it } from 'vitest';
import { FailoverError } from '../errors/failover-error.js';
import { runPlan } from '../executor/run-plan.js';
import {
  fakeCluster,
  fakeDatabase,
  fakeDns,
  nodePool,
  twoRegionDatabase,
  weightedRecord,
} from '../executor/test-support/fake-providers.js';
import {
  dbSwitch,
  dnsSwitch,
  scaleTo,
  testPlan,
  verifySecondary,
  waitStep,
} from '../executor/test-support/test-plans.js';
import type { FailoverPlan } from '../plan/failover-plan.js';
import { createVirtualTime } from '../time/virtual-time.js';
import { renderReportJson } from './render-report-json.js';
import { renderReportMarkdown } from './render-report-markdown.js';

/**
 * scale (120 s) -> promote (60 s) -> switch-api (30 s) -> verify-api (passes at once) -> soak (100 s),
 * beside an independent 300 s wait. Critical path 310 s; traffic verified at 210 s.
 */
async function reportOf(
  objectives?: FailoverPlan['objectives'],
  extra: Partial<Parameters<typeof runPlan>[1]> = {},
) {
  const time = createVirtualTime();
  const dns = fakeDns(time, [weightedRecord('api.example.com')], { propagationMs: 30_000 });
  const db = fakeDatabase(time, [twoRegionDatabase('orders', 'us-east-1', 'eu-west-1')], {
    failoverMs: 60_000,
  });
  const k8s = fakeCluster(time, [nodePool('eu', 'workers', 2)], { scaleMs: 120_000 });
  k8s.fail('describePool', {
    error: new FailoverError({
      kind: 'throttled',
      message: 'slow down',
      provider: 'fake.cluster',
      operation: 'describe',
    }),
  });
  const plan = testPlan(
    [
      scaleTo('scale', 6),
      waitStep('warm-caches', 300_000),
      dbSwitch('promote', { dependsOn: ['scale'] }),
      dnsSwitch('switch-api', 'api.example.com', { dependsOn: ['promote'] }),
      verifySecondary('verify-api', 'api.example.com', { dependsOn: ['switch-api'] }),
      waitStep('soak', 100_000, ['verify-api']),
    ],
    objectives ? { objectives } : {},
  );
  const run = (
    await runPlan(plan, { providers: { dns, db, k8s }, time, random: () => 0, ...extra })
  )._unsafeUnwrap();
  return run.report;
}

describe('buildReport', () => {
  it('finds the critical path by actual durations', async () => {
    const report = await reportOf();
    expect(report.status).toBe('succeeded');
    expect(report.durationMs).toBe(310_000);
    expect(report.criticalPath).toEqual({
      stepIds: ['scale', 'promote', 'switch-api', 'verify-api', 'soak'],
      durationMs: 310_000,
    });
  });

  it('measures RTO to the verification of the last traffic step, against the objective', async () => {
    const met = await reportOf({ rtoMs: 240_000 });
    expect(met.rto).toEqual({
      achievedMs: 210_000,
      objectiveMs: 240_000,
      met: true,
      trafficStepIds: ['switch-api'],
      measuredTo: 'verify-api',
    });
    const missed = await reportOf({ rtoMs: 200_000 });
    expect(missed.rto).toMatchObject({ achievedMs: 210_000, met: false });
  });

  it('claims no RTO for a dry-run, which restores nothing', async () => {
    const report = await reportOf({ rtoMs: 240_000 }, { dryRun: true });
    expect(report.dryRun).toBe(true);
    expect(report.rto).toEqual({ achievedMs: null, objectiveMs: 240_000, trafficStepIds: ['switch-api'] });
  });

  it('has no achieved RTO when traffic was not restored', async () => {
    const report = await reportOf({ rtoMs: 240_000 }, { defaultTimeoutMs: 100_000 });
    // scale waits 120 s but may only take 100 s: the run fails before any traffic step.
    expect(report.status).not.toBe('succeeded');
    expect(report.rto).toMatchObject({ achievedMs: null, met: false, trafficStepIds: ['switch-api'] });
  });

  it('counts API calls and provider method calls per step and per provider, retries included', async () => {
    const report = await reportOf();
    const step = (id: string) => report.steps.find((s) => s.id === id)!;
    // The throttled describe was retried inside the attempt: throttling costs no step attempt.
    expect(step('scale')).toMatchObject({
      attempts: 1,
      calls: { observe: 2, mutate: 1, wait: 1, apiCalls: 4, mutatingApiCalls: 1 },
    });
    expect(step('verify-api').calls).toEqual({
      observe: 1,
      mutate: 0,
      wait: 0,
      apiCalls: 1,
      mutatingApiCalls: 0,
    });
    expect(step('warm-caches').calls.apiCalls).toBe(0);
    expect(report.apiCalls.byProvider).toEqual({
      k8s: { observe: 2, mutate: 1, wait: 1, apiCalls: 4, mutatingApiCalls: 1 },
      db: { observe: 1, mutate: 1, wait: 1, apiCalls: 3, mutatingApiCalls: 1 },
      dns: { observe: 2, mutate: 1, wait: 1, apiCalls: 4, mutatingApiCalls: 1 },
    });
    expect(report.apiCalls.total).toEqual({
      observe: 5,
      mutate: 3,
      wait: 3,
      apiCalls: 11,
      mutatingApiCalls: 3,
    });
    // Every fake provider's id starts with `fake.`: one cloud.
    expect(report.apiCalls.byCloud).toEqual({ fake: report.apiCalls.total });
  });

  it('lays the timeline out by start, with offsets from the start of the run', async () => {
    const report = await reportOf();
    expect(report.steps.map((s) => [s.id, s.startOffsetMs, s.endOffsetMs])).toEqual([
      ['scale', 0, 120_000],
      ['warm-caches', 0, 300_000],
      ['promote', 120_000, 180_000],
      ['switch-api', 180_000, 210_000],
      ['verify-api', 210_000, 210_000],
      ['soak', 210_000, 310_000],
    ]);
    expect(report.steps.find((s) => s.id === 'switch-api')!.traffic).toBe(true);
    expect(report.startedAt).toBe('2026-01-01T00:00:00.000Z');
  });
});

describe('renderReportMarkdown and renderReportJson', () => {
  it('renders a post-incident timeline with the RTO summary', async () => {
    const report = await reportOf({ rtoMs: 240_000 });
    const markdown = renderReportMarkdown(report);
    expect(markdown).toContain('# Failover report: Test plan');
    expect(markdown).toContain(
      'RTO achieved 3m 30s (at `verify-api`) against an objective of 4m 00s: **met**.',
    );
    expect(markdown).toContain(
      '| Start | End | Step | Kind | Status | Duration | Attempts | API calls | Notes |',
    );
    expect(markdown).toMatch(
      /\| T\+03:00 \| T\+03:30 \| `switch-api` \(traffic\) \| action \| succeeded \| 30 s \| 1 \| 3 \| changed \|/,
    );
    expect(markdown).toContain('`scale` → `promote` → `switch-api` → `verify-api` → `soak` (5m 10s)');
    expect(markdown).toContain('| k8s | 4 | 1 | 2 | 1 | 1 |');
  });

  it('round-trips as JSON', async () => {
    const report = await reportOf();
    expect(JSON.parse(renderReportJson(report))).toEqual(report);
  });
});
