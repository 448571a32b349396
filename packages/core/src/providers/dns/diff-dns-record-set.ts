import type { DnsRecordSet, DnsTarget } from './dns-record-set.js';

/** One difference between two record sets, for dry-run output and for providers deciding what to send. */
export interface DnsDifference {
  /** `ttl`, `targets.<id>.weight`, `targets.<id>` (added or removed)... */
  path: string;
  from: unknown;
  to: unknown;
}

const comparedFields = ['values', 'weight', 'priority', 'enabled', 'healthCheckId', 'location'] as const;

/**
 * What would change to turn `current` into `desired`. Observed-only fields
 * (`health`) are ignored. Empty means the record set already matches.
 */
export function diffDnsRecordSet(current: DnsRecordSet | null, desired: DnsRecordSet): DnsDifference[] {
  if (current === null) return [{ path: '', from: null, to: desired }];
  const differences: DnsDifference[] = [];
  if (current.ttl !== desired.ttl) differences.push({ path: 'ttl', from: current.ttl, to: desired.ttl });
  if (current.routing !== desired.routing)
    differences.push({ path: 'routing', from: current.routing, to: desired.routing });

  const currentById = new Map(current.targets.map((target) => [target.id, target]));
  const desiredById = new Map(desired.targets.map((target) => [target.id, target]));
  for (const [id, want] of desiredById) {
    const have = currentById.get(id);
    if (!have) {
      differences.push({ path: `targets.${id}`, from: null, to: want });
      continue;
    }
    for (const field of comparedFields) {
      if (!sameValue(have[field], want[field], field)) {
        differences.push({ path: `targets.${id}.${field}`, from: have[field], to: want[field] });
      }
    }
  }
  for (const [id, have] of currentById) {
    if (!desiredById.has(id)) differences.push({ path: `targets.${id}`, from: have, to: null });
  }
  return differences;
}

function sameValue(a: DnsTarget[keyof DnsTarget], b: DnsTarget[keyof DnsTarget], field: string): boolean {
  if (field === 'values') {
    const left = [...((a as string[] | undefined) ?? [])].sort();
    const right = [...((b as string[] | undefined) ?? [])].sort();
    return left.length === right.length && left.every((value, index) => value === right[index]);
  }
  return a === b;
}
