import { describe, expect, it } from 'vitest';
import { createVirtualTime } from '../time/virtual-time.js';
import type { DurableCalls } from './durable-calls.js';
import { runPlan } from './run-plan.js';
import { fakeDns, weightedRecord } from './test-support/fake-providers.js';
import { dnsSwitch, testPlan, waitStep } from './test-support/test-plans.js';

/** An engine that records calls as they are made and keeps the waits it was asked for. */
function engine(sleep: (ms: number, signal?: AbortSignal) => Promise<void>) {
  const waits: number[] = [];
  const durable: DurableCalls = {
    record: (_name, call) => call(),
    sleep(ms, signal) {
      waits.push(ms);
      return sleep(ms, signal);
    },
  };
  return { durable, waits };
}

describe('runPlan with durable sleeps (DurableCalls.sleep)', () => {
  it('makes the steps’ waits through the engine', async () => {
    const time = createVirtualTime();
    const dns = fakeDns(time, [weightedRecord('api.example.com')], { propagationMs: 30_000 });
    const { durable, waits } = engine((ms, signal) => time.sleep(ms, signal));
    const result = (
      await runPlan(
        testPlan([waitStep('soak', 90_000), dnsSwitch('switch', 'api.example.com', { dependsOn: ['soak'] })]),
        { providers: { dns }, time, durableCalls: durable },
      )
    )._unsafeUnwrap();
    expect(result.status).toBe('succeeded');
    expect(waits).toContain(90_000);
    expect(result.steps.find((step) => step.stepId === 'soak')?.status).toBe('succeeded');
  });

  it('keeps step deadlines on the run’s own clock: a wait the engine never ends still times out', async () => {
    const time = createVirtualTime();
    const dns = fakeDns(time, [weightedRecord('api.example.com')]);
    // An engine timer that only an abort ends: were the deadline one of its timers, the run would hang.
    const { durable, waits } = engine(
      (_ms, signal) =>
        new Promise<void>((resolve) => {
          if (signal?.aborted) return resolve();
          signal?.addEventListener('abort', () => resolve(), { once: true });
        }),
    );
    const result = (
      await runPlan(testPlan([{ ...waitStep('soak', 10 * 60_000), timeoutMs: 60_000 }]), {
        providers: { dns },
        time,
        durableCalls: durable,
      })
    )._unsafeUnwrap();
    expect(waits).toEqual([10 * 60_000]);
    expect(result.status).toBe('failed');
    expect(result.steps[0]).toMatchObject({ stepId: 'soak', status: 'failed', error: { kind: 'timeout' } });
  });

  it('gives the engine each call’s signal, aborted when the step’s deadline passed during the call', async () => {
    const time = createVirtualTime();
    // The change takes 30 minutes to propagate; the step may take one.
    const dns = fakeDns(time, [weightedRecord('api.example.com')], { propagationMs: 30 * 60_000 });
    const ended: Array<{ name: string; aborted: boolean }> = [];
    const durable: DurableCalls = {
      async record(name, call, signal) {
        const outcome = await call();
        ended.push({ name, aborted: signal?.aborted === true });
        return outcome;
      },
    };
    const result = (
      await runPlan(testPlan([dnsSwitch('switch', 'api.example.com', { timeoutMs: 60_000 })]), {
        providers: { dns },
        time,
        durableCalls: durable,
      })
    )._unsafeUnwrap();
    expect(result.steps[0]).toMatchObject({ status: 'failed', error: { kind: 'timeout' } });
    // Each attempt's wait is cut by its deadline; the calls before it ended with their signal live.
    const waits = ended.filter((call) => call.name === 'dns.waitForChange');
    expect(waits.length).toBeGreaterThan(0);
    expect(waits.every((call) => call.aborted)).toBe(true);
    expect(ended.filter((call) => call.name !== 'dns.waitForChange').some((call) => call.aborted)).toBe(
      false,
    );
  });
});
