import {
  type ApiCall,
  createVirtualTime,
  type DnsRecordSet,
  definePlan,
  dns,
  runPlan,
  type Time,
  validatePlan,
} from '@failover/core';
import { createEmulatorClock } from '@failover/emulator';
import { runDnsProviderConformance } from '@failover/testing/conformance';
import { afterEach, describe, expect, it } from 'vitest';
import { createAcmeDnsProvider } from './acme-dns-provider.js';
import { type AcmeRRSet, fromAcme } from './acme-dns-records.js';
import { type AcmeOperation, type FakeAcmeDnsApi, startFakeAcmeDns } from './fake-acme-dns-api.js';

const token = 'acme-test-token-7f3a';
const zone = 'example.com.';

// Seeded afresh for every case: a failover record set and a weighted one.
const api: Omit<AcmeRRSet, 'change'> = {
  name: 'api.example.com.',
  type: 'A',
  ttl: 60,
  policy: 'failover',
  answers: [
    { label: 'us-east-1', data: ['198.51.100.10'], priority: 1, active: true },
    { label: 'us-west-2', data: ['203.0.113.20'], priority: 2, active: true },
  ],
};
const www: Omit<AcmeRRSet, 'change'> = {
  name: 'www.example.com.',
  type: 'CNAME',
  ttl: 300,
  policy: 'weighted',
  answers: [
    { label: 'blue', data: ['blue.example.net.'], weight: 70, active: true },
    { label: 'green', data: ['green.example.net.'], weight: 30, active: true },
  ],
};
const seeded = (set: Omit<AcmeRRSet, 'change'>): DnsRecordSet => fromAcme({ ...set, change: null });
const refOf = (set: { name: string; type: string }) => ({ zone, name: set.name, type: set.type });

/** A fresh fake API on a fresh clock (virtual unless given), and the adapter pointed at it. */
async function start(options: { token?: string; time?: Time } = {}) {
  const time = options.time ?? createVirtualTime();
  const backend = await startFakeAcmeDns({ token, clock: time, zones: { [zone]: [api, www] } });
  const provider = createAcmeDnsProvider({ baseUrl: backend.url, token: options.token ?? token, time });
  return { time, backend, provider };
}

// The kit's operations are the interface's methods; the fake API throttles by its own operations.
const acmeOperation: Record<string, AcmeOperation> = {
  getRecordSet: 'GetRRSet',
  ensureRecordSet: 'PutRRSet',
  waitForChange: 'GetChange',
};

runDnsProviderConformance({
  name: 'Acme DNS on its fake API',
  // Virtual time makes long deadlines free: with the stuck hook, a 10-minute deadline must pass.
  timeouts: { deadlineMs: 10 * 60_000 },
  async setup() {
    const { time, backend, provider } = await start();
    return {
      provider,
      fixture: {
        failover: { ref: refOf(api), seeded: seeded(api) },
        weighted: { ref: refOf(www), seeded: seeded(www) },
        missing: { zone, name: 'new.example.com.', type: 'A' },
      },
      faults: {
        throttle: (operation, { count, retryAfterMs }) =>
          backend.throttle(acmeOperation[operation]!, { count, retryAfterMs }),
        stuck: () => backend.stickNextChange(),
        loseAnswer: () => backend.loseNextAnswer(),
      },
      mutatingCalls: () => backend.mutatingRequests,
      time,
      teardown: () => backend.close(),
    };
  },
});

describe('Acme DNS adapter specifics', () => {
  let backend: FakeAcmeDnsApi | undefined;
  afterEach(async () => {
    await backend?.close();
    backend = undefined;
  });

  it('reports every API request through onApiCall, marking the mutating ones', async () => {
    const started = await start();
    backend = started.backend;
    const calls: ApiCall[] = [];
    const onApiCall = (call: ApiCall) => calls.push(call);
    const current = (await started.provider.getRecordSet(refOf(api), { onApiCall }))._unsafeUnwrap();
    const desired = { ...current, ttl: 30 };
    const ensured = (
      await started.provider.ensureRecordSet(refOf(api), desired, { onApiCall })
    )._unsafeUnwrap();
    expect(ensured).toMatchObject({ changed: true, before: { ttl: 60 } });
    const waited = await started.provider.waitForChange(ensured.handle!, { timeoutMs: 60_000, onApiCall });
    expect(waited.isOk()).toBe(true);

    expect(calls.filter((c) => c.mutating).map((c) => c.operation)).toEqual(['PutRRSet']);
    expect(calls.slice(0, 3).map((c) => c.operation)).toEqual(['GetRRSet', 'GetRRSet', 'PutRRSet']);
    // 30 s of propagation polled at 2 s, then 3 s, 4.5 s...: more than one poll, all reads.
    expect(calls.filter((c) => c.operation === 'GetChange').length).toBeGreaterThan(1);
    expect(backend.mutatingRequests).toBe(1);
  });

  it('an ensure while the same change still propagates returns that change, without a second PUT', async () => {
    const started = await start();
    backend = started.backend;
    const desired = { ...seeded(api), ttl: 30 };
    const first = (await started.provider.ensureRecordSet(refOf(api), desired))._unsafeUnwrap();
    const again = (await started.provider.ensureRecordSet(refOf(api), desired))._unsafeUnwrap();
    expect(again.changed).toBe(true);
    expect(again.handle?.id).toBe(first.handle?.id);
    expect(backend.mutatingRequests).toBe(1);

    // Once the change is done, the same desired state is a no-op.
    (await started.provider.waitForChange(again.handle!, { timeoutMs: 60_000 }))._unsafeUnwrap();
    const settled = (await started.provider.ensureRecordSet(refOf(api), desired))._unsafeUnwrap();
    expect(settled).toEqual({ before: desired, changed: false });
  });

  it('a rejected token is unauthorized, not retryable, and redacted where the API echoes it', async () => {
    const started = await start({ token: 'wrong-token-123' });
    backend = started.backend;
    const error = (await started.provider.getRecordSet(refOf(api)))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'unauthorized', retryable: false, provider: 'acme.dns' });
    expect(error.message).toMatch(/Authorization: \[redacted\]/);
    expect(JSON.stringify(error.toJSON())).not.toContain('wrong-token-123');
  });

  it('creates its client on the first call: a missing token is an error then, never a throw', async () => {
    const previous = process.env.ACME_DNS_TOKEN;
    delete process.env.ACME_DNS_TOKEN;
    try {
      const provider = createAcmeDnsProvider({ baseUrl: 'http://127.0.0.1:9/v1' });
      const error = (await provider.getRecordSet(refOf(api)))._unsafeUnwrapErr();
      expect(error).toMatchObject({ kind: 'unauthorized', operation: 'GetRRSet' });
      expect(error.message).toMatch(/ACME_DNS_TOKEN/);
    } finally {
      if (previous !== undefined) process.env.ACME_DNS_TOKEN = previous;
    }
  });

  it('a plan that switches traffic runs through runPlan on the adapter, and the RTO is measured', async () => {
    // Not virtual time here: it jumps to the next sleeper whenever the process is idle, and
    // runPlan keeps a step-deadline sleeper while real HTTP requests are in flight. A clock
    // running 200x faster than real time keeps the order of events (30 s take 150 ms), and
    // leaves real hiccups room: the 30-minute step deadline is 9 real seconds away.
    const { time, backend: fake, provider } = await start({ time: createEmulatorClock({ timeScale: 200 }) });
    backend = fake;
    const plan = definePlan({
      id: 'acme-switch',
      name: 'Move api.example.com to us-west-2',
      sourceRegion: 'us-east-1',
      targetRegion: 'us-west-2',
      objectives: { rtoMs: 15 * 60_000 },
    })
      .step(dns.fence('drain-east', { provider: 'acme', record: refOf(api), target: 'us-east-1' }))
      .step(dns.switchActive('switch', { provider: 'acme', record: refOf(api), target: 'us-west-2' }))
      .after('drain-east')
      .build()
      ._unsafeUnwrap();

    const result = (await runPlan(plan, { providers: { acme: provider }, time }))._unsafeUnwrap();

    expect(result.status).toBe('succeeded');
    expect(backend.mutatingRequests).toBe(2);
    const now = (await provider.getRecordSet(refOf(api)))._unsafeUnwrap();
    expect(now.targets.map((t) => [t.id, t.priority, t.enabled])).toEqual([
      ['us-east-1', 2, false],
      ['us-west-2', 1, true],
    ]);
    // Two changes of 30 s each, waited on in turn.
    expect(result.report.rto.achievedMs).toBeGreaterThanOrEqual(60_000);
    expect(result.report.rto.met).toBe(true);
  });

  it('validation rejects a step needing a capability Acme DNS does not declare, before any call', async () => {
    const { backend: fake, provider } = await start();
    backend = fake;
    const plan = definePlan({ id: 'geo', name: 'geo', sourceRegion: 'a', targetRegion: 'b' })
      .step(
        dns.upsert('create-geo', {
          provider: 'acme',
          record: { zone, name: 'geo.example.com.', type: 'A' },
          type: 'A',
          routing: 'geo',
          ttl: 60,
          targets: [{ id: 'eu', values: ['192.0.2.1'], enabled: true }],
        }),
      )
      .toPlan();
    const validated = validatePlan(plan, { providers: { acme: provider } });
    expect(validated._unsafeUnwrapErr().problems.map((p) => p.code)).toEqual(['missing-capability']);
    expect(backend.mutatingRequests).toBe(0);
  });
});
