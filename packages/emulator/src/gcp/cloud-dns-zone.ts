import type { EmulatorResponse } from '../server/emulator-types.js';
import {
  describeRecord,
  parseRecordSet,
  recordKey,
  sameRecordSet,
  type WireRecordSet,
} from './cloud-dns-record-set.js';
import { googleError, invalid, notFound } from './gcp-error.js';
import { iso } from './gcp-request.js';
import type { CloudDnsZoneSeed } from './gcp-seed.js';
import { phaseAt, type Timeline, timeline } from './gcp-timeline.js';

interface StoredChange {
  id: string;
  line: Timeline;
  additions: WireRecordSet[];
  deletions: WireRecordSet[];
}

const nameServers = (letter: string) => [1, 2, 3, 4].map((n) => `ns-cloud-${letter}${n}.googledomains.com.`);

/**
 * One managed zone: its record sets and its change log. A change is applied
 * to the record sets at once (reads see it immediately, as on Cloud DNS) and
 * reports `pending` until its modelled propagation time has passed.
 */
export class CloudDnsZone {
  readonly records = new Map<string, WireRecordSet>();
  private readonly changes: StoredChange[] = [];
  private readonly createdAt: number;
  private readonly servers: string[];

  constructor(
    readonly seed: CloudDnsZoneSeed,
    readonly id: string,
    private readonly now: () => number,
    private readonly changeDurationMs: number,
  ) {
    this.createdAt = now();
    this.servers = nameServers('abcde'[Number(id) % 5]!);
    const apex: WireRecordSet[] = [
      { kind: 'dns#resourceRecordSet', name: seed.dnsName, type: 'NS', ttl: 21600, rrdatas: this.servers },
      {
        kind: 'dns#resourceRecordSet',
        name: seed.dnsName,
        type: 'SOA',
        ttl: 21600,
        rrdatas: [`${this.servers[0]} cloud-dns-hostmaster.google.com. 1 21600 3600 259200 300`],
      },
    ];
    const seeded: WireRecordSet[] = [];
    for (const [index, record] of (seed.recordSets ?? []).entries()) {
      const parsed = parseRecordSet(record, seed.dnsName, `seed.recordSets[${index}]`);
      if (typeof parsed === 'string') throw new Error(`Invalid GCP seed for zone ${seed.name}: ${parsed}`);
      seeded.push(parsed);
    }
    for (const record of [...apex, ...seeded]) this.records.set(recordKey(record.name, record.type), record);
    // Zone creation is change "0", already done.
    this.changes.push({
      id: '0',
      line: { startedAt: this.createdAt, runningAt: this.createdAt, doneAt: this.createdAt },
      additions: [...apex, ...seeded],
      deletions: [],
    });
  }

  get name(): string {
    return this.seed.name;
  }

  toManagedZone(): Record<string, unknown> {
    return {
      kind: 'dns#managedZone',
      name: this.seed.name,
      dnsName: this.seed.dnsName,
      id: this.id,
      description: '',
      nameServers: this.servers,
      creationTime: iso(this.createdAt),
      visibility: this.seed.visibility ?? 'public',
    };
  }

  /** Record sets sorted by name then type, optionally filtered. */
  list(name?: string, type?: string): WireRecordSet[] {
    return [...this.records.values()]
      .filter((record) => name === undefined || record.name.toLowerCase() === name.toLowerCase())
      .filter((record) => type === undefined || record.type === type)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.type < b.type ? -1 : 1));
  }

  get(name: string, type: string): WireRecordSet | undefined {
    return this.records.get(recordKey(name, type));
  }

  /**
   * Applies a change atomically, or answers with the error Cloud DNS gives:
   * a deletion of a missing set is 404, one that does not match the live set
   * exactly is 412 `conditionNotMet`, an addition over an existing set is 409.
   */
  createChange(body: Record<string, unknown>, stuck: boolean): EmulatorResponse {
    const { additions = [], deletions = [] } = body;
    if (!Array.isArray(additions) || !Array.isArray(deletions))
      return invalid("Invalid value for 'entity.change': additions and deletions must be lists.");
    if (additions.length === 0 && deletions.length === 0)
      return invalid(
        "The 'entity.change' parameter must contain at least one addition or deletion.",
        'required',
      );

    const working = new Map(this.records);
    const deleted: WireRecordSet[] = [];
    for (const [index, deletion] of deletions.entries()) {
      const where = `entity.change.deletions[${index}]`;
      if (typeof deletion !== 'object' || deletion === null || Array.isArray(deletion))
        return invalid(`Invalid value for '${where}'.`);
      const fields = deletion as Record<string, unknown>;
      if (typeof fields.name !== 'string' || typeof fields.type !== 'string')
        return invalid(`The '${where}.name' and '${where}.type' parameters are required.`, 'required');
      const key = recordKey(fields.name, fields.type);
      const live = working.get(key);
      if (!live)
        return notFound(
          `The resource '${where}' named '${describeRecord(fields.name, fields.type)}' does not exist.`,
        );
      if (!sameRecordSet(live, fields)) return googleError(412, `Precondition not met for '${where}'`);
      working.delete(key);
      deleted.push(live);
    }
    const added: WireRecordSet[] = [];
    for (const [index, addition] of additions.entries()) {
      const where = `entity.change.additions[${index}]`;
      const parsed = parseRecordSet(addition, this.seed.dnsName, where);
      if (typeof parsed === 'string') return invalid(parsed);
      const key = recordKey(parsed.name, parsed.type);
      if (working.has(key)) {
        return googleError(
          409,
          `The resource '${where}' named '${describeRecord(parsed.name, parsed.type)}' already exists`,
          { reason: 'alreadyExists', status: 'ALREADY_EXISTS' },
        );
      }
      const conflict = cnameConflict(working, parsed);
      if (conflict) return invalid(`The resource '${where}' ${conflict}`, 'cnameResourceRecordSetConflict');
      working.set(key, parsed);
      added.push(parsed);
    }

    this.records.clear();
    for (const [key, record] of working) this.records.set(key, record);
    const change: StoredChange = {
      id: String(this.changes.length),
      line: timeline(this.now(), this.seed.changesDoneAtOnce && !stuck ? 0 : this.changeDurationMs, stuck),
      additions: added,
      deletions: deleted,
    };
    this.changes.push(change);
    return { status: 200, body: this.toChange(change) };
  }

  /** `rrsets.patch`: replaces one live set and returns the new one. */
  patch(name: string, type: string, body: Record<string, unknown>): EmulatorResponse {
    const key = recordKey(name, type);
    if (!this.records.has(key))
      return notFound(`The resource 'entity.rrset' named '${describeRecord(name, type)}' does not exist.`);
    const merged = { name, type, ...body };
    if (String(merged.name).toLowerCase() !== name.toLowerCase() || merged.type !== type)
      return invalid("The record set's name and type cannot be changed by a patch.");
    const parsed = parseRecordSet(merged, this.seed.dnsName, 'entity.rrset');
    if (typeof parsed === 'string') return invalid(parsed);
    this.records.set(key, parsed);
    return { status: 200, body: parsed };
  }

  /** `rrsets.create`: adds one set directly, without a change. */
  create(body: Record<string, unknown>): EmulatorResponse {
    const parsed = parseRecordSet(body, this.seed.dnsName, 'entity.rrset');
    if (typeof parsed === 'string') return invalid(parsed);
    const key = recordKey(parsed.name, parsed.type);
    if (this.records.has(key)) {
      return googleError(
        409,
        `The resource 'entity.rrset' named '${describeRecord(parsed.name, parsed.type)}' already exists`,
        { reason: 'alreadyExists', status: 'ALREADY_EXISTS' },
      );
    }
    const conflict = cnameConflict(this.records, parsed);
    if (conflict) return invalid(`The resource 'entity.rrset' ${conflict}`, 'cnameResourceRecordSetConflict');
    this.records.set(key, parsed);
    return { status: 200, body: parsed };
  }

  delete(name: string, type: string): EmulatorResponse {
    const key = recordKey(name, type);
    if (!this.records.delete(key))
      return notFound(`The resource 'entity.rrset' named '${describeRecord(name, type)}' does not exist.`);
    return { status: 200, body: {} };
  }

  getChange(id: string): Record<string, unknown> | undefined {
    const change = this.changes.find((candidate) => candidate.id === id);
    return change ? this.toChange(change) : undefined;
  }

  listChanges(): Record<string, unknown>[] {
    return this.changes.map((change) => this.toChange(change));
  }

  private toChange(change: StoredChange): Record<string, unknown> {
    const status = phaseAt(change.line, this.now()) === 'DONE' ? 'done' : 'pending';
    return {
      kind: 'dns#change',
      id: change.id,
      startTime: iso(change.line.startedAt),
      status,
      isServing: status === 'done',
      ...(change.additions.length > 0 && { additions: change.additions }),
      ...(change.deletions.length > 0 && { deletions: change.deletions }),
    };
  }
}

/** A CNAME cannot share its name with any other type. */
function cnameConflict(records: Map<string, WireRecordSet>, added: WireRecordSet): string | undefined {
  const name = added.name.toLowerCase();
  for (const record of records.values()) {
    if (record.name.toLowerCase() !== name) continue;
    if (record.type === 'CNAME' || added.type === 'CNAME')
      return `named '${describeRecord(added.name, added.type)}' conflicts with the CNAME record set of that name.`;
  }
  return undefined;
}
