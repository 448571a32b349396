/**
 * The conformance kit: one vitest suite per provider interface, run by every implementation
 * (the simulator, the AWS, Azure and GCP adapters, and third-party adapters) through a factory.
 *
 * @packageDocumentation
 */

export {
  type ClusterConformanceFixture,
  type ClusterConformanceOptions,
  type ClusterScalerOperation,
  runClusterScalerConformance,
} from './cluster-scaler-conformance.js';
export type {
  ConformanceFaultHooks,
  ConformanceOptions,
  ConformanceSetup,
  ConformanceTimeouts,
} from './conformance-options.js';
export type { RefusalCase } from './conformance-safety-cases.js';
export {
  type DatabaseConformanceFixture,
  type DatabaseConformanceOptions,
  type DatabaseFailoverOperation,
  runDatabaseFailoverConformance,
} from './database-failover-conformance.js';
export {
  type DatabaseReprotectConformanceOptions,
  type DatabaseReprotectFixture,
  type DatabaseReprotectOperation,
  runDatabaseReprotectConformance,
} from './database-reprotect-conformance.js';
export {
  type DnsConformanceFixture,
  type DnsConformanceOptions,
  type DnsProviderOperation,
  runDnsProviderConformance,
} from './dns-provider-conformance.js';
export {
  type JournalObjectStoreCases,
  registerJournalObjectStoreCases,
} from './journal-object-store-conformance.js';
export {
  type ResourceConformanceFixture,
  type ResourceConformanceOptions,
  type ResourceProviderOperation,
  runResourceProviderConformance,
} from './resource-provider-conformance.js';
