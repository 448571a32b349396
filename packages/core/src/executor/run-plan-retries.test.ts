import { describe, expect, it } from 'vitest';
import { FailoverError } from '../errors/failover-error.js';
import { createVirtualTime } from '../time/virtual-time.js';
import { runPlan } from './run-plan.js';
import { fakeDns, weightedRecord } from './test-support/fake-providers.js';
import { dnsSwitch, eventLog, testPlan } from './test-support/test-plans.js';

const throttled = (retryAfterMs?: number) =>
  new FailoverError({
    kind: 'throttled',
    message: 'Rate exceeded',
    provider: 'fake.dns',
    operation: 'ChangeResourceRecordSets',
    ...(retryAfterMs !== undefined && { retryAfterMs }),
  });

/** A retryable failure that is not transient (not throttling, not 5xx): it costs a step attempt. */
const pending = (retryAfterMs?: number) =>
  new FailoverError({
    kind: 'conflict',
    message: 'A prior change is not complete',
    provider: 'fake.dns',
    operation: 'ChangeResourceRecordSets',
    retryable: true,
    ...(retryAfterMs !== undefined && { retryAfterMs }),
  });

function setup(propagationMs = 0) {
  const time = createVirtualTime();
  const dns = fakeDns(time, [weightedRecord('api.example.com')], { propagationMs });
  return { time, dns, log: eventLog() };
}

const calls = (dns: ReturnType<typeof setup>['dns'], method: string) =>
  dns.log.filter((call) => call.method === method).length;

describe('runPlan retries', () => {
  it('retries a retryable error with backoff, then succeeds', async () => {
    const { time, dns, log } = setup();
    dns.fail('ensureRecordSet', { error: pending() }, { error: pending() });
    const plan = testPlan([
      dnsSwitch('switch', 'api.example.com', { retry: { maxAttempts: 3, baseDelayMs: 1_000 } }),
    ]);
    const run = (
      await runPlan(plan, { providers: { dns }, time, random: () => 0.5, onEvent: log.onEvent })
    )._unsafeUnwrap();
    expect(run.status).toBe('succeeded');
    expect(run.steps[0]!.attempts).toBe(3);
    expect(calls(dns, 'ensureRecordSet')).toBe(3);
    expect(log.ofType('step-retry').map((event) => [event.attempt, event.delayMs, event.error.kind])).toEqual(
      [
        [2, 500, 'conflict'],
        [3, 1_000, 'conflict'],
      ],
    );
    expect(run.endedAt - run.startedAt).toBe(1_500);
  });

  it('does not retry a non-retryable error: it fails on the first attempt', async () => {
    const { time, dns, log } = setup();
    dns.fail('ensureRecordSet', {
      error: new FailoverError({
        kind: 'conflict',
        message: 'busy',
        provider: 'fake.dns',
        operation: 'Change',
      }),
    });
    const plan = testPlan([dnsSwitch('switch', 'api.example.com', { retry: { maxAttempts: 5 } })]);
    const run = (
      await runPlan(plan, { providers: { dns }, time, onEvent: log.onEvent, rollbackOnFailure: false })
    )._unsafeUnwrap();
    expect(run.status).toBe('failed');
    expect(run.steps[0]).toMatchObject({ status: 'failed', attempts: 1 });
    expect(run.steps[0]!.calls.total.mutate).toBe(1);
    expect(run.error?.kind).toBe('conflict');
    expect(calls(dns, 'ensureRecordSet')).toBe(1);
    expect(log.ofType('step-retry')).toEqual([]);
  });

  it('gives up after maxAttempts', async () => {
    const { time, dns } = setup();
    dns.fail('ensureRecordSet', { error: pending() }, { error: pending() }, { error: pending() });
    const plan = testPlan([
      dnsSwitch('switch', 'api.example.com', { retry: { maxAttempts: 2, baseDelayMs: 10 } }),
    ]);
    const run = (await runPlan(plan, { providers: { dns }, time, rollbackOnFailure: false }))._unsafeUnwrap();
    expect(run.steps[0]).toMatchObject({ status: 'failed', attempts: 2 });
    expect(calls(dns, 'ensureRecordSet')).toBe(2);
  });

  it('honours Retry-After over a shorter jittered delay', async () => {
    const { time, dns, log } = setup();
    dns.fail('ensureRecordSet', { error: pending(7_000) });
    const plan = testPlan([dnsSwitch('switch', 'api.example.com', { retry: { baseDelayMs: 100 } })]);
    const run = (
      await runPlan(plan, { providers: { dns }, time, random: () => 0.99, onEvent: log.onEvent })
    )._unsafeUnwrap();
    expect(run.status).toBe('succeeded');
    expect(log.ofType('step-retry')[0]!.delayMs).toBe(7_000);
    expect(run.endedAt - run.startedAt).toBe(7_000);
  });

  it('retries throttling and 5xx inside the attempt: they cost no step attempt', async () => {
    const { time, dns, log } = setup();
    const unavailable = new FailoverError({
      kind: 'unavailable',
      message: '503',
      provider: 'fake.dns',
      operation: 'GetResourceRecordSets',
    });
    dns.fail('getRecordSet', { error: throttled(2_000) }, { error: unavailable }, { error: throttled() });
    dns.fail('ensureRecordSet', { error: throttled() }, { error: unavailable });
    const plan = testPlan([dnsSwitch('switch', 'api.example.com', { retry: { maxAttempts: 1 } })]);
    const run = (
      await runPlan(plan, { providers: { dns }, time, random: () => 0.5, onEvent: log.onEvent })
    )._unsafeUnwrap();
    expect(run.status).toBe('succeeded');
    expect(run.steps[0]).toMatchObject({ attempts: 1 });
    expect(calls(dns, 'getRecordSet')).toBe(4);
    expect(calls(dns, 'ensureRecordSet')).toBe(3);
    expect(log.ofType('step-retry')).toEqual([]);
    // Retry-After 2 s, then full jitter (0.5) under a 0.5 s ceiling doubling: 0.5 s, 1 s;
    // the ensure's own retries: 0.25 s, 0.5 s.
    expect(run.endedAt - run.startedAt).toBe(2_000 + 500 + 1_000 + 250 + 500);
  });

  it('retries transient failures only inside the step deadline', async () => {
    const { time, dns } = setup();
    dns.fail('getRecordSet', ...Array.from({ length: 50 }, () => ({ error: throttled(10_000) })));
    const plan = testPlan([
      dnsSwitch('switch', 'api.example.com', { timeoutMs: 45_000, retry: { maxAttempts: 1 } }),
    ]);
    const run = (await runPlan(plan, { providers: { dns }, time, rollbackOnFailure: false }))._unsafeUnwrap();
    expect(run.status).toBe('failed');
    expect(run.steps[0]!.error?.kind).toBe('throttled');
    // Tries at 0, 10, 20, 30, 40 s; the next would start after the deadline.
    expect(calls(dns, 'getRecordSet')).toBe(5);
    expect(run.endedAt - run.startedAt).toBeLessThanOrEqual(45_000);
  });

  it('keeps a journaled handle across retries: a failed wait does not ensure again', async () => {
    const { time, dns } = setup(1_000);
    dns.fail('waitForChange', {
      error: new FailoverError({
        kind: 'unavailable',
        message: '503',
        provider: 'fake.dns',
        operation: 'GetChange',
      }),
    });
    const plan = testPlan([dnsSwitch('switch', 'api.example.com', { retry: { baseDelayMs: 10 } })]);
    const run = (await runPlan(plan, { providers: { dns }, time }))._unsafeUnwrap();
    expect(run.status).toBe('succeeded');
    expect(calls(dns, 'ensureRecordSet')).toBe(1);
    expect(calls(dns, 'waitForChange')).toBe(2);
  });
});

describe('runPlan timeouts', () => {
  it('fails a step at its deadline, retries and waits included', async () => {
    const { time, dns } = setup(10 * 60_000);
    const plan = testPlan([dnsSwitch('switch', 'api.example.com', { timeoutMs: 60_000 })]);
    const run = (await runPlan(plan, { providers: { dns }, time, rollbackOnFailure: false }))._unsafeUnwrap();
    expect(run.steps[0]).toMatchObject({ status: 'failed', durationMs: 60_000 });
    expect(run.steps[0]!.error?.kind).toBe('timeout');
    expect(run.endedAt - run.startedAt).toBe(60_000);
  });

  it('times out even when the provider ignores its abort signal', async () => {
    const { time, dns } = setup();
    dns.fail('waitForChange', { hangs: true });
    const plan = testPlan([dnsSwitch('switch', 'api.example.com', { timeoutMs: 5_000 })]);
    const run = (await runPlan(plan, { providers: { dns }, time, rollbackOnFailure: false }))._unsafeUnwrap();
    expect(run.steps[0]!.error?.kind).toBe('timeout');
    expect(run.endedAt - run.startedAt).toBe(5_000);
  });
});

describe('runPlan with a misbehaving provider', () => {
  it('turns a throw into an unexpected error without crashing', async () => {
    const { time, dns } = setup();
    dns.fail('getRecordSet', { throws: new TypeError('cannot read properties of undefined') });
    const run = (
      await runPlan(testPlan([dnsSwitch('switch', 'api.example.com')]), { providers: { dns }, time })
    )._unsafeUnwrap();
    expect(run.status).toBe('failed');
    expect(run.steps[0]!.error).toMatchObject({
      kind: 'unexpected',
      provider: 'fake.dns',
      operation: 'getRecordSet',
    });
    expect(run.steps[0]!.error?.message).toContain('cannot read properties');
  });

  it('turns a rejected promise into an unexpected error', async () => {
    const { time, dns } = setup();
    dns.fail('ensureRecordSet', { rejects: new Error('socket hang up') });
    const run = (
      await runPlan(testPlan([dnsSwitch('switch', 'api.example.com')]), { providers: { dns }, time })
    )._unsafeUnwrap();
    expect(run.steps[0]!.error).toMatchObject({ kind: 'unexpected', operation: 'ensureRecordSet' });
  });

  it('survives a subscriber that throws', async () => {
    const { time, dns } = setup();
    const run = await runPlan(testPlan([dnsSwitch('switch', 'api.example.com')]), {
      providers: { dns },
      time,
      onEvent: () => {
        throw new Error('subscriber bug');
      },
    });
    expect(run._unsafeUnwrap().status).toBe('succeeded');
  });

  it('rejects nonsense options with invalid-input naming the option', async () => {
    const { time, dns } = setup();
    const run = await runPlan(testPlan([dnsSwitch('switch', 'api.example.com')]), {
      providers: { dns },
      time,
      concurrency: 0,
    });
    expect(run._unsafeUnwrapErr()).toMatchObject({ kind: 'invalid-input', path: 'options.concurrency' });
    expect(dns.log).toEqual([]);
  });
});
