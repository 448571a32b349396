import type {
  CallOptions,
  DatabaseCapabilities,
  DatabaseDesiredState,
  DatabaseFailoverV1,
  DatabaseRef,
  DatabaseTopology,
  EnsureResult,
  OperationHandle,
  WaitOptions,
} from '@failover/core';
import { createMockState, type MockAnswers, type MockRecorder } from './mock-answers.js';

export interface MockDatabaseFailoverOptions {
  /** Provider id. Default `mock.database`. */
  provider?: string;
  /** Default: both modes, lag reported. */
  capabilities?: Partial<DatabaseCapabilities>;
  describe?: MockAnswers<[DatabaseRef, CallOptions?], DatabaseTopology>;
  ensureWriter?: MockAnswers<
    [DatabaseRef, DatabaseDesiredState, CallOptions?],
    EnsureResult<DatabaseTopology>
  >;
  waitForWriter?: MockAnswers<[OperationHandle, WaitOptions], DatabaseTopology>;
}

export type MockDatabaseFailover = DatabaseFailoverV1 &
  MockRecorder<'describe' | 'ensureWriter' | 'waitForWriter'>;

/**
 * A `DatabaseFailoverV1` double answering exactly as told. Methods without an answer fail
 * with an `unsupported` FailoverError; every call is recorded.
 *
 * @example
 * ```ts
 * const db = mockDatabaseFailover({
 *   describe: [primaryInUsEast, primaryInUsEast, primaryInEuWest],
 *   ensureWriter: (ref, desired) => ({ before: primaryInUsEast, changed: true, handle }),
 *   waitForWriter: primaryInEuWest,
 * });
 * ```
 */
export function mockDatabaseFailover(options: MockDatabaseFailoverOptions = {}): MockDatabaseFailover {
  const provider = options.provider ?? 'mock.database';
  const state = createMockState<'describe' | 'ensureWriter' | 'waitForWriter'>(provider);
  const has = (key: keyof MockDatabaseFailoverOptions) => Object.hasOwn(options, key);
  return {
    specificationVersion: 'v1',
    kind: 'database',
    provider,
    capabilities: { modes: ['planned', 'forced'], replicationLag: true, ...options.capabilities },
    describe: state.method('describe', has('describe'), options.describe),
    ensureWriter: state.method('ensureWriter', has('ensureWriter'), options.ensureWriter),
    waitForWriter: state.method('waitForWriter', has('waitForWriter'), options.waitForWriter),
    get calls() {
      return state.calls;
    },
    callCount: state.callCount,
  };
}
