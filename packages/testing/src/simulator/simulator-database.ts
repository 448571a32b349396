import {
  type DatabaseCapabilities,
  type DatabaseDesiredState,
  type DatabaseFailoverV1,
  type DatabaseMember,
  type DatabaseTopology,
  databaseMatches,
  type EnsureResult,
  err,
  type FailoverError,
  type FailoverMode,
  ok,
  type Result,
  type WaitOptions,
} from '@failover/core';
import {
  type CallContext,
  kernelWait,
  type SimulatedProviderOptions,
  type SimulatorKernel,
} from './simulator-kernel.js';
import { hash01 } from './simulator-prng.js';
import type { SimulatedDatabaseSeed } from './simulator-seed.js';
import { handleId, invalidInput, isNonEmptyString, isObject, waitTimeout } from './simulator-validate.js';

/** Both modes and lag reporting: what `world.databaseFailover()` declares unless told otherwise. */
export const simulatedDatabaseCapabilities: DatabaseCapabilities = {
  modes: ['planned', 'forced'],
  replicationLag: true,
};

/** One completed or running writer move, for assertions on RPO. */
export interface SimulatedFailoverRecord {
  operationId: string;
  mode: FailoverMode;
  fromRegion: string;
  toRegion: string;
  toMember: string;
  startedAt: number;
  /** Unset while running or when stuck. */
  completedAt?: number;
  /** Writes lost: the target's replication lag when a forced failover started; 0 when planned. */
  dataLossMs: number;
}

/** Test-side control of one simulated database (`world.database(id)`). Nothing here is a recorded call. */
export interface SimulatedDatabaseControl {
  /** Adds `ms` of replication lag to every reader for the next `durationMs` of simulated time. */
  spikeLag(ms: number, durationMs: number): void;
  /** The topology a client would observe now. */
  topology(): DatabaseTopology;
  /** Writer moves so far, oldest first. */
  failovers(): SimulatedFailoverRecord[];
}

interface Member {
  id: string;
  region: string;
  zone?: string;
  role: 'writer' | 'reader';
  status: DatabaseMember['status'];
}

interface Database {
  id: string;
  members: Member[];
  lag: { baseMs: number; jitterMs: number };
  spikes: Array<{ from: number; to: number; ms: number }>;
  inFlight?: {
    operationId: string;
    memberId: string;
    region: string;
    zone?: string;
    mode: FailoverMode;
    completesAt?: number;
  };
  history: SimulatedFailoverRecord[];
}

export interface DatabaseState {
  add(seed: SimulatedDatabaseSeed): void;
  control(id: string): SimulatedDatabaseControl;
  all(): Record<string, DatabaseTopology>;
  createProvider(name: string, options: SimulatedProviderOptions<DatabaseCapabilities>): DatabaseFailoverV1;
}

const lagBucketMs = 15_000;

export function createDatabaseState(kernel: SimulatorKernel): DatabaseState {
  const databases = new Map<string, Database>();

  /** Applies a writer move whose time has come. Time only moves forward, so settling lazily is exact. */
  const settle = (db: Database) => {
    const flight = db.inFlight;
    if (!flight || flight.completesAt === undefined || kernel.time.now() < flight.completesAt) return;
    for (const member of db.members) member.role = member.id === flight.memberId ? 'writer' : 'reader';
    const record = db.history.find((h) => h.operationId === flight.operationId);
    if (record) record.completedAt = flight.completesAt;
    delete db.inFlight;
  };

  /** Lag follows a seeded wave between 15 s buckets, plus any active spike. */
  const lagOf = (db: Database, member: Member, at: number) => {
    const bucket = Math.floor(at / lagBucketMs);
    const share = (at - bucket * lagBucketMs) / lagBucketMs;
    const a = hash01(kernel.seed, 'lag', db.id, member.id, bucket);
    const b = hash01(kernel.seed, 'lag', db.id, member.id, bucket + 1);
    const wave = a + (b - a) * share;
    const spike = db.spikes.filter((s) => s.from <= at && at < s.to).reduce((sum, s) => sum + s.ms, 0);
    return Math.round(db.lag.baseMs + db.lag.jitterMs * wave + spike);
  };

  const statusOf = (db: Database, member: Member): DatabaseMember['status'] => {
    if (kernel.regions.isDark(member.region)) return 'unavailable';
    if (db.inFlight && (member.role === 'writer' || member.id === db.inFlight.memberId)) return 'modifying';
    return member.status;
  };

  const observe = (db: Database, reportLag = true): DatabaseTopology => {
    settle(db);
    const now = kernel.time.now();
    return {
      id: db.id,
      members: db.members.map((member) => {
        const status = statusOf(db, member);
        return {
          id: member.id,
          region: member.region,
          ...(member.zone !== undefined && { zone: member.zone }),
          role: member.role,
          status,
          rawStatus: status,
          ...(reportLag && member.role === 'reader' && { replicationLagMs: lagOf(db, member, now) }),
        };
      }),
      failoverInProgress: db.inFlight !== undefined,
      rawStatus: db.inFlight
        ? db.inFlight.mode === 'planned'
          ? 'switching-over'
          : 'failing-over'
        : 'available',
    };
  };

  const find = (ref: unknown, ctx: CallContext): Result<Database, FailoverError> => {
    if (!isObject(ref) || !isNonEmptyString(ref.id)) {
      return err(invalidInput(ctx.provider, ctx.operation, 'A database ref needs an id.', 'ref.id'));
    }
    const db = databases.get(ref.id);
    return db ? ok(db) : err(ctx.error('not-found', `No database ${ref.id}.`));
  };

  const createProvider = (
    name: string,
    options: SimulatedProviderOptions<DatabaseCapabilities>,
  ): DatabaseFailoverV1 => {
    const capabilities: DatabaseCapabilities = { ...simulatedDatabaseCapabilities, ...options.capabilities };
    const call = kernel.caller<'describe' | 'ensureWriter' | 'waitForWriter' | 'precheckWriter'>(
      name,
      options.region,
    );

    return {
      specificationVersion: 'v1',
      kind: 'database',
      provider: name,
      capabilities,

      describe(ref, callOptions) {
        return call('describe', [ref], callOptions, (ctx) => {
          ctx.read('DescribeDatabase');
          return find(ref, ctx).map((db) => observe(db, capabilities.replicationLag));
        });
      },

      ensureWriter(ref, desired, callOptions) {
        return call('ensureWriter', [ref, desired], callOptions, (ctx) => {
          const invalid = invalidDesired(name, desired, capabilities, ctx);
          if (invalid) return err(invalid);
          ctx.read('DescribeDatabase');
          const found = find(ref, ctx);
          if (found.isErr()) return err(found.error);
          const db = found.value;
          const before = observe(db, capabilities.replicationLag);

          if (db.inFlight) {
            const flight = db.inFlight;
            const operation = kernel.operations.get(flight.operationId)!;
            if (
              flight.region === desired.region &&
              (desired.memberId === undefined || desired.memberId === flight.memberId) &&
              (desired.zone === undefined || desired.zone === flight.zone)
            ) {
              // The same move is already running: hand back its handle, start nothing new.
              return ok<EnsureResult<DatabaseTopology>>({ before, changed: true, handle: operation.handle });
            }
            return err(
              ctx.error('conflict', `A writer move to ${flight.region} is already in progress on ${db.id}.`),
            );
          }

          if (databaseMatches(before, desired)) {
            return ok<EnsureResult<DatabaseTopology>>({ before, changed: false });
          }
          const refusal = writerRefusal(before, desired, ctx);
          if (refusal) return err(refusal);
          const writer = db.members.find((member) => member.role === 'writer');
          const target = db.members.find((member) => member.id === moveTarget(before, desired)!.id)!;

          const now = kernel.time.now();
          let durationMs = kernel.draw(
            desired.mode === 'planned' ? kernel.durations.plannedSwitchover : kernel.durations.forcedFailover,
          );
          if (desired.mode === 'planned') {
            // A switchover waits for the replicas to catch up: it cannot end during a lag spike.
            const spikeEnd = Math.max(
              now,
              ...db.spikes.filter((s) => s.from <= now && now < s.to).map((s) => s.to),
            );
            durationMs = Math.max(durationMs, spikeEnd - now);
          }
          const apiOperation = desired.mode === 'planned' ? 'SwitchoverDatabase' : 'FailoverDatabase';
          ctx.mutate(apiOperation);
          const operation = kernel.startOperation({
            type: desired.mode === 'planned' ? 'database-switchover' : 'database-failover',
            prefix: desired.mode === 'planned' ? 'db-switchover' : 'db-failover',
            resource: db.id,
            provider: name,
            apiOperation,
            durationMs,
            stuck: ctx.stuck,
            detail: { database: db.id, memberId: target.id, region: target.region, mode: desired.mode },
          });
          db.inFlight = {
            operationId: operation.id,
            memberId: target.id,
            region: target.region,
            ...(target.zone !== undefined && { zone: target.zone }),
            mode: desired.mode,
            ...(operation.completesAt !== undefined && { completesAt: operation.completesAt }),
          };
          db.history.push({
            operationId: operation.id,
            mode: desired.mode,
            fromRegion: writer?.region ?? '',
            toRegion: target.region,
            toMember: target.id,
            startedAt: now,
            dataLossMs: desired.mode === 'forced' ? lagOf(db, target, now) : 0,
          });
          return ok<EnsureResult<DatabaseTopology>>({ before, changed: true, handle: operation.handle });
        });
      },

      precheckWriter(ref, desired, observed, callOptions) {
        return call('precheckWriter', [ref, desired], callOptions, (ctx) => {
          const invalid = invalidDesired(name, desired, capabilities, ctx);
          if (invalid) return err(invalid);
          if (!isObject(observed) || !Array.isArray(observed.members)) {
            return err(
              invalidInput(name, 'precheckWriter', 'The observed topology has no members.', 'observed'),
            );
          }
          if (databaseMatches(observed, desired)) return ok(undefined);
          const refusal = writerRefusal(observed, desired, ctx);
          return refusal ? err(refusal) : ok(undefined);
        });
      },

      waitForWriter(handle, waitOptions: WaitOptions) {
        return call('waitForWriter', [handle, waitOptions], waitOptions, (ctx) => {
          const id = handleId(name, 'waitForWriter', handle);
          if (typeof id !== 'string') return err(id);
          const timeoutMs = waitTimeout(name, 'waitForWriter', waitOptions);
          if (typeof timeoutMs !== 'number') return err(timeoutMs);
          const operation = kernel.operations.get(id);
          if (!operation) return err(ctx.error('not-found', `No database operation ${id}.`));
          if (operation.type !== 'database-switchover' && operation.type !== 'database-failover') {
            return err(
              invalidInput(name, 'waitForWriter', `${id} is not a database operation.`, 'handle.id'),
            );
          }
          const db = databases.get(operation.resource);
          if (!db) return err(ctx.error('not-found', `No database ${operation.resource}.`));
          const memberId = String(operation.handle.detail?.memberId);
          return kernelWait<DatabaseTopology>(kernel, ctx, timeoutMs, waitOptions, async () => {
            ctx.read('DescribeDatabase');
            const topology = observe(db, capabilities.replicationLag);
            const member = topology.members.find((m) => m.id === memberId);
            const done =
              member?.role === 'writer' && member.status === 'available' && !topology.failoverInProgress;
            return ok(
              done
                ? { done: true as const, value: topology }
                : { done: false as const, status: topology.rawStatus ?? 'unknown' },
            );
          });
        });
      },
    };
  };

  return {
    add(seed) {
      const writers = seed.members.filter((member) => member.role === 'writer');
      if (writers.length !== 1) throw new RangeError(`Database ${seed.id} needs exactly one writer.`);
      for (const member of seed.members) kernel.regions.know(member.region);
      databases.set(seed.id, {
        id: seed.id,
        members: seed.members.map((member) => ({
          id: member.id,
          region: member.region,
          ...(member.zone !== undefined && { zone: member.zone }),
          role: member.role,
          status: member.status ?? 'available',
        })),
        lag: { baseMs: seed.lag?.baseMs ?? 200, jitterMs: seed.lag?.jitterMs ?? 800 },
        spikes: [],
        history: [],
      });
    },
    control(id) {
      const db = databases.get(id);
      if (!db) throw new RangeError(`No database ${id} in this world.`);
      return {
        spikeLag(ms, durationMs) {
          const from = kernel.time.now();
          db.spikes.push({ from, to: from + durationMs, ms });
        },
        topology: () => observe(db),
        failovers: () => {
          settle(db);
          return db.history.map((record) => ({ ...record }));
        },
      };
    },
    all() {
      const out: Record<string, DatabaseTopology> = {};
      for (const db of databases.values()) out[db.id] = observe(db, false);
      return out;
    },
    createProvider,
  };
}

/** Shape and capability checks of a desired state: the `invalid-input` / `unsupported` refusals. */
function invalidDesired(
  name: string,
  desired: DatabaseDesiredState,
  capabilities: DatabaseCapabilities,
  ctx: CallContext,
): FailoverError | undefined {
  const bad = (message: string, path: string) => invalidInput(name, ctx.operation, message, path);
  if (!isObject(desired)) return bad('The desired state must be an object.', 'desired');
  if (!isNonEmptyString(desired.region))
    return bad('The desired region must be a non-empty string.', 'region');
  if (desired.mode !== 'planned' && desired.mode !== 'forced') {
    return bad(`Unknown mode "${String(desired.mode)}".`, 'mode');
  }
  if (desired.memberId !== undefined && !isNonEmptyString(desired.memberId)) {
    return bad('memberId must be a non-empty string.', 'memberId');
  }
  if (desired.zone !== undefined && !isNonEmptyString(desired.zone)) {
    return bad('zone must be a non-empty string.', 'zone');
  }
  if (!capabilities.modes.includes(desired.mode)) {
    return ctx.error('unsupported', `${name} cannot perform a ${desired.mode} failover.`);
  }
  return undefined;
}

/** The available reader a move to `desired` would promote: in the region, and on the member / zone asked for. */
function moveTarget(topology: DatabaseTopology, desired: DatabaseDesiredState): DatabaseMember | undefined {
  return topology.members.find(
    (member) =>
      member.region === desired.region &&
      member.role === 'reader' &&
      (desired.memberId === undefined || member.id === desired.memberId) &&
      (desired.zone === undefined || member.zone === desired.zone) &&
      member.status === 'available',
  );
}

/**
 * Why a move from the observed topology to `desired` is impossible, if it is: no available
 * member to promote there, or a planned switchover with an unreachable writer. `ensureWriter`
 * and `precheckWriter` both ask it, so a dry-run predicts the run.
 */
function writerRefusal(
  topology: DatabaseTopology,
  desired: DatabaseDesiredState,
  ctx: CallContext,
): FailoverError | undefined {
  if (!moveTarget(topology, desired)) {
    const which = [desired.memberId, desired.zone && `in zone ${desired.zone}`].filter(Boolean).join(' ');
    return ctx.error(
      'precondition-failed',
      `No available member${which ? ` ${which}` : ''} of ${topology.id} in ${desired.region}.`,
    );
  }
  const writer = topology.members.find((member) => member.role === 'writer');
  if (desired.mode === 'planned' && writer?.status !== 'available') {
    return ctx.error(
      'precondition-failed',
      `The writer of ${topology.id} in ${writer?.region ?? 'no region'} is unreachable; a planned switchover is impossible.`,
    );
  }
  return undefined;
}
