import type {
  CallOptions,
  EnsureResult,
  OperationHandle,
  ResourceCheckObservation,
  ResourceCheckOptions,
  ResourceJson,
  ResourceProviderV1,
  ResourceWaitOptions,
} from '@failover/core';
import { createMockState, type MockAnswers, type MockRecorder } from './mock-answers.js';

type ResourceOperation = 'observeResource' | 'ensureResource' | 'waitForResource' | 'checkResource';

export interface MockResourceProviderOptions {
  /** Provider id. Default `mock.resource`. */
  provider?: string;
  observeResource?: MockAnswers<[ResourceJson, CallOptions?], ResourceJson>;
  ensureResource?: MockAnswers<[ResourceJson, ResourceJson, CallOptions?], EnsureResult<ResourceJson>>;
  waitForResource?: MockAnswers<[OperationHandle, ResourceWaitOptions], ResourceJson>;
  /** Without it the provider has no `checkResource` (a plan checking a condition on it is invalid). */
  checkResource?: MockAnswers<[ResourceJson, ResourceJson, ResourceCheckOptions?], ResourceCheckObservation>;
}

export type MockResourceProvider = ResourceProviderV1 & MockRecorder<ResourceOperation>;

/**
 * A `ResourceProviderV1` (the open kind) double answering exactly as told. Methods without
 * an answer fail with an `unsupported` FailoverError; every call is recorded.
 *
 * @example
 * ```ts
 * const flags = mockResourceProvider({ observeResource: { value: 'us-east-1' } });
 * ```
 */
export function mockResourceProvider(options: MockResourceProviderOptions = {}): MockResourceProvider {
  const provider = options.provider ?? 'mock.resource';
  const state = createMockState<ResourceOperation>(provider);
  const has = (key: keyof MockResourceProviderOptions) => Object.hasOwn(options, key);
  return {
    specificationVersion: 'v1',
    kind: 'resource',
    provider,
    observeResource: state.method('observeResource', has('observeResource'), options.observeResource),
    ensureResource: state.method('ensureResource', has('ensureResource'), options.ensureResource),
    waitForResource: state.method('waitForResource', has('waitForResource'), options.waitForResource),
    ...(has('checkResource') && {
      checkResource: state.method('checkResource', true, options.checkResource),
    }),
    get calls() {
      return state.calls;
    },
    callCount: state.callCount,
  };
}
