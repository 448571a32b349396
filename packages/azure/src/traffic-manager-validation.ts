import { type DnsRecordSet, FailoverError } from '@failover/core';

const isIntIn = (value: unknown, min: number, max: number) =>
  Number.isInteger(value) && (value as number) >= min && (value as number) <= max;

/**
 * Rejects, before any request, a desired record set Traffic Manager cannot hold:
 * a bad TTL, duplicate target ids, weights or priorities outside 1-1000
 * (weight 0 does not exist: take an endpoint out with `enabled: false`),
 * health-check ids (the profile's monitor probes every endpoint).
 */
export function validateDesiredRecordSet(desired: DnsRecordSet, provider: string): void {
  const invalid = (message: string, path: string) =>
    new FailoverError({ kind: 'invalid-input', message, provider, operation: 'ensureRecordSet', path });
  if (typeof desired !== 'object' || desired === null)
    throw invalid('The desired record set must be an object.', '');
  if (!Array.isArray(desired.targets))
    throw invalid('The desired record set needs a targets array.', 'targets');
  if (!isIntIn(desired.ttl, 0, 2_147_483_647))
    throw invalid('TTL must be a non-negative integer number of seconds.', 'ttl');
  const ids = new Set<string>();
  for (const [index, target] of desired.targets.entries()) {
    const path = `targets[${index}]`;
    if (typeof target !== 'object' || target === null || typeof target.id !== 'string' || target.id === '') {
      throw invalid('Every target needs a non-empty string id (the endpoint name).', path);
    }
    if (ids.has(target.id)) throw invalid(`Target "${target.id}" appears twice.`, `${path}.id`);
    ids.add(target.id);
    if (typeof target.enabled !== 'boolean')
      throw invalid(`Target "${target.id}" needs enabled: true or false.`, `${path}.enabled`);
    if (
      !Array.isArray(target.values) ||
      target.values.length > 1 ||
      target.values.some((value) => typeof value !== 'string' || value === '')
    ) {
      throw invalid(
        `Target "${target.id}" takes at most one value (the endpoint's target FQDN).`,
        `${path}.values`,
      );
    }
    if (target.weight !== undefined && !isIntIn(target.weight, 1, 1000)) {
      throw invalid(
        `Target "${target.id}" has weight ${String(target.weight)}; Traffic Manager weights are 1 to 1000. To send it no traffic, set enabled: false.`,
        `${path}.weight`,
      );
    }
    if (target.priority !== undefined && !isIntIn(target.priority, 1, 1000)) {
      throw invalid(
        `Target "${target.id}" has priority ${String(target.priority)}; Traffic Manager priorities are 1 to 1000.`,
        `${path}.priority`,
      );
    }
    if (target.healthCheckId !== undefined) {
      throw invalid(
        'Traffic Manager endpoints have no health-check ids; the profile monitor probes them.',
        `${path}.healthCheckId`,
      );
    }
  }
}
