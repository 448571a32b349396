import { afterEach, describe, expect, it } from 'vitest';
import { createGcp } from '../src/index.js';
import { type GcpWorld, project, startGcpWorld } from './gcp-emulator-world.js';

let world: GcpWorld | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

const minute = 60_000;
const latency = 'loadbalancing.googleapis.com/https/backend_latencies';

/** p95 latency per region: us-central1 degrades from minute 5 (40 ms to 2.5 s), us-east1 stays at 35 ms. */
async function latencyWorld() {
  world = await startGcpWorld({
    seed: {
      monitoring: {
        series: [
          {
            project,
            metricType: latency,
            resourceType: 'https_lb_rule',
            resourceLabels: { region: 'us-central1', backend_target_name: 'api' },
            unit: 'ms',
            points: [
              { afterMs: 0, value: 40 },
              { afterMs: 5 * minute, value: 2_500 },
            ],
          },
          {
            project,
            metricType: latency,
            resourceType: 'https_lb_rule',
            resourceLabels: { region: 'us-east1', backend_target_name: 'api' },
            unit: 'ms',
            points: [{ afterMs: 0, value: 35 }],
          },
        ],
      },
    },
  });
  const { emulator, settings } = world;
  const rootUrls = { ...settings.rootUrls, monitoring: emulator.endpoint('gcp.monitoring') };
  return { emulator, gcp: createGcp({ ...settings, rootUrls }) };
}

describe('Cloud Monitoring signal source on the emulator', () => {
  it('replays a latency curve, one vantage point per region label, oldest first', async () => {
    const { emulator, gcp } = await latencyWorld();
    const source = gcp.metricSource({
      id: 'api-latency',
      filter: `metric.type = "${latency}" AND resource.labels.backend_target_name = "api"`,
      vantage: { label: 'resource.labels.region', values: ['us-central1', 'us-east1'] },
      unit: 'ms',
    });
    expect(source.vantagePoints).toEqual(['monitoring:us-central1', 'monitoring:us-east1']);
    const start = emulator.clock.now();
    emulator.clock.advance(7 * minute);
    const samples = (
      await source.read({ at: emulator.clock.now(), windowMs: 4 * minute, timeoutMs: 10_000 })
    )._unsafeUnwrap();
    const central = samples.filter((s) => s.vantage === 'monitoring:us-central1');
    expect(central.map((s) => [(s.at - start) / minute, s.value])).toEqual([
      [3, 40],
      [4, 40],
      [5, 2_500],
      [6, 2_500],
      [7, 2_500],
    ]);
    expect(central[0]).toMatchObject({ unit: 'ms' });
    expect(samples.filter((s) => s.vantage === 'monitoring:us-east1').every((s) => s.value === 35)).toBe(
      true,
    );
    // Oldest first across both series.
    expect(samples.map((s) => s.at)).toEqual([...samples.map((s) => s.at)].sort((a, b) => a - b));
  });

  it('gives no samples for a metric with no data, and maps a bad filter and throttling to errors', async () => {
    const { emulator, gcp } = await latencyWorld();
    const none = gcp.metricSource({ id: 'none', filter: 'metric.type = "custom.googleapis.com/nothing"' });
    expect((await none.read({ at: emulator.clock.now(), timeoutMs: 10_000 }))._unsafeUnwrap()).toEqual([]);
    const bad = gcp.metricSource({ id: 'bad', filter: `metric.type = "${latency}" OR resource.type = "x"` });
    expect(
      (await bad.read({ at: emulator.clock.now(), timeoutMs: 10_000 }))._unsafeUnwrapErr(),
    ).toMatchObject({
      kind: 'invalid-input',
      provider: 'gcp.monitoring',
    });
    emulator.faults.add({ fault: 'throttle', service: 'gcp.monitoring', times: 100 });
    const throttled = await none.read({ at: emulator.clock.now(), timeoutMs: 2_000 });
    expect(throttled._unsafeUnwrapErr()).toMatchObject({ kind: 'throttled' });
  });
});
