import { describe, expect, it } from 'vitest';
import { createVirtualTime } from '../time/virtual-time.js';
import { runPlan } from './run-plan.js';
import { fakeCluster, nodePool } from './test-support/fake-providers.js';
import { eventLog, testPlan } from './test-support/test-plans.js';

describe('runPlan step kinds', () => {
  it('turns a failed notification into a warning, never a failure', async () => {
    const time = createVirtualTime();
    const log = eventLog();
    const plan = testPlan([{ id: 'tell', kind: 'notify', channel: '#ops', message: 'failing over' }]);
    const failing = await runPlan(plan, {
      providers: {},
      time,
      onEvent: log.onEvent,
      notifier: async () => {
        throw new Error('Slack is down (token=xoxb-123)');
      },
    });
    const run = failing._unsafeUnwrap();
    expect(run.status).toBe('succeeded');
    expect(run.steps[0]!.warnings?.[0]).toContain('could not be sent');
    expect(run.steps[0]!.warnings?.[0]).not.toContain('xoxb-123');
    expect(log.ofType('warning')).toHaveLength(1);
    expect(run.report.warnings).toHaveLength(1);

    const sent: string[] = [];
    const delivered = await runPlan(plan, {
      providers: {},
      time,
      notifier: async (message) => {
        sent.push(`${message.channel}: ${message.message}`);
      },
    });
    expect(delivered._unsafeUnwrap().steps[0]!.warnings).toBeUndefined();
    expect(sent).toEqual(['#ops: failing over']);
  });

  it('evaluates an HTTP check through the injected probe', async () => {
    const time = createVirtualTime();
    const statuses = [503, 200];
    const plan = testPlan([
      {
        id: 'health',
        kind: 'verify',
        check: { type: 'http', url: 'https://eu.example.com/healthz' },
        timeoutMs: 60_000,
        intervalMs: 10_000,
      },
    ]);
    const run = (
      await runPlan(plan, { providers: {}, time, httpProbe: async () => statuses.shift() ?? 200 })
    )._unsafeUnwrap();
    expect(run.status).toBe('succeeded');
    expect(run.endedAt - run.startedAt).toBe(10_000);
    expect(run.steps[0]!.calls.byProvider.http?.observe).toBe(2);
  });

  it('fails a verify step at its deadline, quoting the last observation', async () => {
    const time = createVirtualTime();
    const plan = testPlan([
      {
        id: 'health',
        kind: 'verify',
        check: { type: 'http', url: 'https://eu.example.com/healthz' },
        timeoutMs: 30_000,
        intervalMs: 10_000,
      },
    ]);
    const run = (await runPlan(plan, { providers: {}, time, httpProbe: async () => 503 }))._unsafeUnwrap();
    expect(run.status).toBe('failed');
    expect(run.error?.kind).toBe('timeout');
    expect(run.error?.message).toContain('returned 503, expected 200');
    expect(run.endedAt - run.startedAt).toBe(30_000);
  });

  it('sizes a pool as a percentage of another, rounding up', async () => {
    const time = createVirtualTime();
    const k8s = fakeCluster(time, [nodePool('eu', 'workers', 2), nodePool('us', 'workers', 9)]);
    const plan = testPlan([
      {
        id: 'scale',
        kind: 'action',
        action: {
          type: 'scale',
          provider: 'k8s',
          pool: { cluster: 'eu', pool: 'workers' },
          desired: { percentOf: { provider: 'k8s', pool: { cluster: 'us', pool: 'workers' } }, percent: 50 },
        },
      },
    ]);
    const run = (await runPlan(plan, { providers: { k8s }, time }))._unsafeUnwrap();
    expect(run.status).toBe('succeeded');
    expect(k8s.pools.get('eu/workers')).toMatchObject({ desired: 5, ready: 5 });
  });
});
