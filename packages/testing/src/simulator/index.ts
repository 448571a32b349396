export {
  createSimulatedWorld,
  type SimulatedWorld,
  type SimulatedWorldOptions,
  type SimulatedWorldSnapshot,
} from './simulated-world.js';
export type { SimulatedCall, SimulatedCallFilter } from './simulator-calls.js';
export { type SimulatedPoolControl, simulatedClusterCapabilities } from './simulator-cluster.js';
export {
  type SimulatedDatabaseControl,
  type SimulatedFailoverRecord,
  simulatedDatabaseCapabilities,
} from './simulator-database.js';
export {
  type SimulatedDnsProviderOptions,
  simulatedDnsCapabilities,
  simulatedDnsWeightScale,
} from './simulator-dns.js';
export { type DurationRange, defaultDurations, type SimulatedDurations } from './simulator-durations.js';
export type {
  RandomFaults,
  ScheduledFault,
  SimulatedFault,
  SimulatedFaults,
  SimulatedOperation,
} from './simulator-faults.js';
export type { SimulatedProviderOptions } from './simulator-kernel.js';
export type { SimulatedOperationRecord } from './simulator-operations.js';
export { createPrng, type Prng } from './simulator-prng.js';
export type { SimulatedRegions } from './simulator-regions.js';
export type {
  SimulatedResourceControl,
  SimulatedResourceProviderOptions,
  SimulatedResourceSeed,
} from './simulator-resource.js';
export type { SimulatedResourceCondition } from './simulator-resource-condition.js';
export type {
  SimulatedDatabaseSeed,
  SimulatedHealthCheckSeed,
  SimulatedPoolSeed,
  SimulatedSeed,
  SimulatedZoneSeed,
} from './simulator-seed.js';
