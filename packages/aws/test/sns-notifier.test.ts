import { createVirtualTime, deliverNotification, type Notification } from '@failover/core';
import { type Emulator, findSnsService, startEmulator } from '@failover/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { snsNotifier } from '../src/index.js';
import { credentials } from './aws-emulator.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

const alertsArn = 'arn:aws:sns:us-west-2:123456789012:failover-alerts';
const pagesArn = 'arn:aws:sns:us-west-2:123456789012:failover-pages.fifo';

async function start(): Promise<Emulator> {
  emulator = await startEmulator({
    seed: {
      aws: {
        sns: {
          topics: [
            { name: 'failover-alerts', region: 'us-west-2' },
            { name: 'failover-pages.fifo', region: 'us-west-2' },
          ],
        },
      },
    },
  });
  return emulator;
}

const notification: Notification = {
  planId: 'checkout',
  runId: 'run-7',
  stepId: 'tell',
  channel: 'sns',
  title: 'Failover completed: Checkout serves from us-west-2 — 4m 12s',
  message: 'Achieved RTO 4m 12s.',
  severity: 'warning',
  stage: 'failover-completed',
  dedupKey: 'failover/checkout/run-7',
  at: Date.UTC(2026, 0, 1),
  facts: { from: 'us-east-1', to: 'us-west-2' },
};

describe('snsNotifier on the emulator', () => {
  it('publishes subject, body and filterable attributes to the topic', async () => {
    const emu = await start();
    const sns = snsNotifier({ topicArn: alertsArn, credentials, endpoint: emu.endpoint('aws.sns') });
    expect((await sns.send(notification)).isOk()).toBe(true);
    const [message] = findSnsService(emu.services)!.published;
    expect(message).toMatchObject({
      topicArn: alertsArn,
      region: 'us-west-2',
      subject: 'Failover completed: Checkout serves from us-west-2 ? 4m 12s',
      attributes: { severity: 'warning', planId: 'checkout', runId: 'run-7', stage: 'failover-completed' },
    });
    expect(message!.message).toBe(
      'Failover completed: Checkout serves from us-west-2 — 4m 12s\n\nAchieved RTO 4m 12s.\n\nfrom: us-east-1\nto: us-west-2\n\nplan checkout / run run-7',
    );
  });

  it('maps a missing topic, throttling and a dark region to errors', async () => {
    const emu = await start();
    const missing = snsNotifier({
      topicArn: 'arn:aws:sns:us-west-2:123456789012:nope',
      credentials,
      endpoint: emu.endpoint('aws.sns'),
    });
    expect((await missing.send(notification))._unsafeUnwrapErr()).toMatchObject({
      kind: 'not-found',
      retryable: false,
      provider: 'aws.sns',
    });
    emu.faults.add({ fault: 'throttle', service: 'aws.sns', times: 1 });
    const sns = snsNotifier({ topicArn: alertsArn, credentials, endpoint: emu.endpoint('aws.sns') });
    expect((await sns.send(notification))._unsafeUnwrapErr()).toMatchObject({
      kind: 'throttled',
      retryable: true,
    });
    emu.blackouts.add({ cloud: 'aws', region: 'us-west-2' });
    expect((await sns.send(notification))._unsafeUnwrapErr()).toMatchObject({
      kind: 'unavailable',
      retryable: true,
    });
    expect(findSnsService(emu.services)!.published).toEqual([]);
  });

  it('resends to a FIFO topic after a lost answer without a duplicate message', async () => {
    const emu = await start();
    emu.faults.add({ fault: 'applied-then-500', service: 'aws.sns', operation: 'Publish', times: 1 });
    const sns = snsNotifier({ topicArn: pagesArn, credentials, endpoint: emu.endpoint('aws.sns') });
    const time = createVirtualTime();
    const delivered = await deliverNotification(sns, notification, { time, random: () => 0 });
    expect(delivered._unsafeUnwrap().attempts).toBe(2);
    const published = findSnsService(emu.services)!.published;
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      messageGroupId: 'failover/checkout/run-7',
      messageDeduplicationId: 'run-7/tell/failover-completed',
    });
  });
});
