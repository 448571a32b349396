import { err, FailoverError, type NodePool, ok } from '@failover/core';
import { describe, expect, it } from 'vitest';
import { mockClusterScaler, mockDatabaseFailover, mockDnsProvider } from '../src/index.js';
import { apiRecord } from './fixtures.js';

const throttled = new FailoverError({
  kind: 'throttled',
  message: 'slow down',
  provider: 'mock.dns',
  operation: 'getRecordSet',
  retryAfterMs: 500,
});

const pool: NodePool = {
  cluster: 'c',
  pool: 'p',
  desired: 2,
  min: 1,
  max: 5,
  ready: 2,
  autoscaling: false,
  status: 'ready',
};

describe('mocks', () => {
  it('answers with a fixed value on every call and records the calls', async () => {
    const dns = mockDnsProvider({ getRecordSet: apiRecord });
    const ref = { name: 'api.example.com.' };
    expect((await dns.getRecordSet(ref))._unsafeUnwrap()).toEqual(apiRecord);
    expect((await dns.getRecordSet(ref))._unsafeUnwrap()).toEqual(apiRecord);
    expect(dns.callCount('getRecordSet')).toBe(2);
    expect(dns.calls.map((c) => [c.seq, c.operation, c.args[0]])).toEqual([
      [1, 'getRecordSet', ref],
      [2, 'getRecordSet', ref],
    ]);
  });

  it('walks a list of answers in order, then repeats the last', async () => {
    const dns = mockDnsProvider({ getRecordSet: [throttled, apiRecord] });
    const first = await dns.getRecordSet({ name: 'x' });
    expect(first.isErr() && first.error).toBe(throttled);
    expect((await dns.getRecordSet({ name: 'x' })).isOk()).toBe(true);
    expect((await dns.getRecordSet({ name: 'x' })).isOk()).toBe(true);
  });

  it('calls a function with the arguments; it may return a value, an error, a Result or a promise', async () => {
    const db = mockDatabaseFailover({
      ensureWriter: [
        async (_ref, desired) =>
          ok({ before: topology('us-east-1'), changed: desired.region !== 'us-east-1' }),
        () =>
          err(
            new FailoverError({
              kind: 'conflict',
              message: 'busy',
              provider: 'mock.database',
              operation: 'ensureWriter',
            }),
          ),
        (ref) =>
          new FailoverError({
            kind: 'not-found',
            message: ref.id,
            provider: 'mock.database',
            operation: 'ensureWriter',
          }),
      ],
    });
    const first = await db.ensureWriter({ id: 'orders' }, { region: 'eu-west-1', mode: 'planned' });
    expect(first._unsafeUnwrap().changed).toBe(true);
    expect(
      (await db.ensureWriter({ id: 'orders' }, { region: 'eu-west-1', mode: 'planned' }))._unsafeUnwrapErr()
        .kind,
    ).toBe('conflict');
    const third = await db.ensureWriter({ id: 'orders' }, { region: 'eu-west-1', mode: 'planned' });
    expect(third._unsafeUnwrapErr().kind).toBe('not-found');
    expect(third._unsafeUnwrapErr().message).toBe('orders');
  });

  it('unimplemented methods fail with unsupported, never throw', async () => {
    const k8s = mockClusterScaler({ describePool: pool });
    const result = await k8s.ensureSize({ cluster: 'c', pool: 'p' }, { desired: 3 });
    const error = result._unsafeUnwrapErr();
    expect(FailoverError.isInstance(error)).toBe(true);
    expect(error.kind).toBe('unsupported');
    expect(error.provider).toBe('mock.cluster');
    expect(error.operation).toBe('ensureSize');
    expect(k8s.callCount('ensureSize')).toBe(1);
    expect(k8s.callCount()).toBe(1);
  });

  it('a throwing answer becomes an unexpected FailoverError', async () => {
    const dns = mockDnsProvider({
      getRecordSet: () => {
        throw new TypeError('bug in the test double');
      },
    });
    const error = (await dns.getRecordSet({ name: 'x' }))._unsafeUnwrapErr();
    expect(error.kind).toBe('unexpected');
    expect(error.message).toContain('bug in the test double');
  });

  it('a present-but-undefined answer means ok(undefined) (for waitForChange)', async () => {
    const dns = mockDnsProvider({ waitForChange: undefined });
    const result = await dns.waitForChange(
      { provider: 'mock.dns', operation: 'change', startedAt: 0 },
      { timeoutMs: 1 },
    );
    expect(result.isOk()).toBe(true);
  });

  it('identity and capabilities are configurable', () => {
    const dns = mockDnsProvider({
      provider: 'cloudflare',
      capabilities: { routing: ['weighted'], setTtl: false },
    });
    expect(dns.provider).toBe('cloudflare');
    expect(dns.kind).toBe('dns');
    expect(dns.specificationVersion).toBe('v1');
    expect(dns.capabilities).toEqual({
      routing: ['weighted'],
      disableTarget: true,
      createRecordSet: true,
      setTtl: false,
    });
    expect(mockDatabaseFailover({ capabilities: { modes: ['forced'] } }).capabilities.modes).toEqual([
      'forced',
    ]);
    expect(mockClusterScaler().capabilities.bounds).toBe(true);
  });
});

function topology(writer: string) {
  return {
    id: 'orders',
    failoverInProgress: false,
    members: [
      {
        id: 'a',
        region: 'us-east-1',
        role: writer === 'us-east-1' ? ('writer' as const) : ('reader' as const),
        status: 'available' as const,
      },
      {
        id: 'b',
        region: 'eu-west-1',
        role: writer === 'eu-west-1' ? ('writer' as const) : ('reader' as const),
        status: 'available' as const,
      },
    ],
  };
}
