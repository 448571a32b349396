export type { MockAnswer, MockAnswers, MockCall, MockRecorder } from './mock-answers.js';
export {
  type MockClusterScaler,
  type MockClusterScalerOptions,
  mockClusterScaler,
} from './mock-cluster-scaler.js';
export {
  type MockDatabaseFailover,
  type MockDatabaseFailoverOptions,
  mockDatabaseFailover,
} from './mock-database-failover.js';
export { type MockDnsProvider, type MockDnsProviderOptions, mockDnsProvider } from './mock-dns-provider.js';
export {
  type MockResourceProvider,
  type MockResourceProviderOptions,
  mockResourceProvider,
} from './mock-resource-provider.js';
