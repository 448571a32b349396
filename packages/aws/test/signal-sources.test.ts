import { type Emulator, startEmulator } from '@failover/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { awsOn, awsWorld } from './aws-emulator.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

const minute = 60_000;

/** An outage curve (EndTime is exclusive: a read at minute 12 ends with minute 11's datapoint): 0.2 % errors, 15 % from minute 10, back to 0.5 % at minute 25; us-west-2 stays quiet. */
async function outageWorld(): Promise<Emulator> {
  emulator = await startEmulator({
    timeScale: 0,
    seed: {
      aws: awsWorld({
        cloudwatch: {
          metrics: [
            {
              region: 'us-east-1',
              namespace: 'Checkout',
              metricName: 'ErrorRate',
              dimensions: { Service: 'api' },
              unit: 'Percent',
              points: [
                { afterMs: 0, value: 0.2 },
                { afterMs: 10 * minute, value: 15 },
                { afterMs: 25 * minute, value: 0.5 },
              ],
            },
            {
              region: 'us-west-2',
              namespace: 'Checkout',
              metricName: 'ErrorRate',
              dimensions: { Service: 'api' },
              unit: 'Percent',
              points: [{ afterMs: 0, value: 0.1 }],
            },
          ],
          alarms: [
            {
              region: 'us-east-1',
              name: 'api-5xx',
              namespace: 'Checkout',
              metricName: 'ErrorRate',
              dimensions: { Service: 'api' },
              threshold: 10,
              evaluationPeriods: 3,
              states: [{ afterMs: 13 * minute, value: 'ALARM' }],
            },
          ],
        },
      }),
    },
  });
  return emulator;
}

describe('AWS signal sources on the emulator', () => {
  it('replays a CloudWatch outage curve, one vantage point per region', async () => {
    const emu = await outageWorld();
    const source = awsOn(emu).metricSource({
      id: 'error-rate',
      regions: ['us-east-1', 'us-west-2'],
      namespace: 'Checkout',
      metricName: 'ErrorRate',
      dimensions: { Service: 'api' },
      unit: 'percent',
    });
    expect(source.vantagePoints).toEqual(['cloudwatch:us-east-1', 'cloudwatch:us-west-2']);
    const start = emu.clock.now();
    emu.clock.advance(12 * minute);
    const during = (
      await source.read({ at: emu.clock.now(), windowMs: 5 * minute, timeoutMs: 10_000 })
    )._unsafeUnwrap();
    const east = during.filter((sample) => sample.vantage === 'cloudwatch:us-east-1');
    expect(east.map((sample) => [(sample.at - start) / minute, sample.value])).toEqual([
      [7, 0.2],
      [8, 0.2],
      [9, 0.2],
      [10, 15],
      [11, 15],
    ]);
    expect(east[0]).toMatchObject({ unit: 'percent' });
    expect(
      during.filter((sample) => sample.vantage === 'cloudwatch:us-west-2').every((s) => s.value === 0.1),
    ).toBe(true);

    emu.clock.advance(20 * minute);
    const after = (
      await source.read({ at: emu.clock.now(), windowMs: 2 * minute, timeoutMs: 10_000 })
    )._unsafeUnwrap();
    expect(after.filter((s) => s.vantage === 'cloudwatch:us-east-1').map((s) => s.value)).toEqual([0.5, 0.5]);
  });

  it('reads a dark region as unknown, and fails only when no region answers', async () => {
    const emu = await outageWorld();
    const source = awsOn(emu).metricSource({
      id: 'error-rate',
      regions: ['us-east-1', 'us-west-2'],
      namespace: 'Checkout',
      metricName: 'ErrorRate',
      dimensions: { Service: 'api' },
    });
    emu.clock.advance(3 * minute);
    emu.blackouts.add({ cloud: 'aws', region: 'us-east-1' });
    const query = { at: emu.clock.now(), windowMs: minute, timeoutMs: 1_000 };
    const samples = (await source.read(query))._unsafeUnwrap();
    expect(samples.find((s) => s.vantage === 'cloudwatch:us-east-1')).toMatchObject({ status: 'unknown' });
    expect(samples.filter((s) => s.vantage === 'cloudwatch:us-west-2').length).toBeGreaterThan(0);
    emu.blackouts.add({ cloud: 'aws', region: 'us-west-2' });
    expect((await source.read(query))._unsafeUnwrapErr()).toMatchObject({ kind: 'unavailable' });
  });

  it('reports an alarm going to ALARM as down, and a missing alarm as unknown', async () => {
    const emu = await outageWorld();
    const source = awsOn(emu).alarmSource({
      id: 'alarms',
      region: 'us-east-1',
      alarmNames: ['api-5xx', 'nope'],
    });
    const start = emu.clock.now();
    const before = (await source.read({ at: emu.clock.now(), timeoutMs: 10_000 }))._unsafeUnwrap();
    expect(before.map((s) => [s.vantage, s.status])).toEqual([
      ['us-east-1/api-5xx', 'up'],
      ['us-east-1/nope', 'unknown'],
    ]);
    emu.clock.advance(14 * minute);
    const [alarm] = (await source.read({ at: emu.clock.now(), timeoutMs: 10_000 }))._unsafeUnwrap();
    expect(alarm).toMatchObject({ status: 'down', at: start + 13 * minute });
    expect(alarm?.detail).toContain('api-5xx is ALARM');
  });

  it('reads a Route 53 health check per checker region, and fails with us-east-1 dark', async () => {
    emulator = await startEmulator({
      timeScale: 0,
      seed: {
        aws: awsWorld({
          route53: {
            healthChecks: [
              { id: 'hc-primary', fqdn: 'ecommerce-alb-us-east-1.elb.amazonaws.com', healthy: false },
              { id: 'hc-secondary', fqdn: 'ecommerce-alb-us-west-2.elb.amazonaws.com' },
            ],
          },
        }),
      },
    });
    const aws = awsOn(emulator);
    const primary = (
      await aws
        .healthCheckSource({ id: 'primary', healthCheckId: 'hc-primary' })
        .read({ at: 0, timeoutMs: 10_000 })
    )._unsafeUnwrap();
    expect(primary.length).toBeGreaterThan(1);
    expect(new Set(primary.map((s) => s.status))).toEqual(new Set(['down']));
    expect(primary.every((s) => s.vantage.startsWith('route53:'))).toBe(true);
    const secondary = aws.healthCheckSource({ id: 'secondary', healthCheckId: 'hc-secondary' });
    expect(
      (await secondary.read({ at: 0, timeoutMs: 10_000 }))._unsafeUnwrap().every((s) => s.status === 'up'),
    ).toBe(true);
    emulator.blackouts.add({ cloud: 'aws', region: 'us-east-1' });
    expect((await secondary.read({ at: 0, timeoutMs: 1_000 }))._unsafeUnwrapErr()).toMatchObject({
      kind: 'unavailable',
    });
  });
});
