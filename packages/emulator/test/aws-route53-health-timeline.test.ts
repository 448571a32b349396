// Route 53 health checkers on a scripted timeline: GetHealthCheckStatus through the real SDK
// client, the emulator clock moved by hand. Each checker reports the step in force at its own
// last check (CheckedTime on its requestInterval grid), and a dark target region times out.
import { GetHealthCheckStatusCommand } from '@aws-sdk/client-route-53';
import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, type HealthCheckSeed, startEmulator } from '../src/index.js';
import { awsSeed, route53 } from './aws-clients.js';

let emulator: Emulator;
afterEach(async () => {
  expect(emulator.requests.list().filter((entry) => entry.internalError)).toEqual([]);
  await emulator.stop();
});

const edge: HealthCheckSeed = {
  id: 'hc-edge',
  type: 'HTTPS',
  fqdn: 'edge.eu-west-1.example.com',
  requestInterval: 10,
  targetRegion: 'eu-west-1',
  timeline: [
    { afterMs: 60_000, healthy: false, status: 'Failure: HTTP Status Code 503, Service Unavailable' },
    { afterMs: 120_000, healthy: true },
    // One checker's own network trouble: only sa-east-1 sees a failure.
    { afterMs: 180_000, healthy: false, checkerRegions: ['sa-east-1'] },
  ],
};

async function start() {
  const seed = awsSeed();
  seed.route53!.healthChecks = [edge];
  emulator = await startEmulator({
    timeScale: 0,
    startAt: Date.UTC(2026, 11, 7, 4, 0, 0),
    seed: { aws: seed },
  });
  return route53(emulator);
}

async function observe(client: ReturnType<typeof route53>) {
  const out = await client.send(new GetHealthCheckStatusCommand({ HealthCheckId: 'hc-edge' }));
  return (out.HealthCheckObservations ?? []).map((observation) => ({
    region: observation.Region!,
    status: observation.StatusReport!.Status!,
    checkedAt: observation.StatusReport!.CheckedTime!.getTime(),
  }));
}

describe('Route 53 health-check timelines', () => {
  it('follows the script per checker, each at its own last check', async () => {
    const client = await start();
    const startedAt = emulator.clock.now();

    const healthy = await observe(client);
    expect(healthy).toHaveLength(8);
    expect(healthy.every((o) => o.status === 'Success: HTTP Status Code 200, OK')).toBe(true);
    // Every CheckedTime is a past check, at most one 10 s interval old, and they are staggered.
    for (const o of healthy) {
      expect(o.checkedAt).toBeLessThanOrEqual(emulator.clock.now());
      expect(emulator.clock.now() - o.checkedAt).toBeLessThan(10_000);
    }
    expect(new Set(healthy.map((o) => o.checkedAt)).size).toBeGreaterThan(1);

    // 61 s in: a checker whose last check was before 60 s still reports success.
    emulator.clock.advance(61_000);
    const turning = await observe(client);
    for (const o of turning) {
      const failing = o.checkedAt - startedAt >= 60_000;
      expect(o.status).toBe(
        failing ? 'Failure: HTTP Status Code 503, Service Unavailable' : 'Success: HTTP Status Code 200, OK',
      );
    }
    expect(turning.some((o) => o.status.startsWith('Success'))).toBe(true);
    expect(turning.some((o) => o.status.startsWith('Failure'))).toBe(true);

    // One interval later every checker has seen it.
    emulator.clock.advance(10_000);
    expect((await observe(client)).every((o) => o.status.startsWith('Failure: HTTP Status Code 503'))).toBe(
      true,
    );

    emulator.clock.advance(60_000);
    expect((await observe(client)).every((o) => o.status.startsWith('Success'))).toBe(true);

    emulator.clock.advance(70_000);
    const oneChecker = await observe(client);
    expect(oneChecker.filter((o) => o.status.startsWith('Failure')).map((o) => o.region)).toEqual([
      'sa-east-1',
    ]);
    expect(oneChecker.find((o) => o.region === 'sa-east-1')!.status).toMatch(
      /^Failure: Connection timed out/,
    );
  });

  it('times out from every checker while the target region is dark, and recovers with it', async () => {
    const client = await start();
    const lift = emulator.blackouts.add({ cloud: 'aws', region: 'eu-west-1' });
    expect((await observe(client)).every((o) => o.status.startsWith('Failure: Connection timed out'))).toBe(
      true,
    );
    lift();
    expect((await observe(client)).every((o) => o.status === 'Success: HTTP Status Code 200, OK')).toBe(true);
    // Another region's blackout is not the endpoint's.
    emulator.blackouts.add({ cloud: 'aws', region: 'ap-southeast-2' });
    expect((await observe(client)).every((o) => o.status.startsWith('Success'))).toBe(true);
  });
});
