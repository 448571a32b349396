import { describe, expect, it } from 'vitest';
import { approveSteps, denyAll } from '../executor/approver.js';
import { runPlan } from '../executor/run-plan.js';
import {
  fakeDatabase,
  fakeDns,
  twoRegionDatabase,
  weightedRecord,
} from '../executor/test-support/fake-providers.js';
import { dbSwitch, dnsSwitch, testPlan } from '../executor/test-support/test-plans.js';
import type { SignalSample } from '../health/signal-sample.js';
import type { SignalSourceV1 } from '../health/signal-source-v1.js';
import { compilePlan } from '../plan/compile-plan.js';
import { okAsync } from '../result.js';
import { createVirtualTime } from '../time/virtual-time.js';
import { goldenRuleApprover } from './golden-rule-approver.js';
import type { HealthCheckSpec } from './health-check-spec.js';
import { type FailoverTrigger, type ManualReview, watchHealth } from './watch-health.js';
import { createMemoryWatchJournal } from './watch-journal.js';

const vantages = ['probe-a', 'probe-b', 'probe-c'];

/** A source whose vantage points are down while `down(vantage, at)` says so: an outage curve over time. */
function scriptedSource(id: string, down: (vantage: string, at: number) => boolean): SignalSourceV1 {
  return {
    specificationVersion: 'v1',
    id,
    kind: 'probe',
    provider: 'scripted',
    vantagePoints: vantages,
    read: ({ at }) =>
      okAsync(
        vantages.map((vantage): SignalSample => ({ at, vantage, status: down(vantage, at) ? 'down' : 'up' })),
      ),
  };
}

const critical = (name: string): HealthCheckSpec => ({
  name,
  class: 'critical',
  signal: name,
  intervalMs: 10_000,
  failureThreshold: 3,
  timeoutMs: 5_000,
});

describe('watchHealth', () => {
  const checks = [critical('region'), critical('database')];

  it('runs the plan once on a complete regional failure, and neither re-runs nor flips back on recovery', async () => {
    const time = createVirtualTime({ startAt: 0 });
    // The region is dark from 60 s to 5 min, then recovers.
    const dark = (_vantage: string, at: number) => at >= 60_000 && at < 300_000;
    const journal = createMemoryWatchJournal();
    const runs: string[] = [];
    const failover: FailoverTrigger = async ({ runId }) => {
      runs.push(runId);
      // The run takes 2 minutes of clock: triggers meanwhile must do nothing.
      await time.sleep(120_000);
      return { status: 'succeeded' };
    };
    const outcome = await watchHealth({
      checks,
      signals: { region: scriptedSource('region', dark), database: scriptedSource('database', dark) },
      time,
      journal,
      failover,
      newRunId: () => `run-${runs.length + 1}`,
      until: ({ state }) => state.checks.region!.status === 'healthy' && time.now() >= 900_000,
    });
    const status = outcome._unsafeUnwrap();
    expect(runs).toEqual(['run-1']);
    expect(status.run).toEqual({ runId: 'run-1', status: 'succeeded' });
    const types = journal.entries.map((entry) => entry.type);
    // Triggered at the third failing round (60, 70, 80 s), journaled before the run.
    const trigger = journal.entries.find((entry) => entry.type === 'watch-trigger')!;
    expect(trigger.at).toBe(80_000);
    expect(types.indexOf('watch-trigger')).toBeLessThan(types.indexOf('watch-run-end'));
    expect(types.filter((type) => type === 'watch-trigger')).toHaveLength(1);
    // Recovered at the end, and the decision says so, but nothing ran again.
    expect(status.state.decision.kind).toBe('NO_ACTION');
  });

  it('survives a restart: a triggered run that never ended is resumed, one that ended is never run again', async () => {
    const time = createVirtualTime({ startAt: 0 });
    const alwaysDown = () => true;
    const signals = {
      region: scriptedSource('region', alwaysDown),
      database: scriptedSource('database', alwaysDown),
    };
    const journal = createMemoryWatchJournal();
    const requests: { runId: string; resume: boolean }[] = [];
    const crashing = new AbortController();
    // First watcher: triggers, then the process "dies" while the run is in flight.
    await watchHealth({
      checks,
      signals,
      time,
      journal,
      abortSignal: crashing.signal,
      newRunId: () => 'run-1',
      failover: async ({ runId, resume, abortSignal }) => {
        requests.push({ runId, resume });
        crashing.abort();
        await time.sleep(60_000, abortSignal);
        return { status: 'cancelled' };
      },
      until: () => false,
    });
    // The process died with the run in flight: it never wrote the run's end.
    const survived = createMemoryWatchJournal(
      journal.entries.filter((entry) => entry.type !== 'watch-run-end'),
    );
    const second = await watchHealth({
      checks,
      signals,
      time,
      journal: survived,
      newRunId: () => 'run-2',
      failover: async ({ runId, resume }) => {
        requests.push({ runId, resume });
        return { status: 'succeeded' };
      },
      until: ({ evaluations }) => evaluations >= 8,
    });
    expect(second._unsafeUnwrap().run).toEqual({ runId: 'run-1', status: 'succeeded' });
    const third = await watchHealth({
      checks,
      signals,
      time,
      journal: survived,
      newRunId: () => 'run-3',
      failover: async ({ runId, resume }) => {
        requests.push({ runId, resume });
        return { status: 'succeeded' };
      },
      until: ({ evaluations }) => evaluations >= 12,
    });
    expect(third.isOk()).toBe(true);
    expect(requests).toEqual([
      { runId: 'run-1', resume: false },
      { runId: 'run-1', resume: true },
    ]);
  });

  it('sends one manual review with its evidence when 2 of 3 critical checks fail, and runs nothing', async () => {
    const time = createVirtualTime({ startAt: 0 });
    const three = [critical('a'), critical('b'), critical('c')];
    const reviews: ManualReview[] = [];
    let runs = 0;
    const journal = createMemoryWatchJournal();
    const options = {
      checks: three,
      signals: {
        a: scriptedSource('a', () => true),
        b: scriptedSource('b', () => true),
        c: scriptedSource('c', () => false),
      },
      time,
      journal,
      failover: async () => {
        runs++;
        return { status: 'succeeded' as const };
      },
      onManualReview: async (review: ManualReview) => {
        reviews.push(review);
      },
    };
    await watchHealth({ ...options, until: ({ evaluations }) => evaluations >= 10 });
    // A restarted watcher does not send it again.
    await watchHealth({ ...options, until: ({ evaluations }) => evaluations >= 15 });
    expect(runs).toBe(0);
    expect(reviews).toHaveLength(1);
    expect(reviews[0]!.decision).toMatchObject({ kind: 'MANUAL_REVIEW_REQUIRED', confidence: 'MEDIUM' });
    expect(reviews[0]!.decision.evidence.join('\n')).toContain('a (critical) failed');
  });

  it('refuses to start when a check reads a signal nobody bound', async () => {
    const outcome = await watchHealth({
      checks: [critical('region')],
      signals: {},
      time: createVirtualTime(),
      journal: createMemoryWatchJournal(),
      failover: async () => ({ status: 'succeeded' }),
    });
    expect(outcome._unsafeUnwrapErr()).toMatchObject({
      kind: 'invalid-input',
      path: 'watch.checks.region.signal',
    });
  });
});

describe('goldenRuleApprover', () => {
  const plan = testPlan([
    { id: 'approve-dns', kind: 'approval', message: 'Switch traffic?', timeoutMs: 60_000 },
    dnsSwitch('switch-dns', 'api.example.com', { dependsOn: ['approve-dns'] }),
    {
      id: 'approve-promotion',
      kind: 'approval',
      message: 'Promote eu-west-1?',
      timeoutMs: 60_000,
      dependsOn: ['switch-dns'],
    },
    dbSwitch('promote', { dependsOn: ['approve-promotion'] }),
  ]);
  const setUp = () => {
    const time = createVirtualTime();
    const dns = fakeDns(time, [weightedRecord('api.example.com')]);
    const db = fakeDatabase(time, [twoRegionDatabase('orders', 'us-east-1', 'eu-west-1')]);
    return { time, dns, db, compiled: compilePlan(plan)._unsafeUnwrap() };
  };

  it('lets the decision approve the traffic switch but leaves the promotion to a human', async () => {
    const { time, dns, db, compiled } = setUp();
    const waiting: string[] = [];
    const result = await runPlan(plan, {
      providers: { dns, db },
      time,
      rollbackOnFailure: false,
      approver: goldenRuleApprover({
        compiled,
        decidedBy: 'watch: all-critical-failed',
        promotionAllowed: false,
        human: denyAll,
        onPromotionWaiting: (stepId) => {
          waiting.push(stepId);
        },
      }),
    });
    const run = result._unsafeUnwrap();
    expect(waiting).toEqual(['approve-promotion']);
    expect(run.steps.find((step) => step.stepId === 'switch-dns')?.status).toBe('succeeded');
    expect(run.steps.find((step) => step.stepId === 'promote')?.status).not.toBe('succeeded');
    expect(db.log.filter((call) => call.method === 'ensureWriter')).toHaveLength(0);
  });

  it('promotes on its own only when promotion is allowed, and a human approval still counts', async () => {
    for (const [promotionAllowed, human] of [
      [true, denyAll],
      [false, approveSteps(['approve-promotion'], 'oncall')],
    ] as const) {
      const { time, dns, db, compiled } = setUp();
      const result = await runPlan(plan, {
        providers: { dns, db },
        time,
        approver: goldenRuleApprover({ compiled, decidedBy: 'watch', promotionAllowed, human }),
      });
      expect(result._unsafeUnwrap().status).toBe('succeeded');
      expect(db.log.filter((call) => call.method === 'ensureWriter')).toHaveLength(1);
    }
  });
});
