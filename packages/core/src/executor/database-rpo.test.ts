import { describe, expect, it } from 'vitest';
import type { FailoverPlan } from '../plan/failover-plan.js';
import type { PlanStep } from '../plan/step.js';
import { renderReportHtml } from '../report/render-report-html.js';
import { renderReportMarkdown } from '../report/render-report-markdown.js';
import { okAsync } from '../result.js';
import { createVirtualTime } from '../time/virtual-time.js';
import { approveSteps } from './approver.js';
import { runPlan } from './run-plan.js';
import {
  fakeDatabase,
  fakeDns,
  mutatingCalls,
  twoRegionDatabase,
  weightedRecord,
} from './test-support/fake-providers.js';

const record = { zone: 'Z1', name: 'api.example.com.' };

/** Fence, approve, then promote `orders` to eu-west-1 with data loss. */
function forcedPlan(rpoMs: number | undefined, accept = false): FailoverPlan {
  const steps: PlanStep[] = [
    {
      id: 'fence',
      kind: 'action',
      fence: true,
      action: { type: 'dns', provider: 'dns', record, desired: { targets: { primary: { weight: 0 } } } },
    },
    { id: 'approve', kind: 'approval', message: 'Lose data?', timeoutMs: 60_000, dependsOn: ['fence'] },
    {
      id: 'promote',
      kind: 'action',
      dependsOn: ['approve'],
      action: {
        type: 'database',
        provider: 'db',
        database: { id: 'orders' },
        region: 'eu-west-1',
        mode: 'forced',
        frontedBy: [record.name],
        ...(accept && { acceptDataLossBeyondRpo: true }),
      },
    },
  ];
  return {
    version: 1,
    id: 'rpo',
    name: 'RPO gate',
    sourceRegion: 'us-east-1',
    targetRegion: 'eu-west-1',
    ...(rpoMs !== undefined && { objectives: { rpoMs } }),
    steps,
  };
}

function world(lagMs: number, sampledAt?: number) {
  const time = createVirtualTime();
  const db = fakeDatabase(time, [twoRegionDatabase('orders', 'us-east-1', 'eu-west-1', 999_999)]);
  // The adapter's own lag reading wins over the topology's (999 999 ms, stale).
  const withLag = {
    ...db,
    observeReplicationLag: () =>
      okAsync({
        specificationVersion: 'v1' as const,
        databaseId: 'orders',
        observedAt: time.now(),
        samples: [
          { memberId: 'orders-eu-west-1', region: 'eu-west-1', lagMs, sampledAt: sampledAt ?? time.now() },
        ],
      }),
  };
  const dns = fakeDns(time, [{ ...weightedRecord(record.name), name: record.name }]);
  return { time, db, providers: { db: withLag, dns } };
}

const options = (time: ReturnType<typeof createVirtualTime>) => ({
  time,
  approver: approveSteps(['approve']),
  random: () => 0,
});

describe('objectives.rpoMs gates a forced promotion', () => {
  it('promotes within the RPO and keeps the lag it saw as the data-loss window', async () => {
    const { time, db, providers } = world(800, 42_000);
    const run = (await runPlan(forcedPlan(1_000), { providers, ...options(time) }))._unsafeUnwrap();
    expect(run.status).toBe('succeeded');
    const promote = run.steps.find((step) => step.stepId === 'promote')!;
    expect(promote.evidence).toMatchObject({
      type: 'data-loss-window',
      database: 'orders',
      lagMs: 800,
      observedAt: 42_000,
    });
    expect(mutatingCalls(db)).toEqual(['ensureWriter']);
    // The report puts the achieved RPO beside the RTO, per database, and reviews the incident.
    expect(run.report.rpo).toMatchObject({
      achievedMs: 800,
      objectiveMs: 1_000,
      met: true,
      databases: [
        { stepId: 'promote', database: 'orders', region: 'eu-west-1', mode: 'forced', achievedMs: 800 },
      ],
    });
    expect(run.report.review?.decisions.map((decision) => decision.stepId)).toEqual(['approve']);
    expect(run.report.review?.followUps.join('\n')).toContain(
      'Reconcile up to 800 ms of writes lost by orders',
    );
    const markdown = renderReportMarkdown(run.report);
    expect(markdown).toContain('| RPO | 800 ms | 1 s | **met** |');
    expect(markdown).toContain('## Post-incident');
    const html = renderReportHtml(run.report);
    expect(html).toContain('<td data-rpo>800 ms (orders 800 ms)</td>');
    expect(html).toContain('Reconcile up to 800 ms of writes lost by orders');
  });

  it('refuses a forced promotion whose last lag exceeds the RPO, without calling ensureWriter', async () => {
    const { time, db, providers } = world(5_000);
    const run = (await runPlan(forcedPlan(1_000), { providers, ...options(time) }))._unsafeUnwrap();
    const promote = run.steps.find((step) => step.stepId === 'promote')!;
    expect(promote.status).toBe('failed');
    expect(promote.error).toMatchObject({ kind: 'precondition-failed' });
    expect(promote.error?.message).toContain('5000 ms');
    expect(promote.error?.message).toContain('RPO of 1000 ms');
    expect(mutatingCalls(db)).toEqual([]);
  });

  it('shows the refusal in a dry-run', async () => {
    const { time, providers } = world(5_000);
    const dry = (
      await runPlan(forcedPlan(1_000), { providers, ...options(time), dryRun: true })
    )._unsafeUnwrap();
    expect(dry.diffs?.promote).toMatchObject({ wouldChange: true, refused: { kind: 'precondition-failed' } });
  });

  it('promotes beyond the RPO only when the step accepts it, with a warning', async () => {
    const { time, db, providers } = world(5_000);
    const run = (await runPlan(forcedPlan(1_000, true), { providers, ...options(time) }))._unsafeUnwrap();
    expect(run.status).toBe('succeeded');
    expect(mutatingCalls(db)).toEqual(['ensureWriter']);
    const promote = run.steps.find((step) => step.stepId === 'promote')!;
    expect(promote.warnings?.join(' ')).toContain('beyond the RPO');
  });

  it('does not gate without an objective', async () => {
    const { time, providers } = world(5_000);
    const run = (await runPlan(forcedPlan(undefined), { providers, ...options(time) }))._unsafeUnwrap();
    expect(run.status).toBe('succeeded');
  });
});
