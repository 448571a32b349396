import { type Emulator, startEmulator } from '@failover/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { createAzure, createEmulatorHttpClient } from '../src/index.js';
import { fakeCredential, runbookSeed, subscriptionId } from './azure-emulator.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

const minute = 60_000;
const gateway = (region: string) =>
  `/subscriptions/${subscriptionId}/resourceGroups/aegis-rg/providers/Microsoft.Network/applicationGateways/agw-${region}`;

/** Failed requests per minute at each region's gateway: eastus fails from minute 4, westus stays quiet. */
async function start() {
  emulator = await startEmulator({
    timeScale: 0,
    seed: {
      azure: {
        ...runbookSeed(),
        monitor: {
          metrics: [
            {
              resourceId: gateway('eastus'),
              metricName: 'FailedRequests',
              points: [
                { afterMs: 0, value: 2 },
                { afterMs: 4 * minute, value: 480 },
              ],
            },
            {
              resourceId: gateway('westus'),
              metricName: 'FailedRequests',
              // No data for the first two minutes: grains holding only a timestamp.
              points: [
                { afterMs: 0, value: null },
                { afterMs: 2 * minute, value: 1 },
              ],
            },
          ],
        },
      },
    },
  });
  const azure = createAzure({
    subscriptionId,
    credential: fakeCredential,
    httpClient: createEmulatorHttpClient(emulator.url),
    time: emulator.clock,
    retryOptions: { maxRetries: 0 },
    retry: { maxAttempts: 1 },
  });
  return { emulator, azure };
}

const source = (azure: ReturnType<typeof createAzure>, metricName = 'FailedRequests') =>
  azure.metricSource({
    id: 'failed-requests',
    metricName,
    aggregation: 'total',
    resources: [
      { resourceId: gateway('eastus'), vantage: 'eastus' },
      { resourceId: gateway('westus'), vantage: 'westus' },
    ],
  });

describe('Azure Monitor metric source on the emulator', () => {
  it('replays a failure curve per resource, skipping grains without data', async () => {
    const { emulator: emu, azure } = await start();
    const start0 = emu.clock.now();
    emu.clock.advance(6 * minute);
    const samples = (
      await source(azure).read({ at: emu.clock.now(), windowMs: 5 * minute, timeoutMs: 10_000 })
    )._unsafeUnwrap();
    const series = (vantage: string) =>
      samples.filter((s) => s.vantage === vantage).map((s) => [(s.at - start0) / minute, s.value]);
    expect(series('azure-monitor:eastus')).toEqual([
      [1, 2],
      [2, 2],
      [3, 2],
      [4, 480],
      [5, 480],
    ]);
    expect(series('azure-monitor:westus')).toEqual([
      [2, 1],
      [3, 1],
      [4, 1],
      [5, 1],
    ]);
  });

  it('reports an unknown metric as invalid input, through the real client', async () => {
    const { emulator: emu, azure } = await start();
    const error = (
      await source(azure, 'NoSuchMetric').read({ at: emu.clock.now(), timeoutMs: 10_000 })
    )._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'invalid-input', provider: 'azure.monitor' });
    expect(emu.requests.list({ service: 'azure.arm' }).map((r) => r.operation)).toContain('Metrics_List');
  });
});
