import type {
  CallOptions,
  DnsCapabilities,
  DnsProviderV1,
  DnsRecordRef,
  DnsRecordSet,
  EnsureResult,
  OperationHandle,
  WaitOptions,
} from '@failover/core';
import { createMockState, type MockAnswers, type MockRecorder } from './mock-answers.js';

export interface MockDnsProviderOptions {
  /** Provider id. Default `mock.dns`. */
  provider?: string;
  /** Default: every routing kind and every flag on. */
  capabilities?: Partial<DnsCapabilities>;
  getRecordSet?: MockAnswers<[DnsRecordRef, CallOptions?], DnsRecordSet>;
  ensureRecordSet?: MockAnswers<
    [DnsRecordRef, DnsRecordSet, CallOptions?],
    EnsureResult<DnsRecordSet | null>
  >;
  /** `waitForChange: undefined` (present) answers ok; absent, the method is unimplemented. */
  waitForChange?: MockAnswers<[OperationHandle, WaitOptions], void>;
}

export type MockDnsProvider = DnsProviderV1 &
  MockRecorder<'getRecordSet' | 'ensureRecordSet' | 'waitForChange'>;

/**
 * A `DnsProviderV1` double answering exactly as told. Methods without an answer fail
 * with an `unsupported` FailoverError (they never throw); every call is recorded.
 *
 * @example
 * ```ts
 * const dns = mockDnsProvider({
 *   getRecordSet: apiRecord,
 *   ensureRecordSet: [
 *     new FailoverError({ kind: 'throttled', message: 'slow down', provider: 'mock.dns', operation: 'ensureRecordSet', retryAfterMs: 1000 }),
 *     (ref, desired) => ({ before: apiRecord, changed: true, handle: { provider: 'mock.dns', operation: 'change', startedAt: 0 } }),
 *   ],
 *   waitForChange: undefined,
 * });
 * // ... run the plan ...
 * expect(dns.callCount('ensureRecordSet')).toBe(2);
 * ```
 */
export function mockDnsProvider(options: MockDnsProviderOptions = {}): MockDnsProvider {
  const provider = options.provider ?? 'mock.dns';
  const state = createMockState<'getRecordSet' | 'ensureRecordSet' | 'waitForChange'>(provider);
  const has = (key: keyof MockDnsProviderOptions) => Object.hasOwn(options, key);
  return {
    specificationVersion: 'v1',
    kind: 'dns',
    provider,
    capabilities: {
      routing: ['simple', 'weighted', 'failover', 'priority', 'geo'],
      disableTarget: true,
      createRecordSet: true,
      setTtl: true,
      ...options.capabilities,
    },
    getRecordSet: state.method('getRecordSet', has('getRecordSet'), options.getRecordSet),
    ensureRecordSet: state.method('ensureRecordSet', has('ensureRecordSet'), options.ensureRecordSet),
    waitForChange: state.method('waitForChange', has('waitForChange'), options.waitForChange),
    get calls() {
      return state.calls;
    },
    callCount: state.callCount,
  };
}
