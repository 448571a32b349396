// The Acme DNS wire format, and its translation to and from core's DnsRecordSet.
import type { DnsRecordSet, DnsRouting, DnsTarget } from '@failover/core';

/** One answer of a record set, as Acme DNS spells a target. */
export interface AcmeAnswer {
  label: string;
  data: string[];
  weight?: number;
  priority?: number;
  active: boolean;
}

/** A change Acme DNS accepted: `pending` until it has reached every name server. */
export interface AcmeChange {
  id: string;
  status: 'pending' | 'done';
}

/** What Acme DNS has routing policies for. */
export const acmeRoutings = ['simple', 'weighted', 'failover'] as const satisfies readonly DnsRouting[];

/** A record set as `GET …/rrsets/:name/:type` returns it, with its latest change (null if none). */
export interface AcmeRRSet {
  name: string;
  type: string;
  ttl: number;
  policy: (typeof acmeRoutings)[number];
  answers: AcmeAnswer[];
  change: AcmeChange | null;
}

/** The body of `PUT …/rrsets/:name/:type`. */
export type AcmeRRSetInput = Pick<AcmeRRSet, 'ttl' | 'policy' | 'answers'>;

export function fromAcme(set: AcmeRRSet): DnsRecordSet {
  const targets = set.answers.map(
    ({ label, data, weight, priority, active }): DnsTarget => ({
      id: label,
      values: data,
      enabled: active,
      ...(weight !== undefined && { weight }),
      ...(priority !== undefined && { priority }),
    }),
  );
  return { name: set.name, type: set.type, ttl: set.ttl, routing: set.policy, targets };
}

/** The PUT body for `set`; call `acmeProblem(set)` first. */
export function toAcme(set: DnsRecordSet): AcmeRRSetInput {
  return {
    ttl: set.ttl,
    policy: set.routing as AcmeRRSetInput['policy'],
    answers: set.targets.map((target) => ({
      label: target.id,
      data: target.values,
      weight: target.weight,
      priority: target.priority,
      active: target.enabled,
    })),
  };
}

/** Why Acme DNS would reject `set` (a message and the field), or undefined when it would not. */
export function acmeProblem(set: DnsRecordSet): { message: string; path: string } | undefined {
  if (typeof set !== 'object' || set === null || !Array.isArray(set.targets))
    return { message: 'A record set needs a targets array.', path: 'targets' };
  if (!Number.isInteger(set.ttl) || set.ttl < 0)
    return { message: 'TTL must be a whole number of seconds, 0 or more.', path: 'ttl' };
  if (!(acmeRoutings as readonly string[]).includes(set.routing))
    return { message: `Acme DNS has no ${set.routing} routing.`, path: 'routing' };
  if (new Set(set.targets.map((target) => target.id)).size !== set.targets.length)
    return { message: 'Target ids must be unique.', path: 'targets' };
  const extra = set.targets.find(
    (target) => target.healthCheckId !== undefined || target.location !== undefined,
  );
  if (extra)
    return { message: `Acme DNS has no health checks or locations (target ${extra.id}).`, path: 'targets' };
  return undefined;
}
