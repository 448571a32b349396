import type { CloudDnsRoutingPolicySeed } from './gcp-seed.js';

/** A resource record set as stored and sent on the wire. */
export interface WireRecordSet {
  kind: 'dns#resourceRecordSet';
  name: string;
  type: string;
  ttl: number;
  rrdatas?: string[];
  routingPolicy?: CloudDnsRoutingPolicySeed;
}

const recordTypes = new Set([
  'A',
  'AAAA',
  'CAA',
  'CNAME',
  'DNSKEY',
  'DS',
  'HTTPS',
  'IPSECKEY',
  'MX',
  'NAPTR',
  'NS',
  'PTR',
  'SOA',
  'SPF',
  'SRV',
  'SSHFP',
  'SVCB',
  'TLSA',
  'TXT',
]);

export const recordKey = (name: string, type: string): string => `${name.toLowerCase()}|${type}`;

/** `api.example.com. (A)`, the way Cloud DNS names a record set in messages. */
export const describeRecord = (name: unknown, type: unknown): string => `${String(name)} (${String(type)})`;

/**
 * Checks a record set a client sent (an addition, a create, a patch body) and
 * returns it normalised, or a message saying what Cloud DNS would reject.
 */
export function parseRecordSet(value: unknown, zoneDnsName: string, where: string): WireRecordSet | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return `Invalid value for '${where}': a resource record set object is required.`;
  const raw = value as Record<string, unknown>;
  const { name, type, ttl, rrdatas, routingPolicy } = raw;
  if (typeof name !== 'string' || name === '')
    return `The '${where}.name' parameter is required but was missing.`;
  if (!name.endsWith('.'))
    return `Invalid value for '${where}.name': '${name}' must be a fully qualified name ending in '.'.`;
  const lower = name.toLowerCase();
  const zone = zoneDnsName.toLowerCase();
  if (lower !== zone && !lower.endsWith(`.${zone}`))
    return `The resource '${where}' named '${describeRecord(name, type)}' is not within the zone '${zoneDnsName}'.`;
  if (typeof type !== 'string' || !recordTypes.has(type))
    return `Invalid value for '${where}.type': '${String(type)}'.`;
  if (!Number.isInteger(ttl) || (ttl as number) < 0 || (ttl as number) > 2_147_483_647)
    return `Invalid value for '${where}.ttl': '${String(ttl)}'.`;
  const hasData = rrdatas !== undefined && !(Array.isArray(rrdatas) && rrdatas.length === 0);
  if (hasData === (routingPolicy !== undefined))
    return `The resource '${where}' must have exactly one of 'rrdatas' or 'routingPolicy'.`;
  const record: WireRecordSet = { kind: 'dns#resourceRecordSet', name, type, ttl: ttl as number };
  if (hasData) {
    const problem = checkRrdatas(rrdatas, type, `${where}.rrdatas`);
    if (problem) return problem;
    record.rrdatas = [...(rrdatas as string[])];
    if (type === 'CNAME' && record.rrdatas.length > 1)
      return `Invalid value for '${where}.rrdatas': a CNAME record set has exactly one value.`;
  } else {
    const policy = parseRoutingPolicy(routingPolicy, type, `${where}.routingPolicy`);
    if (typeof policy === 'string') return policy;
    record.routingPolicy = policy;
  }
  return record;
}

function checkRrdatas(value: unknown, type: string, where: string): string | undefined {
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    !value.every((item) => typeof item === 'string' && item !== '')
  )
    return `Invalid value for '${where}': a non-empty list of strings is required.`;
  for (const item of value as string[]) {
    if (type === 'A' && !isIPv4(item))
      return `Invalid value for '${where}': '${item}' is not an IPv4 address.`;
    if (type === 'AAAA' && !item.includes(':'))
      return `Invalid value for '${where}': '${item}' is not an IPv6 address.`;
  }
  return undefined;
}

function isIPv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255);
}

type Item = {
  rrdatas?: string[];
  healthCheckedTargets?: NonNullable<CloudDnsRoutingPolicySeed['primaryBackup']>['primaryTargets'];
};

function parseRoutingPolicy(value: unknown, type: string, where: string): CloudDnsRoutingPolicySeed | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return `Invalid value for '${where}': an object is required.`;
  const raw = value as Record<string, unknown>;
  const kinds = (['wrr', 'geo', 'primaryBackup'] as const).filter((kind) => raw[kind] !== undefined);
  if (kinds.length !== 1)
    return `Invalid value for '${where}': exactly one of wrr, geo or primaryBackup is required.`;
  const policy: CloudDnsRoutingPolicySeed = {};
  if (raw.healthCheck !== undefined) {
    if (typeof raw.healthCheck !== 'string' || raw.healthCheck === '')
      return `Invalid value for '${where}.healthCheck'.`;
    policy.healthCheck = raw.healthCheck;
  }
  let usesExternal = false;
  const parseItem = (
    item: unknown,
    itemWhere: string,
    extra: 'weight' | 'location',
  ): (Item & Record<string, unknown>) | string => {
    if (typeof item !== 'object' || item === null) return `Invalid value for '${itemWhere}'.`;
    const fields = item as Record<string, unknown>;
    const parsed: Item & Record<string, unknown> = {};
    if (extra === 'weight') {
      if (typeof fields.weight !== 'number' || !(fields.weight >= 0) || !Number.isFinite(fields.weight))
        return `Invalid value for '${itemWhere}.weight': the weight must be a non-negative number.`;
      parsed.weight = fields.weight;
    } else {
      if (typeof fields.location !== 'string' || fields.location === '')
        return `The '${itemWhere}.location' parameter is required but was missing.`;
      parsed.location = fields.location;
    }
    const targets = parseTargets(fields.healthCheckedTargets, `${itemWhere}.healthCheckedTargets`);
    if (typeof targets === 'string') return targets;
    const hasData = fields.rrdatas !== undefined;
    if (hasData === (targets !== undefined))
      return `The '${itemWhere}' item must have exactly one of 'rrdatas' or 'healthCheckedTargets'.`;
    if (hasData) {
      const problem = checkRrdatas(fields.rrdatas, type, `${itemWhere}.rrdatas`);
      if (problem) return problem;
      parsed.rrdatas = [...(fields.rrdatas as string[])];
    } else {
      parsed.healthCheckedTargets = targets;
      if (targets?.externalEndpoints) usesExternal = true;
    }
    return parsed;
  };
  const parseItems = (items: unknown, itemsWhere: string, extra: 'weight' | 'location') => {
    if (!Array.isArray(items) || items.length === 0)
      return `Invalid value for '${itemsWhere}': at least one item is required.`;
    const parsed = [];
    for (const [index, item] of items.entries()) {
      const one = parseItem(item, `${itemsWhere}[${index}]`, extra);
      if (typeof one === 'string') return one;
      parsed.push(one);
    }
    return parsed;
  };

  if (raw.wrr !== undefined) {
    const items = parseItems((raw.wrr as { items?: unknown } | null)?.items, `${where}.wrr.items`, 'weight');
    if (typeof items === 'string') return items;
    policy.wrr = { items: items as NonNullable<CloudDnsRoutingPolicySeed['wrr']>['items'] };
  } else if (raw.geo !== undefined) {
    const geo = raw.geo as { items?: unknown; enableFencing?: unknown } | null;
    const items = parseItems(geo?.items, `${where}.geo.items`, 'location');
    if (typeof items === 'string') return items;
    policy.geo = {
      items: items as NonNullable<CloudDnsRoutingPolicySeed['geo']>['items'],
      ...(typeof geo?.enableFencing === 'boolean' && { enableFencing: geo.enableFencing }),
    };
  } else {
    const pb = raw.primaryBackup as Record<string, unknown> | null;
    if (typeof pb !== 'object' || pb === null) return `Invalid value for '${where}.primaryBackup'.`;
    const primary = parseTargets(pb.primaryTargets, `${where}.primaryBackup.primaryTargets`);
    if (typeof primary === 'string') return primary;
    if (!primary) return `The '${where}.primaryBackup.primaryTargets' parameter is required but was missing.`;
    if (primary.externalEndpoints) usesExternal = true;
    const backup = pb.backupGeoTargets as { items?: unknown; enableFencing?: unknown } | null;
    const items = parseItems(backup?.items, `${where}.primaryBackup.backupGeoTargets.items`, 'location');
    if (typeof items === 'string') return items;
    const trickle = pb.trickleTraffic;
    if (trickle !== undefined && (typeof trickle !== 'number' || !(trickle >= 0 && trickle <= 1)))
      return `Invalid value for '${where}.primaryBackup.trickleTraffic': it must be between 0 and 1.`;
    policy.primaryBackup = {
      primaryTargets: primary,
      backupGeoTargets: {
        items: items as NonNullable<CloudDnsRoutingPolicySeed['geo']>['items'],
        ...(typeof backup?.enableFencing === 'boolean' && { enableFencing: backup.enableFencing }),
      },
      ...(trickle !== undefined && { trickleTraffic: trickle as number }),
    };
  }
  if (usesExternal && policy.healthCheck === undefined)
    return `Invalid value for '${where}.healthCheck': health-checked external endpoints need a health check.`;
  return policy;
}

function parseTargets(value: unknown, where: string): Item['healthCheckedTargets'] | string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) return `Invalid value for '${where}'.`;
  const raw = value as Record<string, unknown>;
  const targets: NonNullable<Item['healthCheckedTargets']> = {};
  if (raw.externalEndpoints !== undefined) {
    const endpoints = raw.externalEndpoints;
    if (
      !Array.isArray(endpoints) ||
      endpoints.length === 0 ||
      !endpoints.every((ip) => typeof ip === 'string' && ip !== '')
    )
      return `Invalid value for '${where}.externalEndpoints'.`;
    targets.externalEndpoints = [...endpoints];
  }
  if (raw.internalLoadBalancers !== undefined) {
    const lbs = raw.internalLoadBalancers;
    if (!Array.isArray(lbs) || lbs.length === 0) return `Invalid value for '${where}.internalLoadBalancers'.`;
    const parsed = [];
    for (const [index, lb] of lbs.entries()) {
      const fields = lb as Record<string, unknown> | null;
      if (
        typeof fields !== 'object' ||
        fields === null ||
        typeof fields.ipAddress !== 'string' ||
        fields.ipAddress === ''
      )
        return `The '${where}.internalLoadBalancers[${index}].ipAddress' parameter is required but was missing.`;
      parsed.push({ ...(fields as { ipAddress: string }) });
    }
    targets.internalLoadBalancers = parsed;
  }
  if (!targets.externalEndpoints && !targets.internalLoadBalancers)
    return `Invalid value for '${where}': name external endpoints or internal load balancers.`;
  return targets;
}

/**
 * Whether a deletion describes the live set exactly (name, type, ttl, data or
 * policy). rrdatas compare as a set; everything else by value, `kind` ignored.
 */
export function sameRecordSet(live: WireRecordSet, deletion: Record<string, unknown>): boolean {
  if (deletion.ttl !== live.ttl) return false;
  if (live.rrdatas) {
    const given = deletion.rrdatas;
    if (!Array.isArray(given) || given.length !== live.rrdatas.length) return false;
    const want = [...live.rrdatas].sort();
    return [...given].sort().every((value, index) => value === want[index]);
  }
  if (Array.isArray(deletion.rrdatas) && deletion.rrdatas.length > 0) return false;
  return canonical(deletion.routingPolicy) === canonical(live.routingPolicy);
}

/** JSON with sorted keys and without `kind`, so equal policies compare equal however they were written. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner) => {
    if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) return inner;
    return Object.fromEntries(
      Object.entries(inner as Record<string, unknown>)
        .filter(([key]) => key !== 'kind')
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    );
  });
}
