import { describe, expect, it } from 'vitest';
import type { SignalSample } from '../health/signal-sample.js';
import type { SignalSourceV1 } from '../health/signal-source-v1.js';
import { okAsync } from '../result.js';
import { createVirtualTime } from '../time/virtual-time.js';
import type { HealthCheckSpec } from './health-check-spec.js';
import { type FailoverTriggerRequest, watchHealth } from './watch-health.js';
import { createMemoryWatchJournal } from './watch-journal.js';

const vantages = ['probe-a', 'probe-b', 'probe-c'];

/** Every vantage point down while `down(at)`. */
function scripted(id: string, down: (at: number) => boolean): SignalSourceV1 {
  return {
    specificationVersion: 'v1',
    id,
    kind: 'probe',
    provider: 'scripted',
    vantagePoints: vantages,
    read: ({ at }) =>
      okAsync(vantages.map((vantage): SignalSample => ({ at, vantage, status: down(at) ? 'down' : 'up' }))),
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

describe('watchHealth detection', () => {
  it('passes the first failing round, the decision and a human approval to the run, and journals them', async () => {
    const time = createVirtualTime({ startAt: 0 });
    // Two of three critical checks fail from 60 s: ADR 039 asks for a review (3rd round, 80 s).
    const from60 = (at: number) => at >= 60_000;
    const signals = {
      a: scripted('a', from60),
      b: scripted('b', from60),
      c: scripted('c', () => false),
    };
    const requests: FailoverTriggerRequest[] = [];
    const journal = createMemoryWatchJournal();
    const outcome = await watchHealth({
      checks: [critical('a'), critical('b'), critical('c')],
      signals,
      time,
      journal,
      // The on-call engineer approves the failover at 200 s.
      humanApproval: async () => (time.now() >= 200_000 ? 'oncall' : undefined),
      failover: async (request) => {
        requests.push(request);
        return { status: 'succeeded' };
      },
      newRunId: () => 'run-1',
      until: ({ run }) => run?.status === 'succeeded',
    });
    expect(outcome._unsafeUnwrap().run?.status).toBe('succeeded');
    const detection = { startedAt: 60_000, detectedAt: 80_000, approvedAt: 200_000 };
    expect(requests.map((request) => request.detection)).toEqual([detection]);
    expect(journal.entries.find((entry) => entry.type === 'watch-trigger')).toMatchObject({
      at: 200_000,
      decision: { kind: 'MANUAL_REVIEW_REQUIRED', rule: 'multiple-critical-failed' },
      detection,
    });
  });

  it('resumes a run triggered before a restart with the detection journaled with its trigger', async () => {
    const time = createVirtualTime({ startAt: 0 });
    const dark = (at: number) => at >= 30_000;
    const checks = [critical('a'), critical('b')];
    const signals = { a: scripted('a', dark), b: scripted('b', dark) };
    const first = createMemoryWatchJournal();
    await watchHealth({
      checks,
      signals,
      time,
      journal: first,
      failover: async () => ({ status: 'succeeded' }),
      newRunId: () => 'run-1',
      until: ({ run }) => run !== undefined,
    });
    // The watcher died while its run was in flight: the journal ends at the trigger.
    const upToTrigger = first.entries.slice(
      0,
      first.entries.findIndex((entry) => entry.type === 'watch-trigger') + 1,
    );
    const requests: FailoverTriggerRequest[] = [];
    await watchHealth({
      checks,
      signals,
      time,
      journal: createMemoryWatchJournal(upToTrigger),
      failover: async (request) => {
        requests.push(request);
        return { status: 'succeeded' };
      },
      until: ({ run }) => run?.status === 'succeeded',
    });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      runId: 'run-1',
      resume: true,
      // All critical checks failed at the 3rd round (30, 40, 50 s).
      detection: { startedAt: 30_000, detectedAt: 50_000 },
    });
    expect(requests[0]!.detection?.approvedAt).toBeUndefined();
  });
});
