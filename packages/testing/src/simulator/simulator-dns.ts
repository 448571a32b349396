import {
  type DnsCapabilities,
  type DnsProviderV1,
  type DnsRecordRef,
  type DnsRecordSet,
  type DnsRouting,
  type DnsTarget,
  type DnsWeightScale,
  diffDnsRecordSet,
  type EnsureResult,
  err,
  type FailoverError,
  type OperationHandle,
  ok,
  type Result,
  type WaitOptions,
} from '@failover/core';
import { type PlannedDnsChange, simulatedDnsBatching } from './simulator-dns-batching.js';
import {
  type CallContext,
  kernelWait,
  type SimulatedProviderOptions,
  type SimulatorKernel,
} from './simulator-kernel.js';
import type { SimulatedHealthCheckSeed, SimulatedZoneSeed } from './simulator-seed.js';
import {
  handleId,
  invalidInput,
  isCount,
  isNonEmptyString,
  isObject,
  waitTimeout,
} from './simulator-validate.js';

const allRouting: readonly DnsRouting[] = ['simple', 'weighted', 'failover', 'priority', 'geo'];

/**
 * How the simulator says weights: whole, non-negative numbers with no ceiling (what
 * `ensureRecordSet` accepts), 1 % as weight 1 like Route 53, and 0 % as weight 0.
 */
export const simulatedDnsWeightScale: DnsWeightScale = {
  perPercent: 1,
  max: Number.MAX_SAFE_INTEGER,
  integer: true,
  zero: 'weight',
};

/**
 * Every capability on: what `world.dnsProvider()` declares unless told otherwise. Pass
 * `capabilities: { weightScale: undefined }` for an adapter that takes raw weights only.
 */
export const simulatedDnsCapabilities: DnsCapabilities = {
  routing: allRouting,
  disableTarget: true,
  createRecordSet: true,
  setTtl: true,
  weightScale: simulatedDnsWeightScale,
};

interface Zone {
  name: string;
  id?: string;
  region?: string;
  records: Map<string, DnsRecordSet>;
  /** The latest change of each record set, by record key. */
  pending: Map<string, string>;
  /** Refuses a change while one is pending (Route 53's PriorRequestNotComplete). */
  refusesWhilePending: boolean;
}

/** Options of `world.dnsProvider()`. */
export interface SimulatedDnsProviderOptions extends SimulatedProviderOptions<DnsCapabilities> {
  /** Offer `batching` (many changes of a zone in one call). Default true. */
  batching?: boolean;
}

/** The DNS part of a simulated world: zones, record sets and health checks. */
export interface DnsState {
  addZone(seed: SimulatedZoneSeed): void;
  addHealthCheck(seed: SimulatedHealthCheckSeed): void;
  setHealth(id: string, healthy: boolean): void;
  /** The record set as a client would observe it now, or undefined. No call is recorded. */
  peek(ref: DnsRecordRef): DnsRecordSet | undefined;
  /** Every record set, observed, keyed `zone/name/type`. */
  all(): Record<string, DnsRecordSet>;
  createProvider(name: string, options: SimulatedDnsProviderOptions): DnsProviderV1;
}

const norm = (name: string) => name.replace(/\.$/, '').toLowerCase();
const recordKey = (name: string, type: string) => `${norm(name)}\u0000${type.toUpperCase()}`;

export function createDnsState(kernel: SimulatorKernel): DnsState {
  const zones: Zone[] = [];
  const checks = new Map<string, { region?: string; healthy: boolean }>();

  const zoneByRef = (zone: string) => zones.find((z) => norm(z.name) === norm(zone) || z.id === zone);
  const zoneForName = (name: string) =>
    zones
      .filter((z) => norm(name) === norm(z.name) || norm(name).endsWith(`.${norm(z.name)}`))
      .sort((a, b) => b.name.length - a.name.length)[0];

  const observe = (record: DnsRecordSet): DnsRecordSet => ({
    ...record,
    targets: record.targets.map((target) => {
      const copy: DnsTarget = { ...target, values: [...target.values] };
      const health = healthOf(target);
      if (health) copy.health = health;
      return copy;
    }),
  });

  const healthOf = (target: DnsTarget): DnsTarget['health'] => {
    if (target.healthCheckId === undefined) return undefined;
    const check = checks.get(target.healthCheckId);
    if (!check) return 'unknown';
    const down =
      !check.healthy || kernel.regions.isDark(check.region) || kernel.regions.isDark(target.location);
    return down ? 'unhealthy' : 'healthy';
  };

  type Found = { zone: Zone; key: string; record?: DnsRecordSet };

  /** Finds the zone and record a ref names. A missing record is fine here (ensure creates it). */
  const locate = (ref: unknown, ctx: CallContext, typeHint?: string): Result<Found, FailoverError> => {
    if (!isObject(ref) || !isNonEmptyString(ref.name)) {
      return err(invalidInput(ctx.provider, ctx.operation, 'A record ref needs a name.', 'ref.name'));
    }
    if (ref.zone !== undefined && !isNonEmptyString(ref.zone)) {
      return err(
        invalidInput(ctx.provider, ctx.operation, 'ref.zone must be a non-empty string.', 'ref.zone'),
      );
    }
    if (ref.type !== undefined && !isNonEmptyString(ref.type)) {
      return err(
        invalidInput(ctx.provider, ctx.operation, 'ref.type must be a non-empty string.', 'ref.type'),
      );
    }
    const zone = ref.zone !== undefined ? zoneByRef(ref.zone) : zoneForName(ref.name);
    if (!zone) {
      return err(
        ctx.error(
          'not-found',
          `No hosted zone ${ref.zone !== undefined ? String(ref.zone) : `for ${ref.name}`}.`,
        ),
      );
    }
    if (kernel.regions.isDark(zone.region)) return err(ctx.dark(zone.region!));
    const type = ref.type ?? typeHint;
    if (type !== undefined) {
      const key = recordKey(ref.name, type);
      const record = zone.records.get(key);
      return ok({ zone, key, ...(record && { record }) });
    }
    const name = ref.name;
    const matches = [...zone.records.entries()].filter(([, record]) => norm(record.name) === norm(name));
    if (matches.length > 1) {
      return err(
        invalidInput(
          ctx.provider,
          ctx.operation,
          `${ref.name} has several record types; name one.`,
          'ref.type',
        ),
      );
    }
    const [match] = matches;
    return ok(match ? { zone, key: match[0], record: match[1] } : { zone, key: '' });
  };

  const createProvider = (name: string, options: SimulatedDnsProviderOptions): DnsProviderV1 => {
    const capabilities: DnsCapabilities = { ...simulatedDnsCapabilities, ...options.capabilities };
    const call = kernel.caller<'getRecordSet' | 'ensureRecordSet' | 'waitForChange' | 'precheckRecordSet'>(
      name,
      options.region,
    );

    /** What ensuring `desired` at `ref` would do: validated and compared, nothing read or written. */
    const planChange = (
      ctx: CallContext,
      ref: DnsRecordRef,
      desired: DnsRecordSet,
    ): Result<PlannedDnsChange<Zone>, FailoverError> => {
      const invalid = desiredRefusal(name, capabilities, desired, ref, ctx);
      if (invalid) return err(invalid);
      const found = locate(ref, ctx, desired.type);
      if (found.isErr()) return err(found.error);
      const { zone, record: current } = found.value;
      const next = nextRecordSet(ref, desired, current);
      const before = current ? observe(current) : null;
      if (diffDnsRecordSet(current ?? null, next).length === 0) {
        // Already asked for: a change still propagating is handed back so the caller still waits on it.
        const pending = kernel.operations.get(zone.pending.get(recordKey(next.name, next.type)) ?? '');
        const live = !pending || isComplete(pending);
        const done = live ? { before, changed: false } : { before, changed: true, handle: pending.handle };
        return ok({ zone, next, before, done });
      }
      const refusal = changeRefusal(name, capabilities, current ?? null, next, ctx);
      if (refusal) return err(refusal);
      return ok({ zone, next, before });
    };

    const isComplete = (operation: { completesAt?: number }) =>
      operation.completesAt !== undefined && kernel.time.now() >= operation.completesAt;

    /** One change request to a zone: one mutating call and one operation for all its record sets. */
    const applyChanges = (
      ctx: CallContext,
      zone: Zone,
      changes: readonly PlannedDnsChange<Zone>[],
    ): Result<OperationHandle, FailoverError> => {
      if (
        zone.refusesWhilePending &&
        [...zone.pending.values()].some((id) => {
          const operation = kernel.operations.get(id);
          return operation !== undefined && !isComplete(operation);
        })
      ) {
        return err(
          ctx.error('throttled', `PriorRequestNotComplete: a change to ${zone.name} is still pending.`, {
            retryable: true,
          }),
        );
      }
      for (const { next } of changes) zone.records.set(recordKey(next.name, next.type), next);
      const single = changes.length === 1 ? changes[0]!.next : undefined;
      const apiOperation = single ? 'ChangeRecordSet' : 'ChangeRecordSets';
      ctx.mutate(apiOperation);
      const operation = kernel.startOperation({
        type: 'dns-change',
        prefix: 'dns-change',
        resource: single
          ? `${zone.name}/${single.name}/${single.type}`
          : `${zone.name} (${changes.length} record sets)`,
        provider: name,
        apiOperation,
        durationMs: kernel.draw(kernel.durations.dnsPropagation),
        stuck: ctx.stuck,
        detail: single
          ? { zone: zone.name, name: single.name, type: single.type }
          : { zone: zone.name, changes: changes.length },
      });
      for (const { next } of changes) zone.pending.set(recordKey(next.name, next.type), operation.id);
      return ok(operation.handle);
    };

    const batching =
      options.batching === false
        ? undefined
        : simulatedDnsBatching<Zone>({
            call: kernel.caller<'ensureRecordSets'>(name, options.region),
            zoneKey: (ref) => {
              const zone = ref.zone !== undefined ? zoneByRef(ref.zone) : zoneForName(ref.name);
              return zone ? norm(zone.name) : norm(ref.zone ?? ref.name);
            },
            planChange,
            applyChanges,
          });

    return {
      specificationVersion: 'v1',
      kind: 'dns',
      provider: name,
      capabilities,
      ...(batching && { batching }),

      getRecordSet(ref, callOptions) {
        return call('getRecordSet', [ref], callOptions, (ctx) => {
          ctx.read('GetRecordSet');
          const found = locate(ref, ctx);
          if (found.isErr()) return err(found.error);
          const { record } = found.value;
          if (!record)
            return err(ctx.error('not-found', `No record set ${ref.name} ${ref.type ?? ''}.`.trim()));
          return ok(observe(record));
        });
      },

      ensureRecordSet(ref, desired, callOptions) {
        return call('ensureRecordSet', [ref, desired], callOptions, (ctx) => {
          ctx.read('GetRecordSet');
          const planned = planChange(ctx, ref, desired);
          if (planned.isErr()) return err(planned.error);
          const { zone, before, done } = planned.value;
          if (done) return ok(done);
          const handle = applyChanges(ctx, zone, [planned.value]);
          if (handle.isErr()) return err(handle.error);
          return ok<EnsureResult<DnsRecordSet | null>>({ before, changed: true, handle: handle.value });
        });
      },

      precheckRecordSet(ref, desired, observed, callOptions) {
        return call('precheckRecordSet', [ref, desired], callOptions, (ctx) => {
          const invalid = desiredRefusal(name, capabilities, desired, ref, ctx);
          if (invalid) return err(invalid);
          const current = isObject(observed) ? (observed as DnsRecordSet) : null;
          const next = nextRecordSet(ref, desired, current ?? undefined);
          if (diffDnsRecordSet(current, next).length === 0) return ok(undefined);
          const refusal = changeRefusal(name, capabilities, current, next, ctx);
          return refusal ? err(refusal) : ok(undefined);
        });
      },

      waitForChange(handle, waitOptions: WaitOptions) {
        return call('waitForChange', [handle, waitOptions], waitOptions, (ctx) => {
          const id = handleId(name, 'waitForChange', handle);
          if (typeof id !== 'string') return err(id);
          const timeoutMs = waitTimeout(name, 'waitForChange', waitOptions);
          if (typeof timeoutMs !== 'number') return err(timeoutMs);
          const operation = kernel.operations.get(id);
          if (!operation) return err(ctx.error('not-found', `No change ${id}.`));
          if (operation.type !== 'dns-change') {
            return err(invalidInput(name, 'waitForChange', `${id} is not a DNS change.`, 'handle.id'));
          }
          const zoneName = String(operation.handle.detail?.zone ?? '');
          return kernelWait<void>(kernel, ctx, timeoutMs, waitOptions, async () => {
            ctx.read('GetChange');
            const zone = zoneByRef(zoneName);
            if (zone && kernel.regions.isDark(zone.region)) return err(ctx.dark(zone.region!));
            const done = operation.completesAt !== undefined && kernel.time.now() >= operation.completesAt;
            return ok(
              done ? { done: true as const, value: undefined } : { done: false as const, status: 'PENDING' },
            );
          });
        });
      },
    };
  };

  return {
    addZone(seed) {
      kernel.regions.know(seed.region);
      const zone: Zone = {
        name: seed.name,
        ...(seed.id !== undefined && { id: seed.id }),
        ...(seed.region !== undefined && { region: seed.region }),
        records: new Map(),
        pending: new Map(),
        refusesWhilePending: seed.refusesChangesWhilePending === true,
      };
      for (const record of seed.records ?? []) {
        const stored = {
          ...record,
          type: record.type.toUpperCase(),
          targets: record.targets.map(storedTarget),
        };
        zone.records.set(recordKey(record.name, record.type), stored);
        for (const target of record.targets) kernel.regions.know(regionLike(target.location));
      }
      const existing = zones.findIndex((z) => norm(z.name) === norm(seed.name));
      if (existing >= 0) zones.splice(existing, 1, zone);
      else zones.push(zone);
    },
    addHealthCheck(seed) {
      kernel.regions.know(seed.region);
      checks.set(seed.id, {
        ...(seed.region !== undefined && { region: seed.region }),
        healthy: seed.healthy ?? true,
      });
    },
    setHealth(id, healthy) {
      const check = checks.get(id);
      if (!check) throw new RangeError(`No health check ${id} in this world.`);
      check.healthy = healthy;
    },
    peek(ref) {
      const zone = ref.zone !== undefined ? zoneByRef(ref.zone) : zoneForName(ref.name);
      if (!zone) return undefined;
      const record = [...zone.records.values()].find(
        (r) =>
          norm(r.name) === norm(ref.name) && (ref.type === undefined || r.type === ref.type.toUpperCase()),
      );
      return record && observe(record);
    },
    all() {
      const out: Record<string, DnsRecordSet> = {};
      for (const zone of zones) {
        for (const record of zone.records.values())
          out[`${zone.name}/${record.name}/${record.type}`] = observe(record);
      }
      return out;
    },
    createProvider,
  };
}

/** Runs one poll, injecting the wait's first-poll fault when there is one. */

/** Observed-only fields are never stored. */
function storedTarget(target: DnsTarget): DnsTarget {
  const { health: _health, ...rest } = target;
  return { ...rest, values: [...rest.values] };
}

/** Geo locations such as `EU` are not regions; only cloud-like names are registered. */
function regionLike(location: string | undefined): string | undefined {
  return location !== undefined && /^[a-z]+(-[a-z0-9]+)+$/.test(location) ? location : undefined;
}

function validateRecordSet(desired: unknown, ref: DnsRecordRef, ctx: CallContext): FailoverError | undefined {
  const bad = (message: string, path: string) => invalidInput(ctx.provider, ctx.operation, message, path);
  if (!isObject(desired)) return bad('The desired record set must be an object.', 'desired');
  if (typeof desired.name !== 'string') return bad('The desired record set needs a name.', 'desired.name');
  if (!isNonEmptyString(desired.type)) return bad('The desired record set needs a type.', 'desired.type');
  if (
    isObject(ref) &&
    ref.type !== undefined &&
    String(ref.type).toUpperCase() !== desired.type.toUpperCase()
  ) {
    return bad(`The ref's type ${ref.type} differs from the desired type ${desired.type}.`, 'desired.type');
  }
  if (!isCount(desired.ttl)) return bad('TTL must be a non-negative integer.', 'desired.ttl');
  if (!allRouting.includes(desired.routing as DnsRouting)) {
    return bad(`Unknown routing "${String(desired.routing)}".`, 'desired.routing');
  }
  if (!Array.isArray(desired.targets) || desired.targets.length === 0) {
    return bad('A record set needs at least one target.', 'desired.targets');
  }
  const ids = new Set<string>();
  for (const [index, target] of desired.targets.entries()) {
    const path = `desired.targets[${index}]`;
    if (!isObject(target) || !isNonEmptyString(target.id))
      return bad('Every target needs an id.', `${path}.id`);
    if (ids.has(target.id)) return bad(`Target id ${target.id} is used twice.`, `${path}.id`);
    ids.add(target.id);
    if (!Array.isArray(target.values) || !target.values.every((v) => typeof v === 'string')) {
      return bad('Target values must be strings.', `${path}.values`);
    }
    if (target.weight !== undefined && !isCount(target.weight)) {
      return bad('A weight is a non-negative integer.', `${path}.weight`);
    }
    if (target.priority !== undefined && !isCount(target.priority)) {
      return bad('A priority is a non-negative integer.', `${path}.priority`);
    }
    if (typeof target.enabled !== 'boolean') return bad('enabled must be a boolean.', `${path}.enabled`);
  }
  if (desired.routing === 'failover') {
    const priorities = (desired.targets as DnsTarget[]).map((t) => t.priority);
    const valid =
      priorities.every((p) => p === 1 || p === 2) && new Set(priorities).size === priorities.length;
    if (!valid)
      return bad(
        'Failover routing needs one primary (priority 1) and at most one secondary (2).',
        'desired.targets',
      );
  }
  return undefined;
}

/** The record set an ensure would store: the desired one, named and typed like what exists. */
function nextRecordSet(
  ref: DnsRecordRef,
  desired: DnsRecordSet,
  current: DnsRecordSet | undefined,
): DnsRecordSet {
  return {
    name: current?.name ?? (desired.name || ref.name),
    type: current?.type ?? desired.type.toUpperCase(),
    ttl: desired.ttl,
    routing: desired.routing,
    targets: desired.targets.map(storedTarget),
  };
}

/** Refusals that depend only on the desired state and the capabilities (`invalid-input`, `unsupported`). */
function desiredRefusal(
  name: string,
  capabilities: DnsCapabilities,
  desired: DnsRecordSet,
  ref: DnsRecordRef,
  ctx: CallContext,
): FailoverError | undefined {
  const invalid = validateRecordSet(desired, ref, ctx);
  if (invalid) return invalid;
  if (!capabilities.routing.includes(desired.routing)) {
    return ctx.error('unsupported', `Routing "${desired.routing}" is not supported by ${name}.`);
  }
  return undefined;
}

/**
 * Refusals of a change from what exists to `next` (`unsupported` capabilities). `ensureRecordSet`
 * and `precheckRecordSet` both ask it, so a dry-run predicts the run.
 */
function changeRefusal(
  name: string,
  capabilities: DnsCapabilities,
  current: DnsRecordSet | null,
  next: DnsRecordSet,
  ctx: CallContext,
): FailoverError | undefined {
  if (!current) {
    return capabilities.createRecordSet
      ? undefined
      : ctx.error('unsupported', `${name} cannot create record sets.`);
  }
  if (!capabilities.setTtl && current.ttl !== next.ttl) {
    return ctx.error('unsupported', `${name} cannot change TTLs.`);
  }
  if (
    !capabilities.disableTarget &&
    diffDnsRecordSet(current, next).some((d) => d.path.endsWith('.enabled'))
  ) {
    return ctx.error('unsupported', `${name} cannot enable or disable targets.`);
  }
  return undefined;
}
