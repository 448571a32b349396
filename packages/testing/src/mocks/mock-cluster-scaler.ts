import type {
  CallOptions,
  ClusterCapabilities,
  ClusterScalerV1,
  EnsureResult,
  NodePool,
  NodePoolDesiredState,
  NodePoolRef,
  OperationHandle,
  WaitOptions,
} from '@failover/core';
import { createMockState, type MockAnswers, type MockRecorder } from './mock-answers.js';

export interface MockClusterScalerOptions {
  /** Provider id. Default `mock.cluster`. */
  provider?: string;
  /** Default: bounds and autoscaled pools supported. */
  capabilities?: Partial<ClusterCapabilities>;
  describePool?: MockAnswers<[NodePoolRef, CallOptions?], NodePool>;
  ensureSize?: MockAnswers<[NodePoolRef, NodePoolDesiredState, CallOptions?], EnsureResult<NodePool>>;
  waitForPool?: MockAnswers<[OperationHandle, WaitOptions & { minReady?: number }], NodePool>;
}

export type MockClusterScaler = ClusterScalerV1 & MockRecorder<'describePool' | 'ensureSize' | 'waitForPool'>;

/**
 * A `ClusterScalerV1` double answering exactly as told. Methods without an answer fail
 * with an `unsupported` FailoverError; every call is recorded.
 *
 * @example
 * ```ts
 * const k8s = mockClusterScaler({ describePool: { ...pool, ready: 6 } });
 * ```
 */
export function mockClusterScaler(options: MockClusterScalerOptions = {}): MockClusterScaler {
  const provider = options.provider ?? 'mock.cluster';
  const state = createMockState<'describePool' | 'ensureSize' | 'waitForPool'>(provider);
  const has = (key: keyof MockClusterScalerOptions) => Object.hasOwn(options, key);
  return {
    specificationVersion: 'v1',
    kind: 'cluster',
    provider,
    capabilities: { bounds: true, autoscaledPools: true, ...options.capabilities },
    describePool: state.method('describePool', has('describePool'), options.describePool),
    ensureSize: state.method('ensureSize', has('ensureSize'), options.ensureSize),
    waitForPool: state.method('waitForPool', has('waitForPool'), options.waitForPool),
    get calls() {
      return state.calls;
    },
    callCount: state.callCount,
  };
}
