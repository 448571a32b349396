import { afterEach, describe, expect, it } from 'vitest';
import {
  type Emulator,
  type EmulatorService,
  faultProfileRules,
  faultProfiles,
  startEmulator,
} from '../src/index.js';

// A counter service: POST /counter adds one, GET /counter reads it. Enough to tell
// an applied request from one that was refused.
const counterService = (): EmulatorService => {
  let value = 0;
  return {
    id: 'test.counter',
    cloud: 'aws',
    mount: '/test/counter',
    route(request) {
      if (request.method === 'POST')
        return {
          operation: 'Add',
          mutating: true,
          handle: () => ({ status: 200, body: { value: ++value } }),
        };
      return { operation: 'Get', mutating: false, handle: () => ({ status: 200, body: { value } }) };
    },
    errorResponse(kind, detail) {
      return { status: kind === 'throttled' ? 429 : 500, body: { kind, message: detail.message } };
    },
  };
};

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

async function start(timeScale = 1) {
  emulator = await startEmulator({ extraServices: [counterService], timeScale });
  return { emulator, base: emulator.endpoint('test.counter') };
}

const read = async (base: string) => ((await (await fetch(base)).json()) as { value: number }).value;

describe('fault kinds of the resilience profiles', () => {
  it('applied-then-500: the mutation takes effect, the answer is a 500, and the log says both', async () => {
    const { emulator, base } = await start();
    emulator.faults.add({ fault: 'applied-then-500', operation: 'Add', times: 1 });
    expect((await fetch(base, { method: 'POST' })).status).toBe(500);
    expect(await read(base)).toBe(1);
    emulator.faults.add({ fault: 'server-error', operation: 'Add', times: 1 });
    expect((await fetch(base, { method: 'POST' })).status).toBe(500);
    expect(await read(base)).toBe(1); // a plain 5xx applies nothing
    expect(emulator.requests.list({ operation: 'Add' })).toMatchObject([
      { status: 500, fault: 'applied-then-500', appliedStatus: 200 },
      { status: 500, fault: 'server-error' },
    ]);
  });

  it('spike: the answer comes after the delay on the emulator clock, not in real time', async () => {
    const { emulator, base } = await start(1_000);
    emulator.faults.add({ fault: 'spike', operation: 'Get', times: 1, delayMs: 3_000 });
    const before = emulator.clock.now();
    const started = performance.now();
    expect(await read(base)).toBe(0);
    expect(emulator.clock.now() - before).toBeGreaterThanOrEqual(3_000);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('every profile is rules at the given rate; mixed spreads it over four faults plus the spikes', () => {
    expect(faultProfiles).toEqual(['throttling', '5xx', 'resets', 'applied-then-500', 'latency', 'mixed']);
    expect(faultProfileRules('throttling', 0.2)).toEqual([{ fault: 'throttle', rate: 0.2 }]);
    expect(faultProfileRules('resets', 0.2)).toEqual([{ fault: 'drop', rate: 0.2 }]);
    expect(faultProfileRules('latency', 0.2)).toEqual([{ fault: 'spike', rate: 0.05, delayMs: 3_000 }]);
    expect(faultProfileRules('mixed', 0.2).map((rule) => [rule.fault, rule.rate])).toEqual([
      ['throttle', 0.05],
      ['server-error', 0.05],
      ['drop', 0.05],
      ['applied-then-500', 0.05],
      ['spike', 0.05],
    ]);
  });

  it('applies a profile to every call at about its rate, the same way for the same seed', async () => {
    const pattern = async () => {
      const { emulator, base } = await start();
      for (const rule of faultProfileRules('5xx', 0.2)) emulator.faults.add(rule);
      const statuses: number[] = [];
      for (let i = 0; i < 200; i++) statuses.push((await fetch(base)).status);
      await emulator.stop();
      return statuses;
    };
    const first = await pattern();
    const failed = first.filter((status) => status === 500).length;
    expect(failed).toBeGreaterThan(20);
    expect(failed).toBeLessThan(60);
    expect(await pattern()).toEqual(first);
  });
});
