// Small in-memory providers for the executor's own tests: they keep state,
// sleep on the injected clock, report API calls, log every method call, and
// take scripted faults. Not the simulator of @failover/testing (core must not
// depend on it); deliberately minimal.
import { FailoverError } from '../../errors/failover-error.js';
import { cancelledError } from '../../errors/to-failover-error.js';
import type { CallOptions, WaitOptions } from '../../providers/call-options.js';
import type { ClusterScalerV1 } from '../../providers/cluster/cluster-scaler-v1.js';
import type { NodePool, NodePoolRef } from '../../providers/cluster/node-pool.js';
import type { DatabaseFailoverV1 } from '../../providers/database/database-failover-v1.js';
import { type DatabaseTopology, writerRegion } from '../../providers/database/database-topology.js';
import { diffDnsRecordSet } from '../../providers/dns/diff-dns-record-set.js';
import type { DnsProviderV1 } from '../../providers/dns/dns-provider-v1.js';
import type { DnsRecordSet } from '../../providers/dns/dns-record-set.js';
import type { OperationHandle } from '../../providers/operation-handle.js';
import { errAsync, type FailoverResult, okAsync, ResultAsync } from '../../result.js';
import type { Time } from '../../time/time.js';

/** A scripted fault for the next call of a method. */
export type Fault =
  | { error: FailoverError }
  | { throws: unknown }
  | { rejects: unknown }
  /** Never answers and ignores the abort signal. */
  | { hangs: true };

export interface CallRecord {
  method: string;
  mutating: boolean;
  args: unknown[];
}

interface FakeBase {
  /** Every method call, in order. */
  readonly log: CallRecord[];
  /** Queues faults for the next calls of `method`. */
  fail(method: string, ...faults: Fault[]): void;
}

const mutatingMethods = new Set(['ensureRecordSet', 'ensureWriter', 'ensureSize']);

/** The names of the mutating methods called so far. */
export const mutatingCalls = (fake: FakeBase) =>
  fake.log.filter((call) => call.mutating).map((c) => c.method);

function harness(provider: string) {
  const log: CallRecord[] = [];
  const faults = new Map<string, Fault[]>();
  let changeCounter = 0;
  return {
    log,
    fail(method: string, ...more: Fault[]) {
      faults.set(method, [...(faults.get(method) ?? []), ...more]);
    },
    /** Logs the call, reports one API call, and plays a queued fault if any. */
    enter<T>(
      method: string,
      options: CallOptions | undefined,
      args: unknown[],
    ): FailoverResult<T> | undefined {
      const mutating = mutatingMethods.has(method);
      log.push({ method, mutating, args: structuredClone(args) });
      options?.onApiCall?.({ provider, operation: method, mutating });
      const fault = faults.get(method)?.shift();
      if (!fault) return undefined;
      if ('error' in fault) return errAsync(fault.error);
      if ('throws' in fault) throw fault.throws;
      if ('rejects' in fault) return new ResultAsync(Promise.reject(fault.rejects));
      return new ResultAsync(new Promise(() => {}));
    },
    nextId: () => `change-${++changeCounter}`,
  };
}

/** Sleeps `ms` on `time`; `cancelled` if the signal aborts first. */
function sleepOrCancel(time: Time, ms: number, provider: string, operation: string, signal?: AbortSignal) {
  return ResultAsync.fromSafePromise(time.sleep(ms, signal)).andThen(() =>
    signal?.aborted ? errAsync(cancelledError(provider, operation)) : okAsync(undefined),
  );
}

const recordKey = (name: string) => name;

export interface FakeDns extends DnsProviderV1, FakeBase {
  readonly records: Map<string, DnsRecordSet>;
}

/** A DNS provider whose changes take `propagationMs` to be in sync. */
export function fakeDns(
  time: Time,
  records: DnsRecordSet[],
  options: { provider?: string; propagationMs?: number } = {},
): FakeDns {
  const provider = options.provider ?? 'fake.dns';
  const h = harness(provider);
  const state = new Map(records.map((record) => [recordKey(record.name), structuredClone(record)]));
  return {
    specificationVersion: 'v1',
    kind: 'dns',
    provider,
    capabilities: {
      routing: ['simple', 'weighted', 'failover', 'priority'],
      disableTarget: true,
      createRecordSet: true,
      setTtl: true,
    },
    log: h.log,
    fail: h.fail,
    records: state,
    getRecordSet(ref, o) {
      const fault = h.enter<DnsRecordSet>('getRecordSet', o, [ref]);
      if (fault) return fault;
      const found = state.get(recordKey(ref.name));
      if (!found) {
        return errAsync(
          new FailoverError({
            kind: 'not-found',
            message: `${ref.name} not found`,
            provider,
            operation: 'get',
          }),
        );
      }
      return okAsync(structuredClone(found));
    },
    ensureRecordSet(ref, desired, o) {
      const fault = h.enter<never>('ensureRecordSet', o, [ref, desired]);
      if (fault) return fault;
      const current = state.get(recordKey(ref.name)) ?? null;
      const before = current && structuredClone(current);
      if (diffDnsRecordSet(current, desired).length === 0) return okAsync({ before, changed: false });
      state.set(recordKey(ref.name), structuredClone(desired));
      const handle: OperationHandle = {
        provider,
        operation: 'ChangeResourceRecordSets',
        id: h.nextId(),
        startedAt: time.now(),
      };
      return okAsync({ before, changed: true, handle });
    },
    waitForChange(handle, o: WaitOptions) {
      const fault = h.enter<void>('waitForChange', o, [handle]);
      if (fault) return fault;
      const ms = options.propagationMs ?? 0;
      if (ms > o.timeoutMs) {
        return sleepOrCancel(time, o.timeoutMs, provider, 'waitForChange', o.abortSignal).andThen(() =>
          errAsync(
            new FailoverError({ kind: 'timeout', message: 'not in sync', provider, operation: 'wait' }),
          ),
        );
      }
      return sleepOrCancel(time, ms, provider, 'waitForChange', o.abortSignal);
    },
  };
}

export interface FakeDatabase extends DatabaseFailoverV1, FakeBase {
  readonly topologies: Map<string, DatabaseTopology>;
}

/** A database whose writer moves in `failoverMs`. */
export function fakeDatabase(
  time: Time,
  topologies: DatabaseTopology[],
  options: { provider?: string; failoverMs?: number } = {},
): FakeDatabase {
  const provider = options.provider ?? 'fake.db';
  const h = harness(provider);
  const state = new Map(topologies.map((topology) => [topology.id, structuredClone(topology)]));
  const notFound = (id: string) =>
    new FailoverError({ kind: 'not-found', message: `${id} not found`, provider, operation: 'describe' });
  return {
    specificationVersion: 'v1',
    kind: 'database',
    provider,
    capabilities: { modes: ['planned', 'forced'], replicationLag: true },
    log: h.log,
    fail: h.fail,
    topologies: state,
    describe(ref, o) {
      const fault = h.enter<DatabaseTopology>('describe', o, [ref]);
      if (fault) return fault;
      const found = state.get(ref.id);
      return found ? okAsync(structuredClone(found)) : errAsync(notFound(ref.id));
    },
    ensureWriter(ref, desired, o) {
      const fault = h.enter<never>('ensureWriter', o, [ref, desired]);
      if (fault) return fault;
      const found = state.get(ref.id);
      if (!found) return errAsync(notFound(ref.id));
      const before = structuredClone(found);
      if (writerRegion(found) === desired.region) return okAsync({ before, changed: false });
      for (const member of found.members)
        member.role = member.region === desired.region ? 'writer' : 'reader';
      const handle: OperationHandle = {
        provider,
        operation: desired.mode === 'planned' ? 'Switchover' : 'Failover',
        id: h.nextId(),
        startedAt: time.now(),
        detail: { database: ref.id },
      };
      return okAsync({ before, changed: true, handle });
    },
    waitForWriter(handle, o) {
      const fault = h.enter<DatabaseTopology>('waitForWriter', o, [handle]);
      if (fault) return fault;
      const id = String(handle.detail?.database);
      return sleepOrCancel(time, options.failoverMs ?? 0, provider, 'waitForWriter', o.abortSignal).map(() =>
        structuredClone(state.get(id)!),
      );
    },
  };
}

export interface FakeCluster extends ClusterScalerV1, FakeBase {
  readonly pools: Map<string, NodePool>;
}

const poolKey = (ref: NodePoolRef) => `${ref.cluster}/${ref.pool}`;

/** A cluster whose pools reach their size `scaleMs` after a change. */
export function fakeCluster(
  time: Time,
  pools: NodePool[],
  options: { provider?: string; scaleMs?: number } = {},
): FakeCluster {
  const provider = options.provider ?? 'fake.cluster';
  const h = harness(provider);
  const state = new Map(pools.map((pool) => [poolKey(pool), structuredClone(pool)]));
  const notFound = (ref: NodePoolRef) =>
    new FailoverError({
      kind: 'not-found',
      message: `${poolKey(ref)} not found`,
      provider,
      operation: 'describe',
    });
  return {
    specificationVersion: 'v1',
    kind: 'cluster',
    provider,
    capabilities: { bounds: true, autoscaledPools: true },
    log: h.log,
    fail: h.fail,
    pools: state,
    describePool(ref, o) {
      const fault = h.enter<NodePool>('describePool', o, [ref]);
      if (fault) return fault;
      const found = state.get(poolKey(ref));
      return found ? okAsync(structuredClone(found)) : errAsync(notFound(ref));
    },
    ensureSize(ref, desired, o) {
      const fault = h.enter<never>('ensureSize', o, [ref, desired]);
      if (fault) return fault;
      const found = state.get(poolKey(ref));
      if (!found) return errAsync(notFound(ref));
      const before = structuredClone(found);
      const next = { ...found, ...desired };
      if (next.desired === found.desired && next.min === found.min && next.max === found.max) {
        return okAsync({ before, changed: false });
      }
      Object.assign(found, next, { status: 'scaling' });
      const handle: OperationHandle = {
        provider,
        operation: 'UpdateNodegroupConfig',
        id: h.nextId(),
        startedAt: time.now(),
        detail: { key: poolKey(ref) },
      };
      return okAsync({ before, changed: true, handle });
    },
    waitForPool(handle, o) {
      const fault = h.enter<NodePool>('waitForPool', o, [handle]);
      if (fault) return fault;
      const pool = state.get(String(handle.detail?.key))!;
      return sleepOrCancel(time, options.scaleMs ?? 0, provider, 'waitForPool', o.abortSignal).map(() => {
        pool.ready = pool.desired;
        pool.status = 'ready';
        return structuredClone(pool);
      });
    },
  };
}

/** A weighted record set with a primary and a secondary target. */
export function weightedRecord(name: string, active: 'primary' | 'secondary' = 'primary'): DnsRecordSet {
  return {
    name,
    type: 'CNAME',
    ttl: 60,
    routing: 'weighted',
    targets: [
      {
        id: 'primary',
        values: ['primary.example.com'],
        weight: active === 'primary' ? 100 : 0,
        enabled: true,
      },
      {
        id: 'secondary',
        values: ['secondary.example.com'],
        weight: active === 'secondary' ? 100 : 0,
        enabled: true,
      },
    ],
  };
}

/** A two-region database with the writer in `writer`. */
export function twoRegionDatabase(id: string, writer: string, reader: string, lagMs = 100): DatabaseTopology {
  return {
    id,
    failoverInProgress: false,
    members: [
      { id: `${id}-${writer}`, region: writer, role: 'writer', status: 'available' },
      { id: `${id}-${reader}`, region: reader, role: 'reader', status: 'available', replicationLagMs: lagMs },
    ],
  };
}

/** A node pool of `size` ready nodes. */
export function nodePool(cluster: string, pool: string, size: number, max = 20): NodePool {
  return { cluster, pool, desired: size, min: 0, max, ready: size, autoscaling: false, status: 'ready' };
}
