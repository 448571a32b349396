import {
  type ClusterCapabilities,
  type ClusterScalerV1,
  createVirtualTime,
  type DatabaseCapabilities,
  type DatabaseFailoverV1,
  type DatabaseTopology,
  type DnsProviderV1,
  type DnsRecordRef,
  type DnsRecordSet,
  type NodePool,
  type NodePoolRef,
  type ResourceJson,
  type ResourceProviderV1,
  type Time,
} from '@failover/core';
import { createCallRecorder, type SimulatedCall, type SimulatedCallFilter } from './simulator-calls.js';
import { createPoolState, type PoolState, type SimulatedPoolControl } from './simulator-cluster.js';
import {
  createDatabaseState,
  type DatabaseState,
  type SimulatedDatabaseControl,
} from './simulator-database.js';
import { createDnsState, type DnsState, type SimulatedDnsProviderOptions } from './simulator-dns.js';
import { resolveDurations, type SimulatedDurations } from './simulator-durations.js';
import { createFaultInjector, type SimulatedFaults } from './simulator-faults.js';
import { createKernel, type SimulatedProviderOptions } from './simulator-kernel.js';
import type { SimulatedOperationRecord } from './simulator-operations.js';
import { createRegions, type SimulatedRegions } from './simulator-regions.js';
import {
  createResourceState,
  type ResourceState,
  type SimulatedResourceControl,
  type SimulatedResourceProviderOptions,
} from './simulator-resource.js';
import type { SimulatedSeed } from './simulator-seed.js';

export interface SimulatedWorldOptions {
  /** Every duration and random fault derives from it: the same seed and calls replay the same run. */
  seed: number;
  /**
   * The clock operations run on and waits poll on. Default: a new `createVirtualTime()` that
   * auto-advances, so a 30-minute failover simulates in milliseconds. Pass the same clock to the executor.
   */
  time?: Time;
  /** Overrides of the default operation durations. */
  durations?: Partial<SimulatedDurations>;
  /** Poll interval of the simulated waits when the caller gives none, and its backoff cap. Defaults 2 s and 10 s. */
  polling?: { intervalMs?: number; maxIntervalMs?: number };
}

/** The observable state of a world, for before/after comparisons. Replication lag is left out (it moves with time). */
export interface SimulatedWorldSnapshot {
  /** Record sets keyed `zone/name/type`. */
  dns: Record<string, DnsRecordSet>;
  /** Topologies keyed by database id, without lag. */
  databases: Record<string, DatabaseTopology>;
  /** Pools keyed `cluster/pool`. */
  pools: Record<string, NodePool>;
  /** Open-kind resources keyed by their ref as JSON (sorted keys). */
  resources: Record<string, ResourceJson>;
}

/**
 * One simulated cloud: regions, DNS zones, replicated databases and node pools, with
 * providers implementing the V1 interfaces over it, fault injection and a log of every call.
 */
export interface SimulatedWorld {
  /** The clock the world runs on; give it to `runPlan` too. */
  readonly time: Time;
  readonly durations: Readonly<SimulatedDurations>;
  readonly regions: SimulatedRegions;
  readonly faults: SimulatedFaults;
  /** Adds zones, health checks, databases and pools. Returns the world for chaining. */
  seed(seed: SimulatedSeed): SimulatedWorld;
  /** A DNS provider over this world. `name` is its provider id (default `sim.dns`). */
  dnsProvider(name?: string, options?: SimulatedDnsProviderOptions): DnsProviderV1;
  /** A database failover provider over this world (default id `sim.database`). */
  databaseFailover(
    name?: string,
    options?: SimulatedProviderOptions<DatabaseCapabilities>,
  ): DatabaseFailoverV1;
  /** A cluster scaler over this world (default id `sim.cluster`). */
  clusterScaler(name?: string, options?: SimulatedProviderOptions<ClusterCapabilities>): ClusterScalerV1;
  /** A provider of the open kind over this world's seeded `resources` (default id `sim.resource`). */
  resourceProvider(name?: string, options?: SimulatedResourceProviderOptions): ResourceProviderV1;
  /** Recorded calls in order, e.g. `world.calls({ mutating: true })`. */
  calls(filter?: SimulatedCallFilter): SimulatedCall[];
  /** Number of recorded calls per operation, e.g. `{ getRecordSet: 2, ensureRecordSet: 1 }`. */
  callCounts(filter?: SimulatedCallFilter): Record<string, number>;
  /** Operations started so far (DNS changes, switchovers, pool updates), oldest first. */
  operations(): SimulatedOperationRecord[];
  /** Control of a seeded database: lag spikes, the topology, failover history. Throws for an unknown id. */
  database(id: string): SimulatedDatabaseControl;
  /** View of a seeded pool. Throws for an unknown pool. */
  pool(ref: NodePoolRef): SimulatedPoolControl;
  /** View and control of a seeded resource. Throws for an unknown ref. */
  resource(ref: ResourceJson): SimulatedResourceControl;
  /** The record set as a client would observe it now, without recording a call. */
  recordSet(ref: DnsRecordRef): DnsRecordSet | undefined;
  /** Sets a seeded health check's verdict (a dark region also makes checks there unhealthy). */
  setHealthCheck(id: string, healthy: boolean): void;
  /** Everything observable now, for comparing the world before and after a run. */
  snapshot(): SimulatedWorldSnapshot;
}

/**
 * Creates a simulated world.
 *
 * @example
 * ```ts
 * const world = createSimulatedWorld({ seed: 42 }).seed({
 *   dns: { zones: [{ name: 'example.com.', records: [apiFailoverRecord] }] },
 *   databases: [{ id: 'orders', members: [
 *     { id: 'orders-use1', region: 'us-east-1', role: 'writer' },
 *     { id: 'orders-euw1', region: 'eu-west-1', role: 'reader' },
 *   ] }],
 *   pools: [{ cluster: 'prod-euw1', pool: 'general', region: 'eu-west-1', desired: 2, min: 1, max: 20 }],
 * });
 * world.faults.schedule({ operation: 'ensureRecordSet', call: 3, fault: { kind: 'throttled', retryAfterMs: 2000 } });
 * const dns = world.dnsProvider();
 * const result = await dns.getRecordSet({ zone: 'example.com.', name: 'api.example.com.', type: 'A' });
 * world.calls({ mutating: true }); // []
 * ```
 */
export function createSimulatedWorld(options: SimulatedWorldOptions): SimulatedWorld {
  const time = options.time ?? createVirtualTime();
  const durations = resolveDurations(options.durations);
  const calls = createCallRecorder();
  const faults = createFaultInjector(options.seed, calls);
  const regions = createRegions();
  const kernel = createKernel({
    seed: options.seed >>> 0,
    time,
    durations,
    calls,
    faults,
    regions,
    polling: {
      intervalMs: options.polling?.intervalMs ?? 2_000,
      maxIntervalMs: options.polling?.maxIntervalMs ?? 10_000,
    },
  });
  const dns: DnsState = createDnsState(kernel);
  const databases: DatabaseState = createDatabaseState(kernel);
  const pools: PoolState = createPoolState(kernel);
  const resources: ResourceState = createResourceState(kernel);

  const world: SimulatedWorld = {
    time,
    durations,
    regions,
    faults: {
      schedule: (fault) => faults.schedule(fault),
      random: (fault) => faults.random(fault),
      clear: () => faults.clear(),
    },
    seed(seed) {
      for (const region of seed.regions ?? []) regions.know(region);
      for (const check of seed.dns?.healthChecks ?? []) dns.addHealthCheck(check);
      for (const zone of seed.dns?.zones ?? []) dns.addZone(zone);
      for (const database of seed.databases ?? []) databases.add(database);
      for (const pool of seed.pools ?? []) pools.add(pool);
      for (const resource of seed.resources ?? []) resources.add(resource);
      return world;
    },
    dnsProvider: (name = 'sim.dns', providerOptions = {}) => dns.createProvider(name, providerOptions),
    databaseFailover: (name = 'sim.database', providerOptions = {}) =>
      databases.createProvider(name, providerOptions),
    clusterScaler: (name = 'sim.cluster', providerOptions = {}) =>
      pools.createProvider(name, providerOptions),
    resourceProvider: (name = 'sim.resource', providerOptions = {}) =>
      resources.createProvider(name, providerOptions),
    calls: (filter) => calls.list(filter),
    callCounts: (filter) => calls.counts(filter),
    operations: () => [...kernel.operations.values()],
    database: (id) => databases.control(id),
    pool: (ref) => pools.control(ref),
    resource: (ref) => resources.control(ref),
    recordSet: (ref) => dns.peek(ref),
    setHealthCheck: (id, healthy) => dns.setHealth(id, healthy),
    snapshot: () => ({
      dns: dns.all(),
      databases: databases.all(),
      pools: pools.all(),
      resources: resources.all(),
    }),
  };
  return world;
}
