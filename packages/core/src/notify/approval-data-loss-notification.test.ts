import { afterEach, describe, expect, it } from 'vitest';
import type { ApprovalDataLoss } from '../executor/approver.js';
import type { ApprovalRequestEvent } from '../executor/executor-event.js';
import { testPlan } from '../executor/test-support/test-plans.js';
import { okAsync } from '../result.js';
import { createVirtualTime } from '../time/virtual-time.js';
import type { Notification } from './notification.js';
import type { NotifierV1 } from './notifier-v1.js';
import { notifyRunEvents } from './run-event-notifications.js';
import { slackNotifier } from './slack-notifier.js';
import { type RecordingReceiver, startRecordingReceiver } from './test-support/recording-receiver.js';

const receivers: RecordingReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

const known: ApprovalDataLoss = {
  database: 'orders',
  stepId: 'promote-orders',
  lagMs: 12_000,
  observedAt: Date.UTC(2026, 0, 1, 9, 41, 7),
  rpoMs: 5_000,
  summary:
    'orders: forced promotion loses up to 12 s of writes (lag observed 09:41:07Z; RPO 5 s: beyond it, so the step will refuse unless the lag falls)',
};
const unknown: ApprovalDataLoss = {
  database: 'carts',
  stepId: 'promote-carts',
  observedAt: Date.UTC(2026, 0, 1, 9, 41, 8),
  unknownReason: 'reading it failed: CloudWatch is unavailable',
  summary:
    'carts: replication lag UNKNOWN — the data-loss window cannot be bounded (reading it failed: CloudWatch is unavailable)',
};

const request = (dataLoss?: ApprovalDataLoss[]): ApprovalRequestEvent => ({
  type: 'approval-request',
  runId: 'run-1',
  at: Date.UTC(2026, 0, 1, 9, 41, 9),
  stepId: 'approve-data-loss',
  message: 'Promote with data loss?',
  timeoutMs: 900_000,
  ...(dataLoss && { dataLoss }),
});

function keeping(): NotifierV1 & { sent: Notification[] } {
  const sent: Notification[] = [];
  return { specificationVersion: 'v1', name: 'kept', sent, send: (n) => okAsync(void sent.push(n)) };
}

describe('an approval-needed notification shows the data-loss window', () => {
  it('puts one line per gated database under the question, as Slack receives it', async () => {
    const slack = await startRecordingReceiver();
    receivers.push(slack);
    const stages = notifyRunEvents(slackNotifier({ webhookUrl: `${slack.url}/services/T0/B0/secret` }), {
      channel: 'slack:#incidents',
      plan: testPlan([], { name: 'Checkout' }),
      time: createVirtualTime(),
    });
    stages.onEvent(request([known, unknown]));
    expect((await stages.settled()).map((delivery) => delivery.error)).toEqual([undefined]);
    const body = slack.received[0]?.json as { text: string };
    expect(body.text.split('\n')).toEqual([
      'Approval needed: Checkout waits on approve-data-loss',
      'Promote with data loss?',
      `  ${known.summary}`,
      `  ${unknown.summary}`,
      'Run run-1.',
    ]);
  });

  it('hands the entries to a template function, and adds nothing to an approval without them', async () => {
    const kept = keeping();
    const stages = notifyRunEvents(kept, {
      channel: 'ops',
      plan: testPlan([]),
      time: createVirtualTime(),
      templates: {
        'approval-needed': (data) => ({
          title: `${data.stepId}: ${data.dataLoss?.length ?? 0} database(s) may lose writes`,
          message: data.dataLoss?.map((entry) => `${entry.database}=${entry.lagMs ?? '?'}`).join(', ') ?? '',
          severity: 'critical',
        }),
      },
    });
    stages.onEvent(request([known, unknown]));
    await stages.settled();
    expect(kept.sent.map((n) => [n.title, n.message])).toEqual([
      ['approve-data-loss: 2 database(s) may lose writes', 'orders=12000, carts=?'],
    ]);

    const plain = keeping();
    const defaults = notifyRunEvents(plain, {
      channel: 'ops',
      plan: testPlan([]),
      time: createVirtualTime(),
    });
    defaults.onEvent(request());
    await defaults.settled();
    expect(plain.sent[0]?.message).toBe('Promote with data loss?\nRun run-1.');
  });
});
