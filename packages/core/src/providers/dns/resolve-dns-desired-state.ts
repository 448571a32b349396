import { err, ok, type Result } from 'neverthrow';
import { FailoverError } from '../../errors/failover-error.js';
import type { DnsDesiredState } from './dns-desired-state.js';
import type { DnsRecordRef, DnsRecordSet, DnsTarget } from './dns-record-set.js';

const invalid = (message: string, path: string) =>
  new FailoverError({
    kind: 'invalid-input',
    message,
    provider: 'core',
    operation: 'resolveDnsDesiredState',
    path,
  });

/**
 * The full record set a desired state asks for, computed from what is there now.
 * Pure: the same inputs always give the same record set, so dry-run and run agree.
 * `current` is null when the record set does not exist yet; a created record set
 * takes its name from `ref`.
 */
export function resolveDnsDesiredState(
  current: DnsRecordSet | null,
  desired: DnsDesiredState,
  ref?: DnsRecordRef,
): Result<DnsRecordSet, FailoverError> {
  const base = current ?? fromCreate(desired, ref);
  if (!base)
    return err(
      invalid(
        'The record set does not exist and the desired state has no createIfMissing.',
        'createIfMissing',
      ),
    );

  let targets = base.targets.map((target) => ({ ...target, values: [...target.values] }));
  const known = new Set(targets.map((target) => target.id));

  for (const [id, patch] of Object.entries(desired.targets ?? {})) {
    if (!known.has(id)) return err(invalid(`No target "${id}" in record set ${base.name}.`, `targets.${id}`));
    targets = targets.map((target) => (target.id === id ? { ...target, ...definedOnly(patch) } : target));
  }

  if (desired.activeTarget !== undefined) {
    const id = desired.activeTarget;
    if (!known.has(id)) return err(invalid(`No target "${id}" in record set ${base.name}.`, 'activeTarget'));
    const activated = activate(base.routing, targets, id);
    if (!activated) {
      return err(invalid(`Routing "${base.routing}" has no active target to switch.`, 'activeTarget'));
    }
    targets = activated;
  }

  if (desired.ttl !== undefined && (!Number.isInteger(desired.ttl) || desired.ttl < 0)) {
    return err(invalid('TTL must be a non-negative integer number of seconds.', 'ttl'));
  }

  return ok({ ...base, ttl: desired.ttl ?? base.ttl, targets });
}

function fromCreate(desired: DnsDesiredState, ref: DnsRecordRef | undefined): DnsRecordSet | undefined {
  const create = desired.createIfMissing;
  if (!create) return undefined;
  return {
    name: ref?.name ?? '',
    type: create.type,
    ttl: create.ttl,
    routing: create.routing,
    targets: create.targets,
  };
}

/** Gives all traffic to one target, the way the routing kind expresses "active". */
function activate(
  routing: DnsRecordSet['routing'],
  targets: DnsTarget[],
  id: string,
): DnsTarget[] | undefined {
  switch (routing) {
    case 'failover':
      return targets.map((target) => ({
        ...target,
        priority: target.id === id ? 1 : 2,
        enabled: target.id === id ? true : target.enabled,
      }));
    case 'priority': {
      const others = targets
        .filter((target) => target.id !== id)
        .sort((a, b) => (a.priority ?? Number.MAX_SAFE_INTEGER) - (b.priority ?? Number.MAX_SAFE_INTEGER));
      const rank = new Map(
        [id, ...others.map((target) => target.id)].map((targetId, index) => [targetId, index + 1]),
      );
      return targets.map((target) => ({
        ...target,
        priority: rank.get(target.id)!,
        enabled: target.id === id ? true : target.enabled,
      }));
    }
    case 'weighted':
      return targets.map((target) => ({
        ...target,
        weight: target.id === id ? 100 : 0,
        enabled: target.id === id ? true : target.enabled,
      }));
    default:
      return undefined;
  }
}

function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<T>;
}
