import type { Change, ResourceRecordSet } from '@aws-sdk/client-route-53';
import type { DnsRecordSet, DnsRouting, DnsTarget } from '@failover/core';
import { type AwsErrorContext, awsFailure } from './aws-error.js';
import { check, isObject } from './aws-validate.js';
import { fitsOneBatch } from './route53-change-batches.js';

/** The id of the one target of a simple (non-routed) record set. */
export const simpleTargetId = 'default';

/** A health check as the mapping needs it. */
export interface ObservedHealthCheck {
  id: string;
  disabled: boolean;
  inverted: boolean;
  version?: number;
  /** From the checkers' observations, when they were read. */
  endpointHealthy?: boolean;
}

/** Lower-case with a trailing dot; Route 53's `\052` escape read as `*`. */
export function normalizeDnsName(name: string): string {
  const lower = name.trim().toLowerCase().replace(/\\052/g, '*');
  return lower.endsWith('.') ? lower : `${lower}.`;
}

/**
 * A target is out of rotation when its health check is both Disabled and
 * Inverted: Route 53 then treats it as unhealthy whatever the endpoint does.
 * (Disabled alone counts as healthy, and Inverted alone would put a dead
 * endpoint back into rotation.)
 */
export function enabledOf(check: ObservedHealthCheck | undefined): boolean {
  return !(check?.disabled && check.inverted);
}

/** Route 53's view of the health check: Disabled is healthy, Inverted flips. */
export function healthOf(check: ObservedHealthCheck | undefined): DnsTarget['health'] {
  if (!check || (check.endpointHealthy === undefined && !check.disabled)) return 'unknown';
  const base = check.disabled ? true : check.endpointHealthy!;
  return (check.inverted ? !base : base) ? 'healthy' : 'unhealthy';
}

export function routingOf(records: ResourceRecordSet[], context: AwsErrorContext): DnsRouting {
  const kinds = new Set(
    records.map((record) =>
      record.Failover !== undefined
        ? 'failover'
        : record.Weight !== undefined
          ? 'weighted'
          : record.SetIdentifier === undefined
            ? 'simple'
            : 'other',
    ),
  );
  const [kind] = kinds;
  if (kinds.size !== 1 || kind === 'other') {
    throw awsFailure(
      'unsupported',
      context,
      `${records[0]?.Name} ${records[0]?.Type} uses a routing policy this adapter does not model (simple, weighted and failover are).`,
    );
  }
  return kind as DnsRouting;
}

/** One Route 53 record set as a target. */
function toTarget(record: ResourceRecordSet, checks: ReadonlyMap<string, ObservedHealthCheck>): DnsTarget {
  const healthCheck = record.HealthCheckId === undefined ? undefined : checks.get(record.HealthCheckId);
  return {
    id: record.SetIdentifier ?? simpleTargetId,
    values: record.AliasTarget?.DNSName
      ? [normalizeDnsName(record.AliasTarget.DNSName)]
      : (record.ResourceRecords ?? []).map((entry) => entry.Value ?? ''),
    ...(record.Weight !== undefined && { weight: record.Weight }),
    ...(record.Failover !== undefined && { priority: record.Failover === 'PRIMARY' ? 1 : 2 }),
    enabled: enabledOf(healthCheck),
    ...(record.HealthCheckId !== undefined && { healthCheckId: record.HealthCheckId }),
    // Health is only reported when it was observed (getRecordSet reads the checkers; ensure does not).
    ...(healthCheck &&
      (healthCheck.endpointHealthy !== undefined || healthCheck.disabled) && {
        health: healthOf(healthCheck),
      }),
  };
}

/**
 * The record sets of one name and type as a `DnsRecordSet`. Alias targets show
 * their DNS name as the value; an all-alias set has no TTL of its own (`ttl: 0`).
 */
export function toDnsRecordSet(
  name: string,
  type: string,
  records: ResourceRecordSet[],
  checks: ReadonlyMap<string, ObservedHealthCheck>,
  context: AwsErrorContext,
): DnsRecordSet {
  const routing = routingOf(records, context);
  const ttl = records.find((record) => record.TTL !== undefined)?.TTL ?? 0;
  return {
    name: normalizeDnsName(name),
    type,
    ttl,
    routing,
    targets: records.map((record) => toTarget(record, checks)),
  };
}

/** Validates a desired record set before anything is sent. */
export function checkDesired(desired: unknown, context: AwsErrorContext): asserts desired is DnsRecordSet {
  check(isObject(desired), context, 'The desired record set must be an object.');
  const { ttl, routing, targets } = desired;
  check(
    Number.isInteger(ttl) && (ttl as number) >= 0 && (ttl as number) <= 2147483647,
    context,
    'ttl must be an integer between 0 and 2147483647.',
    'ttl',
  );
  check(
    routing === 'simple' || routing === 'weighted' || routing === 'failover',
    context,
    `Route 53 routing "${String(routing)}" is not supported; use simple, weighted or failover.`,
    'routing',
  );
  check(
    Array.isArray(targets) && targets.length > 0,
    context,
    'The desired record set needs at least one target.',
    'targets',
  );
  const ids = new Set<string>();
  for (const [index, target] of (targets as unknown[]).entries()) {
    const path = `targets[${index}]`;
    check(isObject(target), context, `${path} must be an object.`, path);
    check(
      typeof target.id === 'string' && target.id.length > 0 && target.id.length <= 128,
      context,
      `${path}.id must be a string of 1 to 128 characters.`,
      `${path}.id`,
    );
    check(
      !ids.has(target.id as string),
      context,
      `Target id "${String(target.id)}" appears twice.`,
      `${path}.id`,
    );
    ids.add(target.id as string);
    check(
      Array.isArray(target.values) &&
        target.values.length > 0 &&
        target.values.every((value) => typeof value === 'string' && value.length > 0),
      context,
      `${path}.values must be a non-empty list of strings.`,
      `${path}.values`,
    );
    check(
      typeof target.enabled === 'boolean',
      context,
      `${path}.enabled must be a boolean.`,
      `${path}.enabled`,
    );
    check(
      target.healthCheckId === undefined || typeof target.healthCheckId === 'string',
      context,
      `${path}.healthCheckId must be a string.`,
      `${path}.healthCheckId`,
    );
    check(
      target.enabled || target.healthCheckId !== undefined,
      context,
      `Target "${target.id}" can only be taken out of rotation through a health check, and it has none.`,
      `${path}.enabled`,
    );
    if (routing === 'weighted') {
      check(
        Number.isInteger(target.weight) && (target.weight as number) >= 0 && (target.weight as number) <= 255,
        context,
        `${path}.weight must be an integer from 0 to 255.`,
        `${path}.weight`,
      );
    }
    if (routing === 'failover') {
      check(
        target.priority === 1 || target.priority === 2,
        context,
        `${path}.priority must be 1 (PRIMARY) or 2 (SECONDARY).`,
        `${path}.priority`,
      );
    }
  }
  const list = targets as DnsTarget[];
  if (routing === 'simple')
    check(list.length === 1, context, 'A simple record set has exactly one target.', 'targets');
  if (routing === 'failover') {
    check(
      list.length <= 2 && new Set(list.map((target) => target.priority)).size === list.length,
      context,
      'A failover record set has at most one PRIMARY (priority 1) and one SECONDARY (priority 2).',
      'targets',
    );
  }
  const checkStates = new Map<string, boolean>();
  for (const target of list) {
    if (target.healthCheckId === undefined) continue;
    const seen = checkStates.get(target.healthCheckId);
    check(
      seen === undefined || seen === target.enabled,
      context,
      `Health check ${target.healthCheckId} is shared by targets that should be both in and out of rotation.`,
      'targets',
    );
    checkStates.set(target.healthCheckId, target.enabled);
  }
}

/** The Route 53 record set a desired target becomes, keeping an existing alias an alias. */
function toRecord(
  name: string,
  type: string,
  routing: DnsRouting,
  ttl: number,
  target: DnsTarget,
  existing: ResourceRecordSet | undefined,
  context: AwsErrorContext,
): ResourceRecordSet {
  const record: ResourceRecordSet = { Name: name, Type: type as ResourceRecordSet['Type'] };
  if (routing !== 'simple') record.SetIdentifier = target.id;
  if (routing === 'weighted') record.Weight = target.weight;
  if (routing === 'failover') record.Failover = target.priority === 1 ? 'PRIMARY' : 'SECONDARY';
  if (existing?.AliasTarget) {
    check(
      target.values.length === 1,
      context,
      `Target "${target.id}" is an alias; it takes exactly one DNS name.`,
      'targets',
    );
    record.AliasTarget = {
      HostedZoneId: existing.AliasTarget.HostedZoneId,
      DNSName: normalizeDnsName(target.values[0]!),
      EvaluateTargetHealth: existing.AliasTarget.EvaluateTargetHealth ?? false,
    };
  } else {
    record.TTL = ttl;
    record.ResourceRecords = target.values.map((Value) => ({ Value }));
  }
  if (target.healthCheckId !== undefined) record.HealthCheckId = target.healthCheckId;
  return record;
}

const keyOf = (record: ResourceRecordSet) => record.SetIdentifier ?? '';

/** A canonical form, so records compare equal however Route 53 or the caller spelled them. */
function canonical(record: ResourceRecordSet): string {
  return JSON.stringify([
    normalizeDnsName(record.Name ?? ''),
    record.Type,
    record.SetIdentifier ?? null,
    record.Weight ?? null,
    record.Failover ?? null,
    record.TTL ?? null,
    (record.ResourceRecords ?? []).map((entry) => entry.Value).sort(),
    record.AliasTarget
      ? [
          record.AliasTarget.HostedZoneId,
          normalizeDnsName(record.AliasTarget.DNSName ?? ''),
          record.AliasTarget.EvaluateTargetHealth ?? false,
        ]
      : null,
    record.HealthCheckId ?? null,
  ]);
}

/**
 * The changes that turn `current` into `desired`: DELETE (with the exact
 * current values, as Route 53 requires) for targets that go, CREATE for new
 * ones, UPSERT for changed ones; nothing for targets that already match. One
 * batch, so Route 53 applies it atomically.
 */
export function planRecordChanges(
  name: string,
  type: string,
  current: ResourceRecordSet[],
  desired: DnsRecordSet,
  context: AwsErrorContext,
): Change[] {
  const existing = new Map(current.map((record) => [keyOf(record), record]));
  const wanted = desired.targets.map((target) =>
    toRecord(
      name,
      type,
      desired.routing,
      desired.ttl,
      target,
      existing.get(desired.routing === 'simple' ? '' : target.id),
      context,
    ),
  );
  const hasPlainRecords = wanted.some((record) => record.AliasTarget === undefined);
  const currentTtl = current.find((record) => record.TTL !== undefined)?.TTL ?? 0;
  check(
    hasPlainRecords || desired.ttl === currentTtl,
    context,
    'Alias record sets have no TTL of their own (Route 53 uses the target’s); leave ttl as observed.',
    'ttl',
  );
  const wantedKeys = new Set(wanted.map(keyOf));
  const deletes: Change[] = current
    .filter((record) => !wantedKeys.has(keyOf(record)))
    .map((record) => ({ Action: 'DELETE', ResourceRecordSet: record }));
  const writes: Change[] = [];
  for (const record of wanted) {
    const before = existing.get(keyOf(record));
    if (!before) writes.push({ Action: 'CREATE', ResourceRecordSet: record });
    else if (canonical(before) !== canonical(record))
      writes.push({ Action: 'UPSERT', ResourceRecordSet: record });
  }
  const changes = [...deletes, ...writes];
  check(
    fitsOneBatch(changes),
    context,
    'The change needs more than one Route 53 batch allows (1,000 records, 32,000 characters of values); it cannot be applied atomically.',
    'targets',
  );
  return changes;
}
