import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Notification } from './notification.js';
import { pagerDutyNotifier } from './pagerduty-notifier.js';
import { signedWebhookNotifier } from './signed-webhook-notifier.js';
import { slackNotifier } from './slack-notifier.js';
import { teamsNotifier } from './teams-notifier.js';
import { type RecordingReceiver, startRecordingReceiver } from './test-support/recording-receiver.js';
import { verifyWebhookSignature } from './webhook-signature.js';

const receivers: RecordingReceiver[] = [];
async function receiver(...args: Parameters<typeof startRecordingReceiver>): Promise<RecordingReceiver> {
  const started = await startRecordingReceiver(...args);
  receivers.push(started);
  return started;
}
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

const notification = (extra: Partial<Notification> = {}): Notification => ({
  planId: 'checkout',
  runId: 'run-7',
  stepId: 'tell',
  channel: 'slack:#incidents',
  title: 'Failover completed: Checkout serves from eu-west-1',
  message: 'Achieved RTO 4m 12s <fast>.',
  severity: 'warning',
  stage: 'failover-completed',
  dedupKey: 'failover/checkout/run-7',
  at: Date.UTC(2026, 0, 1, 12),
  facts: { from: 'us-east-1', to: 'eu-west-1' },
  ...extra,
});

describe('Slack incoming webhook', () => {
  it('posts the text fallback and blocks, escaping mrkdwn', async () => {
    const slack = await receiver();
    const sent = await slackNotifier({ webhookUrl: `${slack.url}/services/T0/B0/secret` }).send(
      notification(),
    );
    expect(sent.isOk()).toBe(true);
    const [request] = slack.received;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/services/T0/B0/secret');
    expect(request?.headers['content-type']).toBe('application/json');
    const body = request?.json as { text: string; blocks: Array<{ type: string; text?: { text: string } }> };
    expect(body.text).toBe('Failover completed: Checkout serves from eu-west-1\nAchieved RTO 4m 12s <fast>.');
    expect(body.blocks[0]?.text?.text).toContain('&lt;fast&gt;');
    expect(body.blocks.map((block) => block.type)).toEqual(['section', 'section', 'context']);
  });

  it('maps refusals to errors that never show the webhook URL', async () => {
    const slack = await receiver([
      { status: 404, body: 'no_service' },
      { status: 429, body: 'rate_limited', headers: { 'retry-after': '7' } },
      { status: 503, body: '' },
    ]);
    const notifier = slackNotifier({ webhookUrl: `${slack.url}/services/T0/B0/xoxsecret` });
    const gone = (await notifier.send(notification()))._unsafeUnwrapErr();
    expect(gone).toMatchObject({ kind: 'not-found', retryable: false, provider: 'slack' });
    expect(gone.message).toBe('slack answered HTTP 404: no_service.');
    const throttled = (await notifier.send(notification()))._unsafeUnwrapErr();
    expect(throttled).toMatchObject({ kind: 'throttled', retryable: true, retryAfterMs: 7000 });
    const down = (await notifier.send(notification()))._unsafeUnwrapErr();
    expect(down).toMatchObject({ kind: 'unavailable', retryable: true });
    for (const error of [gone, throttled, down])
      expect(JSON.stringify(error.toJSON())).not.toContain('xoxsecret');
  });

  it('reports an unreachable webhook as retryable, without its address', async () => {
    const closed = await startRecordingReceiver();
    await closed.close();
    const error = (
      await slackNotifier({ webhookUrl: `${closed.url}/hooks/secret-path` }).send(notification())
    )._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'unavailable', retryable: true });
    expect(error.message).not.toContain('secret-path');
    expect(error.message).not.toContain('127.0.0.1');
  });
});

describe('Microsoft Teams incoming webhook', () => {
  it('posts a message with one Adaptive Card', async () => {
    const teams = await receiver([], { status: 202 });
    expect(
      (await teamsNotifier({ webhookUrl: `${teams.url}/workflows/x` }).send(notification())).isOk(),
    ).toBe(true);
    const body = teams.received[0]?.json as {
      type: string;
      attachments: Array<{
        contentType: string;
        content: { type: string; body: Array<Record<string, unknown>> };
      }>;
    };
    expect(body.type).toBe('message');
    expect(body.attachments[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const card = body.attachments[0]!.content;
    expect(card.type).toBe('AdaptiveCard');
    expect(card.body[0]).toMatchObject({ type: 'TextBlock', text: notification().title, color: 'warning' });
    expect(card.body[2]).toEqual({
      type: 'FactSet',
      facts: [
        { title: 'from', value: 'us-east-1' },
        { title: 'to', value: 'eu-west-1' },
      ],
    });
  });
});

describe('PagerDuty Events API v2', () => {
  it('triggers, acknowledges and resolves one incident per run', async () => {
    const pd = await receiver([], {
      status: 202,
      body: '{"status":"success","message":"Event processed","dedup_key":"failover/checkout/run-7"}',
    });
    const pager = pagerDutyNotifier({ routingKey: 'R0UT1NGKEY', endpoint: `${pd.url}/v2/enqueue` });
    await pager.send(notification({ channel: 'pagerduty', stage: 'failover-started', severity: 'critical' }));
    await pager.send(notification({ channel: 'pagerduty' }));
    await pager.send(
      notification({ channel: 'pagerduty:resolve', stage: 'failback-completed', severity: 'info' }),
    );
    const [trigger, acknowledge, resolve] = pd.received.map((r) => r.json as Record<string, unknown>);
    expect(trigger).toMatchObject({
      routing_key: 'R0UT1NGKEY',
      event_action: 'trigger',
      dedup_key: 'failover/checkout/run-7',
      payload: {
        summary: 'Failover completed: Checkout serves from eu-west-1',
        source: 'checkout',
        severity: 'critical',
        timestamp: '2026-01-01T12:00:00.000Z',
      },
    });
    expect(acknowledge).toEqual({
      routing_key: 'R0UT1NGKEY',
      event_action: 'acknowledge',
      dedup_key: 'failover/checkout/run-7',
    });
    expect(resolve).toMatchObject({ event_action: 'resolve', dedup_key: 'failover/checkout/run-7' });
    expect(pd.received.every((r) => r.path === '/v2/enqueue')).toBe(true);
  });

  it('keeps the routing key out of the error of a refused event', async () => {
    const pd = await receiver([
      { status: 400, body: '{"status":"invalid event","message":"Event object is invalid","errors":["x"]}' },
    ]);
    const error = (
      await pagerDutyNotifier({ routingKey: 'R0UT1NGKEY', endpoint: pd.url }).send(
        notification({ channel: 'pagerduty' }),
      )
    )._unsafeUnwrapErr();
    expect(error.kind).toBe('invalid-input');
    expect(JSON.stringify(error.toJSON())).not.toContain('R0UT1NGKEY');
  });
});

describe('signed webhook', () => {
  it('signs timestamp.body with HMAC-SHA256 and never sends the secret', async () => {
    const hook = await receiver([], { status: 204 });
    const now = Date.UTC(2026, 0, 1, 12, 0, 5);
    const sent = await signedWebhookNotifier({
      url: `${hook.url}/in`,
      secret: 's3cr3t-key',
      now: () => now,
    }).send(notification());
    expect(sent.isOk()).toBe(true);
    const request = hook.received[0]!;
    const timestamp = request.headers['x-failover-timestamp'] as string;
    const signature = request.headers['x-failover-signature'] as string;
    expect(timestamp).toBe(String(now / 1000));
    const expected = createHmac('sha256', 's3cr3t-key').update(`${timestamp}.${request.body}`).digest('hex');
    expect(signature).toBe(`v1=${expected}`);
    expect(request.json).toEqual({ type: 'failover.notification', version: 1, notification: notification() });
    expect(JSON.stringify(request.headers) + request.body).not.toContain('s3cr3t-key');

    const headers = { timestamp, signature };
    expect(await verifyWebhookSignature('s3cr3t-key', headers, request.body, { now: () => now + 1000 })).toBe(
      true,
    );
    expect(await verifyWebhookSignature('other-key', headers, request.body, { now: () => now })).toBe(false);
    expect(await verifyWebhookSignature('s3cr3t-key', headers, `${request.body} `, { now: () => now })).toBe(
      false,
    );
    // A message replayed ten minutes later is refused.
    expect(
      await verifyWebhookSignature('s3cr3t-key', headers, request.body, { now: () => now + 600_000 }),
    ).toBe(false);
  });
});
