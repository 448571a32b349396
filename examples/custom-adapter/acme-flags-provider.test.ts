import { type ApiCall, createVirtualTime, definePlan, resource, runPlan, type Time } from '@failover/core';
import { createEmulatorClock } from '@failover/emulator';
import { runResourceProviderConformance } from '@failover/testing/conformance';
import { afterEach, describe, expect, it } from 'vitest';
import { createAcmeFlagsProvider } from './acme-flags-provider.js';
import { type AcmeFlagsOperation, type FakeAcmeFlagsApi, startFakeAcmeFlags } from './fake-acme-flags-api.js';

const token = 'acme-flags-test-token-91c2';

/** A fresh fake API on a fresh clock (virtual unless given), and the adapter pointed at it. */
async function start(options: { time?: Time } = {}) {
  const time = options.time ?? createVirtualTime();
  const backend = await startFakeAcmeFlags({
    token,
    clock: time,
    flags: [
      { key: 'checkout-region', kind: 'string', value: 'us-east-1' },
      { key: 'maintenance', kind: 'boolean', value: false, locked: true },
    ],
  });
  const provider = createAcmeFlagsProvider({ baseUrl: backend.url, token, time });
  return { time, backend, provider };
}

// The kit's operations are the interface's methods; the fake API throttles by its own operations.
const acmeOperation: Record<string, AcmeFlagsOperation> = {
  observeResource: 'GetFlag',
  ensureResource: 'SetFlag',
  waitForResource: 'GetRollout',
};

runResourceProviderConformance({
  name: 'Acme Flags on its fake API',
  // Virtual time makes long deadlines free: with the stuck hook, a 10-minute deadline must pass.
  timeouts: { deadlineMs: 10 * 60_000 },
  async setup() {
    const { time, backend, provider } = await start();
    return {
      provider,
      fixture: {
        resource: { flag: 'checkout-region' },
        seeded: { value: 'us-east-1' },
        change: { value: 'eu-west-1' },
        missing: { flag: 'no-such-flag' },
        refusals: [
          { title: 'a value of the wrong type', kind: 'invalid-input', desired: () => ({ value: 42 }) },
        ],
        conditions: { holds: { value: 'us-east-1', settled: true }, fails: { value: 'eu-west-1' } },
      },
      faults: {
        throttle: (operation, { count, retryAfterMs }) =>
          backend.throttle(acmeOperation[operation]!, { count, retryAfterMs }),
        stuck: () => backend.stickNextRollout(),
        loseAnswer: () => backend.loseNextAnswer(),
      },
      mutatingCalls: () => backend.mutatingRequests,
      time,
      teardown: () => backend.close(),
    };
  },
});

describe('Acme Flags adapter specifics', () => {
  let backend: FakeAcmeFlagsApi | undefined;
  afterEach(async () => {
    await backend?.close();
    backend = undefined;
  });

  it('a locked flag is refused by the pre-check and by ensure (precondition-failed), with no PUT', async () => {
    const started = await start();
    backend = started.backend;
    const ref = { flag: 'maintenance' };
    const observed = (await started.provider.observeResource(ref))._unsafeUnwrap();
    const prechecked = await started.provider.precheckResource!(ref, { value: true }, observed);
    expect(prechecked._unsafeUnwrapErr().kind).toBe('precondition-failed');
    const ensured = await started.provider.ensureResource(ref, { value: true });
    expect(ensured._unsafeUnwrapErr().kind).toBe('precondition-failed');
    expect(backend.mutatingRequests).toBe(0);
  });

  it('a flag someone else changed between our read and our PUT is a conflict (If-Match), not overwritten', async () => {
    const started = await start();
    backend = started.backend;
    const calls: ApiCall[] = [];
    const racing = createAcmeFlagsProvider({
      baseUrl: backend.url,
      token,
      time: started.time,
      // The console user's edit lands after our GetFlag, before our SetFlag.
      fetch: async (input, init) => {
        if (init?.method === 'PUT') backend!.edit('checkout-region', 'ap-south-1');
        return fetch(input, init);
      },
    });
    const ensured = await racing.ensureResource(
      { flag: 'checkout-region' },
      { value: 'eu-west-1' },
      { onApiCall: (call) => calls.push(call) },
    );
    expect(ensured._unsafeUnwrapErr().kind).toBe('conflict');
    expect(calls.map((call) => call.operation)).toEqual(['GetFlag', 'SetFlag']);
    const flag = (await started.provider.observeResource({ flag: 'checkout-region' }))._unsafeUnwrap();
    expect(flag.value).toBe('ap-south-1');
  });

  it('runs in a plan: check, switch the flag, dry-run diff first; a later failure puts it back', async () => {
    // A clock 200x real time: runPlan keeps a deadline sleeper while real HTTP is in flight.
    const time = createEmulatorClock({ timeScale: 200 });
    const started = await start({ time });
    backend = started.backend;
    const flag = { flag: 'checkout-region' };
    const build = (fail: boolean) =>
      definePlan({ id: 'flags', name: 'flags', sourceRegion: 'us-east-1', targetRegion: 'eu-west-1' })
        .step(resource.check('settled', { provider: 'flags', resource: flag, condition: { settled: true } }))
        .step(
          resource.ensure(
            'switch-flag',
            { provider: 'flags', resource: flag, desired: { value: 'eu-west-1' } },
            { dependsOn: ['settled'] },
          ),
        )
        .step(
          ...(fail
            ? [
                resource.ensure(
                  'missing',
                  { provider: 'flags', resource: { flag: 'nope' }, desired: { value: 'x' } },
                  { dependsOn: ['switch-flag'] },
                ),
              ]
            : []),
        )
        .build()
        ._unsafeUnwrap();
    const options = { providers: { flags: started.provider }, time };

    const dry = (await runPlan(build(false), { ...options, dryRun: true }))._unsafeUnwrap();
    expect(dry.diffs?.['switch-flag'] ?? dry.steps[1]?.diff).toEqual({
      type: 'resource',
      wouldChange: true,
      differences: [{ path: 'value', from: 'us-east-1', to: 'eu-west-1' }],
    });
    expect(backend.mutatingRequests).toBe(0);

    const failed = (await runPlan(build(true), options))._unsafeUnwrap();
    expect(failed.status).toBe('rolled-back');
    expect(backend.mutatingRequests).toBe(2);
    expect((await started.provider.observeResource(flag))._unsafeUnwrap().value).toBe('us-east-1');

    const run = (await runPlan(build(false), options))._unsafeUnwrap();
    expect(run.status).toBe('succeeded');
    expect(run.report.apiCalls.total.mutatingApiCalls).toBe(1);
    expect((await started.provider.observeResource(flag))._unsafeUnwrap()).toMatchObject({
      value: 'eu-west-1',
      rollingOut: false,
    });
  });
});
