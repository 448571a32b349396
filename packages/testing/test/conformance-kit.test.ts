import { errAsync, FailoverError, okAsync } from '@failover/core';
import { describe, expect, it } from 'vitest';
import { call, expectErr, journalled } from '../src/conformance/conformance-harness.js';
import { runDnsProviderConformance } from '../src/conformance/index.js';
import { createSimulatedWorld } from '../src/index.js';
import { apiRecord, standardSeed } from './fixtures.js';

// How the kit judges a provider, tested directly: these are what make a broken adapter fail.
const provider = { specificationVersion: 'v1', kind: 'dns', provider: 'acme.dns' } as const;
const failure = (kind: 'not-found' | 'throttled', from = 'acme.dns') =>
  new FailoverError({ kind, message: 'x', provider: from, operation: 'getRecordSet' });

describe('the conformance kit', () => {
  it('fails a case when a method throws or rejects instead of returning a FailoverError', async () => {
    await expect(
      call(provider, 'getRecordSet', () => {
        throw new TypeError('boom');
      }),
    ).rejects.toThrow(/threw or rejected.*TypeError: boom/);
    await expect(call(provider, 'getRecordSet', () => Promise.reject(new Error('nope')))).rejects.toThrow(
      /threw or rejected/,
    );
  });

  it('fails a case when an error is not a FailoverError or names another provider', async () => {
    await expect(
      call(provider, 'getRecordSet', () => errAsync<never, FailoverError>(new Error('raw') as never)),
    ).rejects.toThrow(/not a FailoverError/);
    await expect(
      call(provider, 'getRecordSet', () => errAsync(failure('not-found', 'core'))),
    ).rejects.toThrow(/names the provider/);
  });

  it('passes well-formed results through', async () => {
    expect((await call(provider, 'getRecordSet', () => okAsync(1)))._unsafeUnwrap()).toBe(1);
    const result = await call(provider, 'getRecordSet', () => errAsync(failure('not-found')));
    expect(expectErr(result, 'not-found', 'getRecordSet').kind).toBe('not-found');
    expect(() => expectErr(result, 'throttled', 'getRecordSet')).toThrow(/getRecordSet/);
  });

  it('a timed-out wait that returns ok fails the case', async () => {
    const result = await call(provider, 'waitForChange', () => okAsync(undefined));
    expect(() => expectErr(result, 'timeout', 'waitForChange past its deadline')).toThrow(
      /succeeded; expected a timeout/,
    );
  });

  it('requires handles the journal can store', () => {
    const handle = {
      provider: 'acme.dns',
      operation: 'Change',
      id: 'c-1',
      startedAt: 5,
      detail: { zone: 'z' },
    };
    expect(journalled(handle, provider)).toEqual(handle);
    expect(() => journalled(undefined, provider)).toThrow(/handle/);
    expect(() => journalled({ ...handle, detail: { at: new Date(0) } }, provider)).toThrow(/JSON round trip/);
  });
});

// A provider with optional capabilities off and no hooks: the cases it rules out must be
// registered as skipped with the reason in the title, never passed.
runDnsProviderConformance({
  name: 'skip reasons',
  setup() {
    const world = createSimulatedWorld({ seed: 1 }).seed(standardSeed);
    return {
      provider: world.dnsProvider('sim.dns.bare', {
        capabilities: { routing: ['failover'], createRecordSet: false, setTtl: false, disableTarget: false },
      }),
      fixture: {
        failover: { ref: { name: 'api.example.com.', type: 'A' }, seeded: apiRecord },
        missing: { zone: 'example.com.', name: 'new.example.com.', type: 'A' },
      },
      time: world.time,
    };
  },
  timeouts: { deadlineMs: 20_000, abortAfterMs: 1_000 },
});

it('skipped conformance cases say why in their titles', ({ task }) => {
  const suite = task.file.tasks.find((t) => t.name === 'DnsProviderV1 conformance: skip reasons');
  expect(suite?.type).toBe('suite');
  const cases = suite!.type === 'suite' ? suite!.tasks : [];
  const skipped = cases.filter((t) => t.mode === 'skip');
  expect(skipped.map((t) => t.name.replace(/.*\[skipped: (.*)\]$/, '$1')).sort()).toEqual([
    'capabilities.createRecordSet is false',
    'capabilities.disableTarget is false',
    'capabilities.setTtl is false',
    'setup() provides no faults.loseAnswer hook',
    'setup() provides no faults.throttle hook',
    'setup() provides no faults.throttle hook',
    'setup() provides no faults.throttle hook',
    'setup() provides no mutatingCalls() hook',
    'setup() provides no mutatingCalls() hook',
    'the fixture has no weighted record set',
    'the fixture has no weighted record set',
    'the provider offers no batching.observeRecordSets',
  ]);
  expect(cases.filter((t) => t.mode !== 'skip').every((t) => !t.name.includes('[skipped'))).toBe(true);
});

// An adapter without the optional pre-check: every refusal case is a visible skip naming why.
runDnsProviderConformance({
  name: 'no pre-check',
  setup() {
    const world = createSimulatedWorld({ seed: 2 }).seed(standardSeed);
    const { precheckRecordSet: _omitted, ...provider } = world.dnsProvider('sim.dns.noprecheck');
    return {
      provider,
      fixture: {
        failover: { ref: { name: 'api.example.com.', type: 'A' }, seeded: apiRecord },
        missing: { zone: 'example.com.', name: 'new.example.com.', type: 'A' },
      },
      time: world.time,
    };
  },
  timeouts: { deadlineMs: 20_000, abortAfterMs: 1_000 },
});

it('an adapter without a pre-check gets visible skips for the pre-check cases', ({ task }) => {
  const suite = task.file.tasks.find((t) => t.name === 'DnsProviderV1 conformance: no pre-check');
  const cases = suite?.type === 'suite' ? suite.tasks : [];
  const precheckCases = cases.filter((t) => t.name.startsWith('precheckRecordSet'));
  expect(precheckCases.length).toBeGreaterThanOrEqual(3);
  for (const t of precheckCases) {
    expect(t.mode).toBe('skip');
    expect(t.name).toContain('the provider has no precheckRecordSet');
  }
});
