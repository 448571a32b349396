import type { DnsRecordSet, DnsRouting, DnsTarget } from '@failover/core';
import type {
  CloudDnsGeoItem,
  CloudDnsHealthCheckedTargets,
  CloudDnsRecordSet,
  CloudDnsRoutingPolicy,
} from './cloud-dns-client.js';

// How Cloud DNS record sets read as DnsRecordSets, and back:
// - plain `rrdatas`           -> `simple`, one target `default`
// - `routingPolicy.wrr`       -> `weighted`, targets `wrr-0`, `wrr-1`... (item order) with their weights
// - `routingPolicy.geo`       -> `geo`, one target per item, id = its location
// - `routingPolicy.primaryBackup` -> `failover`: target `primary` and one `backup-<location>` per
//   backup geo item. Cloud DNS fails over on health checks by itself; to move traffic by hand the
//   provider sets `trickleTraffic` to 1 (every answer from the backups) and back to 0. So the
//   backups are priority 1 when trickleTraffic is 1, else the primary is.
// Health-checked targets read as their IPs (external endpoints, internal load balancer addresses),
// with the policy's `healthCheck` as `healthCheckId` for external endpoints. Cloud DNS does not
// report target health, so `health` is `unknown`; and it has no disabled items, so `enabled` is true.

export const simpleTargetId = 'default';
export const primaryTargetId = 'primary';
export const backupTargetId = (location: string): string => `backup-${location}`;
const wrrTargetId = (index: number) => `wrr-${index}`;

/** The record set as the provider interface describes it. */
export function toDnsRecordSet(wire: CloudDnsRecordSet): DnsRecordSet {
  const base = { name: wire.name, type: wire.type, ttl: wire.ttl ?? 0 };
  const policy = wire.routingPolicy;
  if (!policy) {
    return {
      ...base,
      routing: 'simple',
      targets: [{ id: simpleTargetId, values: [...(wire.rrdatas ?? [])], enabled: true, health: 'unknown' }],
    };
  }
  const check = policy.healthCheck;
  const target = (id: string, item: CloudDnsGeoItem, extra: Partial<DnsTarget> = {}): DnsTarget => ({
    id,
    values: itemValues(item),
    enabled: true,
    health: 'unknown',
    ...(check !== undefined && item.healthCheckedTargets?.externalEndpoints && { healthCheckId: check }),
    ...extra,
  });
  if (policy.wrr) {
    return {
      ...base,
      routing: 'weighted',
      targets: (policy.wrr.items ?? []).map((item, index) =>
        target(wrrTargetId(index), item, { weight: item.weight ?? 0 }),
      ),
    };
  }
  if (policy.geo) {
    return {
      ...base,
      routing: 'geo',
      targets: (policy.geo.items ?? []).map((item) =>
        target(item.location ?? '', item, { location: item.location ?? '' }),
      ),
    };
  }
  const pb = policy.primaryBackup ?? {};
  const onBackup = (pb.trickleTraffic ?? 0) >= 1;
  return {
    ...base,
    routing: 'failover',
    targets: [
      target(
        primaryTargetId,
        { healthCheckedTargets: pb.primaryTargets ?? {} },
        { priority: onBackup ? 2 : 1 },
      ),
      ...(pb.backupGeoTargets?.items ?? []).map((item) =>
        target(backupTargetId(item.location ?? ''), item, {
          priority: onBackup ? 1 : 2,
          location: item.location ?? '',
        }),
      ),
    ],
  };
}

/** The routing kinds this mapping reads and writes. */
export const cloudDnsRoutings: readonly DnsRouting[] = ['simple', 'weighted', 'geo', 'failover'];

/**
 * What is wrong with a desired record set before anything is sent, or
 * undefined. Only checks that need no live state.
 */
export function desiredProblem(desired: DnsRecordSet): { message: string; path: string } | undefined {
  if (typeof desired !== 'object' || desired === null)
    return { message: 'The desired record set is missing.', path: '' };
  if (!Number.isInteger(desired.ttl) || desired.ttl < 0 || desired.ttl > 2_147_483_647)
    return {
      message: `TTL must be a non-negative integer number of seconds (got ${String(desired.ttl)}).`,
      path: 'ttl',
    };
  if (!cloudDnsRoutings.includes(desired.routing))
    return {
      message: `Cloud DNS has no routing "${String(desired.routing)}" (simple, weighted, geo, failover).`,
      path: 'routing',
    };
  if (!Array.isArray(desired.targets) || desired.targets.length === 0)
    return { message: 'A record set needs at least one target.', path: 'targets' };
  const ids = new Set<string>();
  for (const [index, target] of desired.targets.entries()) {
    const path = `targets[${index}]`;
    if (typeof target !== 'object' || target === null || typeof target.id !== 'string' || target.id === '')
      return { message: 'Every target needs an id.', path };
    if (ids.has(target.id)) return { message: `Target id "${target.id}" appears twice.`, path: `${path}.id` };
    ids.add(target.id);
    if (
      !Array.isArray(target.values) ||
      target.values.length === 0 ||
      !target.values.every((v) => typeof v === 'string' && v !== '')
    )
      return { message: `Target "${target.id}" needs at least one value.`, path: `${path}.values` };
    if (target.enabled === false)
      return {
        message: `Cloud DNS cannot take target "${target.id}" out of rotation (it has no disabled items); change its weight or values instead.`,
        path: `${path}.enabled`,
      };
  }
  if (desired.routing === 'simple' && desired.targets.length !== 1)
    return { message: 'A simple record set has exactly one target.', path: 'targets' };
  if (desired.routing === 'weighted') {
    const bad = desired.targets.findIndex(
      (t) => typeof t.weight !== 'number' || !(t.weight >= 0) || !Number.isFinite(t.weight),
    );
    if (bad >= 0)
      return { message: 'Every weighted target needs a weight >= 0.', path: `targets[${bad}].weight` };
  }
  if (desired.routing === 'geo') {
    const bad = desired.targets.findIndex((t) => (t.location ?? t.id) === '');
    if (bad >= 0) return { message: 'Every geo target needs a location.', path: `targets[${bad}].location` };
  }
  if (desired.routing === 'failover') return failoverProblem(desired.targets);
  return undefined;
}

function failoverProblem(targets: DnsTarget[]): { message: string; path: string } | undefined {
  const primary = targets.find((t) => t.id === primaryTargetId);
  if (!primary)
    return {
      message: `A Cloud DNS primary/backup record set needs a target with id "${primaryTargetId}".`,
      path: 'targets',
    };
  const backups = targets.filter((t) => t !== primary);
  if (backups.length === 0)
    return { message: 'A primary/backup record set needs at least one backup target.', path: 'targets' };
  for (const backup of backups) {
    const location = backup.location ?? backup.id.replace(/^backup-/, '');
    if (backup.id !== backupTargetId(location))
      return {
        message: `Backup targets are named "backup-<location>" (the backup geo item's location); got "${backup.id}".`,
        path: `targets.${backup.id}`,
      };
  }
  const priorities = new Set(backups.map((t) => t.priority ?? 2));
  if (priorities.size > 1)
    return {
      message:
        'Cloud DNS sends backup traffic to all backup locations together: give every backup target the same priority.',
      path: 'targets',
    };
  const [backupPriority] = [...priorities];
  if ((primary.priority ?? 1) === backupPriority)
    return { message: 'The primary and the backups need different priorities.', path: 'targets' };
  return undefined;
}

/**
 * The wire record set to add so the record set equals `desired`, keeping what
 * the interface cannot see (internal load balancer details, fencing, a trickle
 * ratio) from the live set. A message when it cannot be expressed.
 */
export function toWireRecordSet(
  desired: DnsRecordSet,
  live: CloudDnsRecordSet | null,
  name: string,
  type: string,
): CloudDnsRecordSet | string {
  const wire: CloudDnsRecordSet = { kind: 'dns#resourceRecordSet', name, type, ttl: desired.ttl };
  if (live && toDnsRecordSet(live).routing !== desired.routing)
    return `Changing the routing of ${name} from ${toDnsRecordSet(live).routing} to ${desired.routing} is not supported; change the record set's targets within its routing.`;
  if (desired.routing === 'simple') {
    wire.rrdatas = [...desired.targets[0]!.values];
    return wire;
  }
  const livePolicy = live?.routingPolicy ?? {};
  const checks = new Set(desired.targets.map((t) => t.healthCheckId).filter((id): id is string => !!id));
  if (checks.size > 1) return 'Cloud DNS has one health check per record set; the targets name several.';
  const healthCheck = [...checks][0] ?? livePolicy.healthCheck;
  const policy: CloudDnsRoutingPolicy = {};
  let problem: string | undefined;
  const item = (target: DnsTarget, liveItem: CloudDnsGeoItem | undefined): CloudDnsGeoItem => {
    const built = itemFor(target, liveItem);
    if (typeof built === 'string') {
      problem ??= built;
      return {};
    }
    return built;
  };

  if (desired.routing === 'weighted') {
    const liveItems = livePolicy.wrr?.items ?? [];
    policy.wrr = {
      items: desired.targets.map((target) => {
        const index = /^wrr-(\d+)$/.exec(target.id);
        const liveItem = index ? liveItems[Number(index[1])] : undefined;
        return { weight: target.weight ?? 0, ...item(target, liveItem) };
      }),
    };
  } else if (desired.routing === 'geo') {
    const liveItems = livePolicy.geo?.items ?? [];
    policy.geo = {
      items: desired.targets.map((target) => {
        const location = target.location ?? target.id;
        const liveItem = liveItems.find((candidate) => candidate.location === location);
        return { location, ...item(target, liveItem) };
      }),
      ...(livePolicy.geo?.enableFencing !== undefined && { enableFencing: livePolicy.geo.enableFencing }),
    };
  } else {
    const livePb = livePolicy.primaryBackup ?? {};
    const primary = desired.targets.find((t) => t.id === primaryTargetId)!;
    const backups = desired.targets.filter((t) => t !== primary);
    const onBackup = (primary.priority ?? 1) > (backups[0]!.priority ?? 2);
    const primaryItem = item(
      primary,
      livePb.primaryTargets ? { healthCheckedTargets: livePb.primaryTargets } : undefined,
    );
    if (!primaryItem.healthCheckedTargets && !problem) {
      // The primary is always a set of health-checked targets.
      primaryItem.healthCheckedTargets = { externalEndpoints: primaryItem.rrdatas ?? [] };
    }
    const liveTrickle = livePb.trickleTraffic ?? 0;
    const trickle = onBackup ? 1 : liveTrickle >= 1 ? 0 : liveTrickle;
    const liveBackups = livePb.backupGeoTargets?.items ?? [];
    policy.primaryBackup = {
      primaryTargets: primaryItem.healthCheckedTargets!,
      backupGeoTargets: {
        items: backups.map((target) => {
          const location = target.location ?? target.id.replace(/^backup-/, '');
          return {
            location,
            ...item(
              target,
              liveBackups.find((candidate) => candidate.location === location),
            ),
          };
        }),
        ...(livePb.backupGeoTargets?.enableFencing !== undefined && {
          enableFencing: livePb.backupGeoTargets.enableFencing,
        }),
      },
      ...(trickle > 0 && { trickleTraffic: trickle }),
    };
  }
  if (problem) return problem;
  if (usesExternalEndpoints(policy)) {
    if (!healthCheck)
      return 'Health-checked external endpoints need a Compute health check: set healthCheckId on the targets.';
    policy.healthCheck = healthCheck;
  }
  wire.routingPolicy = policy;
  return wire;
}

/** One item's answers, keeping the live item's form (plain data, endpoints, load balancers). */
function itemFor(target: DnsTarget, live: CloudDnsGeoItem | undefined): CloudDnsGeoItem | string {
  if (live && sameValues(itemValues(live), target.values)) {
    return live.rrdatas
      ? { rrdatas: [...live.rrdatas] }
      : { healthCheckedTargets: structuredClone(live.healthCheckedTargets ?? {}) };
  }
  if (live?.healthCheckedTargets?.internalLoadBalancers)
    return `Target "${target.id}" is an internal load balancer: its address cannot be changed through values; edit the load balancer target itself.`;
  if (live?.rrdatas) return { rrdatas: [...target.values] };
  if (live?.healthCheckedTargets || target.healthCheckId)
    return { healthCheckedTargets: { externalEndpoints: [...target.values] } };
  return { rrdatas: [...target.values] };
}

function itemValues(item: {
  rrdatas?: string[];
  healthCheckedTargets?: CloudDnsHealthCheckedTargets;
}): string[] {
  if (item.rrdatas) return [...item.rrdatas];
  const targets = item.healthCheckedTargets ?? {};
  return [
    ...(targets.externalEndpoints ?? []),
    ...(targets.internalLoadBalancers ?? []).map((lb) => lb.ipAddress ?? '').filter((ip) => ip !== ''),
  ];
}

function usesExternalEndpoints(policy: CloudDnsRoutingPolicy): boolean {
  const items: CloudDnsGeoItem[] = [
    ...(policy.wrr?.items ?? []),
    ...(policy.geo?.items ?? []),
    ...(policy.primaryBackup?.backupGeoTargets?.items ?? []),
    ...(policy.primaryBackup?.primaryTargets
      ? [{ healthCheckedTargets: policy.primaryBackup.primaryTargets }]
      : []),
  ];
  return items.some((item) => (item.healthCheckedTargets?.externalEndpoints?.length ?? 0) > 0);
}

const sameValues = (a: string[], b: string[]) => {
  const left = [...a].sort();
  const right = [...b].sort();
  return left.length === right.length && left.every((value, index) => value === right[index]);
};
