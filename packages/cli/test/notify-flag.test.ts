import { findSnsService, startEmulator } from '@failover/emulator';
import { describe, expect, it } from 'vitest';
import { parseNotifyFlag } from '../src/notifications/notify-flag.js';

describe('--notify sns=…', () => {
  it('publishes to the topic on the emulator the run talks to, loading the AWS adapter on first use', async () => {
    const emulator = await startEmulator({
      timeScale: 0,
      seed: { aws: { sns: { topics: [{ name: 'failover-alerts', region: 'us-west-2' }] } } },
    });
    try {
      const { route, notifier } = parseNotifyFlag('sns@oncall=env:TOPIC', {
        env: { TOPIC: 'arn:aws:sns:us-west-2:123456789012:failover-alerts' },
        emulatorUrl: emulator.url,
      });
      expect(route).toBe('oncall');
      const sent = await notifier.send({
        planId: 'p',
        runId: 'r',
        stepId: 's',
        channel: 'oncall',
        title: 'Failover started',
        message: 'Failover started',
        severity: 'critical',
        dedupKey: 'failover/p/r',
        at: 0,
      });
      expect(sent.isOk()).toBe(true);
      expect(findSnsService(emulator.services)!.published.map((m) => m.subject)).toEqual([
        'Failover started',
      ]);
    } finally {
      await emulator.stop();
    }
  });

  it('refuses a value that is not a topic ARN', () => {
    expect(() => parseNotifyFlag('sns=not-an-arn', { env: {} })).toThrow(/needs a topic ARN/);
  });
});

describe('--notify console', () => {
  it('prints every channel’s messages (or a route’s) to the drill’s operator', async () => {
    let printed = '';
    const out = { write: (text: string) => (printed += text) };
    const everything = parseNotifyFlag('console', { env: {}, console: out });
    const oncall = parseNotifyFlag('console@oncall', { env: {}, console: out });
    expect([everything.route, oncall.route]).toEqual(['*', 'oncall']);

    const sent = await everything.notifier.send({
      planId: 'p',
      runId: 'r',
      stepId: 'tell',
      channel: 'slack:#incidents',
      title: 'Checkout serves from us-west-2',
      message: 'Checkout serves from us-west-2.',
      severity: 'info',
      dedupKey: 'failover/p/r',
      at: 0,
    });

    expect(sent.isOk()).toBe(true);
    expect(printed).toBe('notify [slack:#incidents] Checkout serves from us-west-2.\n');
  });
});
