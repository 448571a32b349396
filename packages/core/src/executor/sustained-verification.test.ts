import { afterEach, describe, expect, it } from 'vitest';
import type { SignalSample } from '../health/signal-sample.js';
import type { SignalSourceV1 } from '../health/signal-source-v1.js';
import { startLoopbackServer } from '../health/test-support/loopback-server.js';
import { okAsync } from '../result.js';
import { createVirtualTime } from '../time/virtual-time.js';
import { runPlan } from './run-plan.js';
import { testPlan } from './test-support/test-plans.js';

/** An error-rate series: `value(at)` from two vantage points, one sample per 10 s over the window. */
function errorRate(value: (at: number) => number): SignalSourceV1 {
  const vantages = ['prometheus-a', 'prometheus-b'];
  return {
    specificationVersion: 'v1',
    id: 'error-rate',
    kind: 'metric',
    provider: 'scripted',
    unit: 'ratio',
    vantagePoints: vantages,
    read: ({ at, windowMs = 60_000 }) => {
      const samples: SignalSample[] = [];
      for (const vantage of vantages)
        for (let t = at - windowMs + 10_000; t <= at; t += 10_000)
          samples.push({ at: t, vantage, value: value(t) });
      return okAsync(samples);
    },
  };
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('sustained verification', () => {
  it('verify holds an error rate under 1 % for 5 minutes without a break; a blip starts the hold again', async () => {
    const time = createVirtualTime({ startAt: 0 });
    // High until 2 min, low after, with one blip at 4 min.
    const curve = (at: number) => (at < 120_000 ? 0.05 : at >= 240_000 && at < 250_000 ? 0.03 : 0.004);
    const plan = testPlan([
      {
        id: 'error-rate-low',
        kind: 'verify',
        check: {
          type: 'metric',
          signal: 'error-rate',
          condition: { type: 'at-most', value: 0.01 },
          aggregate: 'latest',
          windowMs: 10_000,
        },
        timeoutMs: 30 * 60_000,
        intervalMs: 30_000,
        holdForMs: 5 * 60_000,
      },
    ]);
    const result = (
      await runPlan(plan, { providers: {}, time, signals: { 'error-rate': errorRate(curve) } })
    )._unsafeUnwrap();
    expect(result.status).toBe('succeeded');
    const step = result.steps[0]!;
    // First low reading at 120 s, broken by the blip at 240 s, held again from 270 s: done at 570 s.
    expect(step.endedAt).toBe(570_000);
  });

  it('verify fails at its deadline when the condition never holds long enough', async () => {
    const time = createVirtualTime({ startAt: 0 });
    const flapping = (at: number) => (Math.floor(at / 60_000) % 2 === 0 ? 0.002 : 0.2);
    const plan = testPlan([
      {
        id: 'error-rate-low',
        kind: 'verify',
        check: {
          type: 'metric',
          signal: 'error-rate',
          condition: { type: 'at-most', value: 0.01 },
          windowMs: 10_000,
        },
        timeoutMs: 10 * 60_000,
        intervalMs: 20_000,
        holdForMs: 2 * 60_000,
      },
    ]);
    const result = (
      await runPlan(plan, { providers: {}, time, signals: { 'error-rate': errorRate(flapping) } })
    )._unsafeUnwrap();
    expect(result.status).not.toBe('succeeded');
    expect(result.steps[0]!.error?.kind).toBe('timeout');
    expect(time.now()).toBe(10 * 60_000);
  });

  it('a check holding for a while fails as soon as it breaks; p99 over the window judges latency', async () => {
    const time = createVirtualTime({ startAt: 0 });
    const latency: SignalSourceV1 = {
      ...errorRate((at) => (at >= 90_000 && at < 100_000 ? 1_500 : 200)),
      id: 'latency',
      unit: 'ms',
    };
    const plan = testPlan([
      {
        id: 'p99-latency',
        kind: 'check',
        check: {
          type: 'metric',
          signal: 'latency',
          condition: { type: 'at-most', value: 800 },
          aggregate: 'p99',
          windowMs: 60_000,
        },
        holdForMs: 3 * 60_000,
        intervalMs: 30_000,
      },
    ]);
    const result = (await runPlan(plan, { providers: {}, time, signals: { latency } }))._unsafeUnwrap();
    const step = result.steps[0]!;
    expect(step.status).toBe('failed');
    expect(step.error?.message).toContain('stopped holding after 90000 ms');
  });

  it('an http check sends its method, headers and body and asserts status, body and JSON paths', async () => {
    let answered = 0;
    const server = await startLoopbackServer((_request, _body, response) => {
      // Degraded on the first two probes, then healthy: the verify must poll through them.
      const status = ++answered <= 2 ? 'degraded' : 'ok';
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ status, region: 'us-west-2' }));
    });
    closers.push(server.close);
    // Real time: a virtual clock would jump to the step's deadline while the request is in flight.
    const plan = testPlan([
      {
        id: 'deep-health',
        kind: 'verify',
        check: {
          type: 'http',
          url: `${server.url}/health/deep`,
          method: 'POST',
          headers: { 'x-probe': 'failover' },
          body: '{"deep":true}',
          bodyIncludes: 'us-west-2',
          json: [
            { path: '$.status', equals: 'ok' },
            { path: '$.region', equals: 'us-west-2' },
          ],
        },
        timeoutMs: 10_000,
        intervalMs: 100,
      },
    ]);
    const result = (await runPlan(plan, { providers: {} }))._unsafeUnwrap();
    expect(result.status).toBe('succeeded');
    expect(server.requests).toHaveLength(3);
    expect(server.requests[0]).toMatchObject({ method: 'POST', url: '/health/deep', body: '{"deep":true}' });
    expect(server.requests[0]!.headers['x-probe']).toBe('failover');
  });
});
