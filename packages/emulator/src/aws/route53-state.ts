import type {
  HealthCheckSeed,
  HealthCheckTimelineStep,
  HostedZoneSeed,
  RecordSetSeed,
  Route53Seed,
} from './aws-seed.js';

/** A resource record set as Route 53 stores it: names lower-case with a trailing dot. */
export interface RecordSet {
  name: string;
  type: string;
  ttl?: number;
  values?: string[];
  setIdentifier?: string;
  weight?: number;
  failover?: 'PRIMARY' | 'SECONDARY';
  region?: string;
  healthCheckId?: string;
  alias?: { hostedZoneId: string; dnsName: string; evaluateTargetHealth: boolean };
}

export interface HostedZone {
  id: string;
  name: string;
  privateZone: boolean;
  comment?: string;
  callerReference: string;
  nameServers: string[];
  records: Map<string, RecordSet>;
}

export interface Change {
  id: string;
  zoneId: string;
  submittedAt: number;
  /** When the change reaches every Route 53 name server; Infinity for a stuck change. */
  insyncAt: number;
  comment?: string;
}

export interface HealthCheck {
  id: string;
  callerReference: string;
  type: string;
  fqdn?: string;
  ipAddress?: string;
  port: number;
  resourcePath?: string;
  requestInterval: number;
  failureThreshold: number;
  /** Whether the endpoint answers the checkers (before the timeline's first step). */
  endpointHealthy: boolean;
  /** What the checkers see over emulator time, from the seed. */
  timeline?: HealthCheckTimelineStep[];
  /** The AWS region of the checked endpoint: dark, it times out. */
  targetRegion?: string;
  /** `RECOVERY_CONTROL` checks: the routing control whose state is the check's health. */
  routingControlArn?: string;
  disabled: boolean;
  inverted: boolean;
  version: number;
}

export interface ChangeInput {
  action: 'CREATE' | 'DELETE' | 'UPSERT';
  record: RecordSet;
}

/** A Route 53 error: HTTP status, error code and message. */
export interface Route53Failure {
  status: number;
  code: string;
  message: string;
}

export const recordTypes = new Set([
  'A',
  'AAAA',
  'CAA',
  'CNAME',
  'DS',
  'HTTPS',
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

/** Lower-case with a trailing dot, `*` as Route 53 escapes it. */
export function normalizeName(name: string): string {
  const trimmed = name.trim().toLowerCase().replace(/\*/g, '\\052');
  return trimmed.endsWith('.') ? trimmed : `${trimmed}.`;
}

/** Route 53 orders names with their labels reversed: `www.example.com.` sorts as `com.example.www.`. */
export function sortableName(name: string): string {
  const labels = name.replace(/\.$/, '').split('.');
  return `${labels.reverse().join('.')}.`;
}

export const recordKey = (name: string, type: string, setIdentifier?: string): string =>
  `${name}|${type}|${setIdentifier ?? ''}`;

export function compareRecords(a: RecordSet, b: RecordSet): number {
  return (
    compareStrings(sortableName(a.name), sortableName(b.name)) ||
    compareStrings(a.type, b.type) ||
    compareStrings(a.setIdentifier ?? '', b.setIdentifier ?? '')
  );
}

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function describeRecord(record: RecordSet): string {
  const id = record.setIdentifier === undefined ? '' : `, set-identifier='${record.setIdentifier}'`;
  return `[name='${record.name}', type='${record.type}'${id}]`;
}

function sameRecord(a: RecordSet, b: RecordSet): boolean {
  const values = (record: RecordSet) => [...(record.values ?? [])].sort().join('\n');
  return (
    a.ttl === b.ttl &&
    values(a) === values(b) &&
    a.weight === b.weight &&
    a.failover === b.failover &&
    a.region === b.region &&
    a.healthCheckId === b.healthCheckId &&
    a.alias?.hostedZoneId === b.alias?.hostedZoneId &&
    normalizeAliasName(a.alias?.dnsName) === normalizeAliasName(b.alias?.dnsName) &&
    (a.alias?.evaluateTargetHealth ?? false) === (b.alias?.evaluateTargetHealth ?? false)
  );
}

const normalizeAliasName = (name: string | undefined) =>
  name === undefined ? undefined : normalizeName(name);

const ipv4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** The Route 53 world: hosted zones, their record sets, submitted changes and health checks. */
export class Route53State {
  readonly zones = new Map<string, HostedZone>();
  readonly changes = new Map<string, Change>();
  readonly healthChecks = new Map<string, HealthCheck>();

  constructor(
    private readonly random: () => number,
    seed: Route53Seed = {},
  ) {
    for (const check of seed.healthChecks ?? []) this.addHealthCheck(check);
    for (const zone of seed.hostedZones ?? []) this.addZone(zone);
  }

  private token(prefix: string, length: number): string {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
    let out = prefix;
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.random() * alphabet.length)];
    return out;
  }

  newChangeId(): string {
    return this.token('C', 13);
  }

  private addHealthCheck(seed: HealthCheckSeed): void {
    this.healthChecks.set(seed.id, {
      id: seed.id,
      callerReference: `seed-${seed.id}`,
      type: seed.type ?? 'HTTPS',
      fqdn: seed.fqdn,
      ipAddress: seed.ipAddress,
      port: seed.port ?? (seed.type === 'HTTP' || seed.type === 'HTTP_STR_MATCH' ? 80 : 443),
      resourcePath:
        seed.resourcePath ??
        (seed.type === 'TCP' || seed.type === 'RECOVERY_CONTROL' ? undefined : '/health'),
      requestInterval: seed.requestInterval ?? 30,
      failureThreshold: seed.failureThreshold ?? 3,
      endpointHealthy: seed.healthy ?? true,
      ...(seed.timeline && { timeline: [...seed.timeline] }),
      ...(seed.targetRegion !== undefined && { targetRegion: seed.targetRegion }),
      ...(seed.routingControlArn !== undefined && { routingControlArn: seed.routingControlArn }),
      disabled: seed.disabled ?? false,
      inverted: seed.inverted ?? false,
      version: 1,
    });
  }

  private addZone(seed: HostedZoneSeed): void {
    const name = normalizeName(seed.name);
    const id = seed.id ?? this.token('Z', 13);
    const nameServers = [
      `ns-${100 + Math.floor(this.random() * 900)}.awsdns-${10 + Math.floor(this.random() * 50)}.com.`,
      `ns-${100 + Math.floor(this.random() * 900)}.awsdns-${10 + Math.floor(this.random() * 50)}.net.`,
      `ns-${1000 + Math.floor(this.random() * 900)}.awsdns-${10 + Math.floor(this.random() * 50)}.org.`,
      `ns-${1000 + Math.floor(this.random() * 900)}.awsdns-${10 + Math.floor(this.random() * 50)}.co.uk.`,
    ];
    const zone: HostedZone = {
      id,
      name,
      privateZone: seed.privateZone ?? false,
      comment: seed.comment,
      callerReference: `seed-${id}`,
      nameServers,
      records: new Map(),
    };
    const apex: RecordSet[] = [
      { name, type: 'NS', ttl: 172800, values: nameServers },
      {
        name,
        type: 'SOA',
        ttl: 900,
        values: [`${nameServers[0]} awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400`],
      },
    ];
    for (const record of apex) zone.records.set(recordKey(record.name, record.type), record);
    for (const record of seed.recordSets ?? []) {
      const stored = fromSeed(record);
      zone.records.set(recordKey(stored.name, stored.type, stored.setIdentifier), stored);
    }
    this.zones.set(id, zone);
  }

  /** Records of a zone in Route 53's list order. */
  sortedRecords(zone: HostedZone): RecordSet[] {
    return [...zone.records.values()].sort(compareRecords);
  }

  /** Whether a change to this zone is still PENDING (Route 53 then answers PriorRequestNotComplete). */
  pendingChange(zoneId: string, now: number): Change | undefined {
    for (const change of this.changes.values()) {
      if (change.zoneId === zoneId && now < change.insyncAt) return change;
    }
    return undefined;
  }

  /**
   * Validates a change batch like Route 53 and applies it atomically: every
   * change is checked in order against the zone as the earlier changes left it,
   * then the end state is checked (conflicting routing, failover pairs, CNAME
   * exclusivity, apex records). Any problem rejects the whole batch.
   */
  applyChanges(zone: HostedZone, changes: ChangeInput[]): Route53Failure | undefined {
    const invalidInput = this.validateShapes(zone, changes);
    if (invalidInput) return invalidInput;

    const records = new Map(zone.records);
    const messages: string[] = [];
    const touched = new Set<string>();
    const seen = new Map<string, ChangeInput['action']>();

    for (const { action, record } of changes) {
      const key = recordKey(record.name, record.type, record.setIdentifier);
      const previous = seen.get(key);
      // DELETE then CREATE of the same set is how a set is replaced; anything else twice is invalid.
      if (previous !== undefined && !(previous === 'DELETE' && action !== 'DELETE')) {
        messages.push(
          `The request contains an invalid set of changes for a resource record set '${record.type} ${record.name}'`,
        );
        continue;
      }
      seen.set(key, action);
      touched.add(record.name);
      const existing = records.get(key);
      if (action === 'CREATE') {
        if (existing)
          messages.push(
            `Tried to create resource record set ${describeRecord(record)} but it already exists`,
          );
        else records.set(key, record);
      } else if (action === 'DELETE') {
        if (!existing)
          messages.push(`Tried to delete resource record set ${describeRecord(record)} but it was not found`);
        else if (!sameRecord(existing, record)) {
          messages.push(
            `Tried to delete resource record set ${describeRecord(record)} but the values provided do not match the current values`,
          );
        } else records.delete(key);
      } else {
        records.set(key, record);
      }
    }
    if (messages.length === 0) messages.push(...this.checkEndState(zone, records, touched));
    if (messages.length > 0) {
      return { status: 400, code: 'InvalidChangeBatch', message: `[${messages.join(', ')}]` };
    }
    zone.records = records;
    return undefined;
  }

  private validateShapes(zone: HostedZone, changes: ChangeInput[]): Route53Failure | undefined {
    if (changes.length === 0) {
      return {
        status: 400,
        code: 'InvalidInput',
        message: 'Invalid request: the change batch has no changes.',
      };
    }
    let recordCount = 0;
    for (const { action, record } of changes) {
      const where = `Change with [Action=${action}, Name=${record.name}, Type=${record.type}, SetIdentifier=${record.setIdentifier ?? 'null'}]`;
      const invalid = (message: string): Route53Failure => ({ status: 400, code: 'InvalidInput', message });
      if (!recordTypes.has(record.type)) {
        return invalid(`Invalid XML ; value '${record.type}' is not a valid record type in ${where}`);
      }
      if (record.name.length > 255) return invalid(`Invalid request: DNS name is too long in ${where}`);
      const hasRecords = record.ttl !== undefined || record.values !== undefined;
      if (
        (record.alias !== undefined) === hasRecords ||
        (hasRecords && (record.ttl === undefined || !record.values))
      ) {
        return invalid(
          `Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found ${record.alias && hasRecords ? 'more than one' : 'none'} in ${where}`,
        );
      }
      const routing = [record.weight, record.failover, record.region].filter((value) => value !== undefined);
      if (record.setIdentifier !== undefined && routing.length !== 1) {
        return invalid(
          `Invalid request: Expected exactly one of [Weight, Region, Failover, GeoLocation, MultiValueAnswer, GeoProximityLocation, or CidrRoutingConfig], but found ${routing.length === 0 ? 'none' : 'more than one'} in ${where}`,
        );
      }
      if (record.setIdentifier === undefined && routing.length > 0) {
        return invalid(`Invalid request: Missing field 'SetIdentifier' in ${where}`);
      }
      if (
        record.weight !== undefined &&
        !(Number.isInteger(record.weight) && record.weight >= 0 && record.weight <= 255)
      ) {
        return invalid(`Invalid request: Weight must be between 0 and 255 in ${where}`);
      }
      if (
        record.ttl !== undefined &&
        !(Number.isInteger(record.ttl) && record.ttl >= 0 && record.ttl <= 2147483647)
      ) {
        return invalid(`Invalid request: TTL must be between 0 and 2147483647 in ${where}`);
      }
      if (
        action !== 'DELETE' &&
        record.healthCheckId !== undefined &&
        !this.healthChecks.has(record.healthCheckId)
      ) {
        return {
          status: 404,
          code: 'NoSuchHealthCheck',
          message: `No health check exists with the specified ID ${record.healthCheckId}.`,
        };
      }
      if (record.name !== zone.name && !record.name.endsWith(`.${zone.name}`)) {
        return {
          status: 400,
          code: 'InvalidChangeBatch',
          message: `[RRSet with DNS name ${record.name} is not permitted in zone ${zone.name}]`,
        };
      }
      for (const value of record.values ?? []) {
        if (record.type === 'A' && !ipv4.test(value)) {
          return {
            status: 400,
            code: 'InvalidChangeBatch',
            message: `[Invalid Resource Record: 'FATAL problem: ARRDATAIllegalIPv4Address (Value is not a valid IPv4 address) encountered with '${value}'']`,
          };
        }
      }
      if (record.type === 'CNAME' && (record.values?.length ?? 1) !== 1) {
        return {
          status: 400,
          code: 'InvalidChangeBatch',
          message: `[RRSet of type CNAME with DNS name ${record.name} may contain only one resource record]`,
        };
      }
      recordCount += (record.values?.length ?? 1) * (action === 'UPSERT' ? 2 : 1);
    }
    if (recordCount > 1000) {
      return {
        status: 400,
        code: 'InvalidChangeBatch',
        message: '[Number of records limit of 1000 exceeded.]',
      };
    }
    return undefined;
  }

  private checkEndState(zone: HostedZone, records: Map<string, RecordSet>, touched: Set<string>): string[] {
    const messages: string[] = [];
    const byName = new Map<string, RecordSet[]>();
    for (const record of records.values()) {
      if (!touched.has(record.name)) continue;
      const list = byName.get(record.name) ?? [];
      list.push(record);
      byName.set(record.name, list);
    }
    for (const [name, list] of byName) {
      if (list.some((record) => record.type === 'CNAME') && list.some((record) => record.type !== 'CNAME')) {
        messages.push(
          `RRSet of type CNAME with DNS name ${name} is not permitted as it conflicts with other records with the same DNS name in zone ${zone.name}`,
        );
      }
      const byType = new Map<string, RecordSet[]>();
      for (const record of list) byType.set(record.type, [...(byType.get(record.type) ?? []), record]);
      for (const [type, sets] of byType) {
        const kinds = new Set(sets.map(routingKind));
        if (kinds.size > 1) {
          const [first] = sets.filter((record) => record.setIdentifier !== undefined);
          messages.push(
            `RRSet with DNS name ${name}, type ${type}${first ? `, SetIdentifier ${first.setIdentifier}` : ''} cannot be created because a set with a different routing policy exists with the same name and type.`,
          );
        }
        for (const role of ['PRIMARY', 'SECONDARY'] as const) {
          if (sets.filter((record) => record.failover === role).length > 1) {
            messages.push(
              `RRSet with DNS name ${name}, type ${type} cannot have more than one failover ${role} resource record set.`,
            );
          }
        }
        for (const record of sets) {
          if (record.alias && record.alias.hostedZoneId === zone.id) {
            const target = normalizeName(record.alias.dnsName);
            const found = [...records.values()].some(
              (other) => other.name === target && other.type === record.type,
            );
            if (!found) {
              messages.push(
                `Tried to create an alias that targets ${target}, type ${record.type} in zone ${zone.id}, but the alias target name does not lie within the target zone`,
              );
            }
          }
        }
      }
    }
    if (touched.has(zone.name)) {
      if (!records.has(recordKey(zone.name, 'SOA')))
        messages.push('A HostedZone must contain exactly one SOA record.');
      if (!records.has(recordKey(zone.name, 'NS')))
        messages.push('A HostedZone must contain at least one NS record for the zone itself.');
    }
    return messages;
  }
}

function routingKind(record: RecordSet): string {
  if (record.weight !== undefined) return 'weighted';
  if (record.failover !== undefined) return 'failover';
  if (record.region !== undefined) return 'latency';
  return 'simple';
}

function fromSeed(seed: RecordSetSeed): RecordSet {
  return {
    name: normalizeName(seed.name),
    type: seed.type.toUpperCase(),
    ...(seed.alias === undefined && { ttl: seed.ttl ?? 300, values: [...(seed.values ?? [])] }),
    ...(seed.setIdentifier !== undefined && { setIdentifier: seed.setIdentifier }),
    ...(seed.weight !== undefined && { weight: seed.weight }),
    ...(seed.failover !== undefined && { failover: seed.failover }),
    ...(seed.region !== undefined && { region: seed.region }),
    ...(seed.healthCheckId !== undefined && { healthCheckId: seed.healthCheckId }),
    ...(seed.alias !== undefined && {
      alias: {
        hostedZoneId: seed.alias.hostedZoneId,
        dnsName: normalizeName(seed.alias.dnsName),
        evaluateTargetHealth: seed.alias.evaluateTargetHealth ?? false,
      },
    }),
  };
}

/** Whether Route 53 treats the health check as healthy (Disabled counts as healthy; Inverted flips). */
export function effectiveHealth(check: HealthCheck): boolean {
  const base = check.disabled ? true : check.endpointHealthy;
  return check.inverted ? !base : base;
}
