import { afterEach, describe, expect, it } from 'vitest';
import { approveSteps } from '../executor/approver.js';
import { runPlan } from '../executor/run-plan.js';
import { testPlan, waitStep } from '../executor/test-support/test-plans.js';
import { okAsync } from '../result.js';
import { createVirtualTime } from '../time/virtual-time.js';
import type { Notification } from './notification.js';
import type { NotifierV1 } from './notifier-v1.js';
import { pagerDutyNotifier } from './pagerduty-notifier.js';
import { notifyRunEvents } from './run-event-notifications.js';
import { createIoPacedTime } from './test-support/io-paced-time.js';
import { type RecordingReceiver, startRecordingReceiver } from './test-support/recording-receiver.js';

const receivers: RecordingReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

/** A notifier that keeps what it was sent: the wording under test, not a transport. */
function keeping(): NotifierV1 & { sent: Notification[] } {
  const sent: Notification[] = [];
  return { specificationVersion: 'v1', name: 'kept', sent, send: (n) => okAsync(void sent.push(n)) };
}

describe('notifyRunEvents', () => {
  it('announces the start, an approval, and a failure naming the failing step', async () => {
    const time = createVirtualTime();
    const kept = keeping();
    const plan = testPlan(
      [
        waitStep('drain', 60_000),
        {
          id: 'approve-promote',
          kind: 'approval',
          message: 'Promote orders in eu-west-1?',
          timeoutMs: 60_000,
          dependsOn: ['drain'],
        },
        {
          id: 'verify-api',
          kind: 'verify',
          check: { type: 'http', url: 'https://eu.example.com/healthz' },
          timeoutMs: 120_000,
          intervalMs: 10_000,
          dependsOn: ['approve-promote'],
        },
      ],
      { name: 'Checkout' },
    );
    const stages = notifyRunEvents(kept, { channel: 'ops', plan, time });
    const run = (
      await runPlan(plan, {
        providers: {},
        time,
        approver: approveSteps(['approve-promote']),
        httpProbe: async () => 503,
        onEvent: stages.onEvent,
      })
    )._unsafeUnwrap();
    expect(run.status).toBe('failed');
    expect((await stages.settled()).every((d) => d.error === undefined)).toBe(true);
    expect(kept.sent.map((n) => [n.stage, n.title])).toEqual([
      ['failover-started', 'Failover started: Checkout (us-east-1 -> eu-west-1)'],
      ['approval-needed', 'Approval needed: Checkout waits on approve-promote'],
      ['failover-failed', 'Failover FAILED: Checkout at step verify-api'],
    ]);
    expect(kept.sent[1]?.message).toContain('Promote orders in eu-west-1?');
    expect(kept.sent[2]?.message).toMatch(/^.*verify-api|^.*healthz|503/);
    expect(kept.sent[2]?.facts).toMatchObject({ 'failed step': 'verify-api', elapsed: '3m 00s' });
    expect(new Set(kept.sent.map((n) => n.dedupKey))).toEqual(new Set([`failover/test-plan/${run.runId}`]));
  });

  it('reports the achieved time on success, with overridden wording, and sends nothing for a dry-run', async () => {
    const time = createVirtualTime();
    const kept = keeping();
    const plan = testPlan([waitStep('switch', 95_000)]);
    const options = {
      channel: 'ops',
      plan,
      time,
      stages: ['failover-completed'] as const,
      templates: {
        'failover-completed': { title: '{planName} done in {rto}', message: 'RTO goal {objectiveRto}' },
      },
    };
    const dry = notifyRunEvents(kept, options);
    await runPlan(plan, { providers: {}, time, dryRun: true, onEvent: dry.onEvent });
    expect(await dry.settled()).toEqual([]);
    const real = notifyRunEvents(kept, options);
    await runPlan(plan, { providers: {}, time, onEvent: real.onEvent });
    await real.settled();
    expect(kept.sent.map((n) => [n.title, n.message, n.severity])).toEqual([
      ['Test plan done in 1m 35s', 'RTO goal none set', 'info'],
    ]);
  });

  it('retries PagerDuty in the background and reports what could not be delivered', async () => {
    const pd = await startRecordingReceiver([{ status: 500 }, { status: 502 }], { status: 202 });
    const down = await startRecordingReceiver([], { status: 500 });
    receivers.push(pd, down);
    const paced = createIoPacedTime();
    const plan = testPlan([waitStep('switch', 1_000)]);
    const failures: string[] = [];
    const delivered = notifyRunEvents(paced.track(pagerDutyNotifier({ routingKey: 'K', endpoint: pd.url })), {
      channel: 'pagerduty',
      plan,
      time: paced.time,
      random: () => 1,
    });
    const lost = notifyRunEvents(paced.track(pagerDutyNotifier({ routingKey: 'K', endpoint: down.url })), {
      channel: 'pagerduty',
      plan,
      time: paced.time,
      random: () => 1,
      budgetMs: 5_000,
      onFailure: (stage, error) => failures.push(`${stage}: ${error.kind}`),
    });
    const run = await paced.drive(
      (async () => {
        const result = await runPlan(plan, {
          providers: {},
          time: paced.time,
          onEvent: (event) => {
            delivered.onEvent(event);
            lost.onEvent(event);
          },
        });
        return { result, delivered: await delivered.settled(), lost: await lost.settled() };
      })(),
    );
    expect(run.result._unsafeUnwrap().status).toBe('succeeded');
    expect(run.delivered.map((d) => [d.stage, d.error])).toEqual([
      ['failover-started', undefined],
      ['failover-completed', undefined],
    ]);
    // The start failed twice before it got through; the end went at once.
    expect(pd.received.map((r) => (r.json as { event_action: string }).event_action)).toEqual([
      'trigger',
      'trigger',
      'trigger',
      'acknowledge',
    ]);
    expect(failures).toEqual(['failover-started: unavailable', 'failover-completed: unavailable']);
    // Backoff 1, 2 s fits the 5 s budget, the next 4 s would not: three attempts each.
    expect(down.received).toHaveLength(6);
  });
});
