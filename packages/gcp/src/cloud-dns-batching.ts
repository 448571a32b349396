import {
  type CallOptions,
  type DnsBatchingV1,
  type DnsChangeOutcome,
  type DnsObservation,
  type DnsRecordRef,
  type DnsRecordSet,
  diffDnsRecordSet,
  FailoverError,
  type OperationHandle,
  ok,
  type Result,
} from '@failover/core';
import type { CloudDnsChange, CloudDnsRecordSet } from './cloud-dns-client.js';
import { toDnsRecordSet, toWireRecordSet } from './cloud-dns-record-mapping.js';
import { gcpCall, invalidInput, runGcp } from './gcp-call.js';
import type { GcpClients } from './gcp-clients.js';
import type { CloudDnsTarget } from './gcp-refs.js';

const provider = 'gcp.dns';
const operation = 'changes.create';

/** Cloud DNS's quota of additions (and of deletions) in one change. */
export const maxRecordSetsPerChange = 1000;

/** Record-set reads in flight at once while a batch observes. */
const readConcurrency = 8;
/** From this many sets of one managed zone, a batch lists the zone (pages of up to 100) instead of reading each. */
const listThreshold = 8;

type Where = CloudDnsTarget & { type: string };

/** What the DNS provider shares with its batching: validation, reads and handles. */
export interface CloudDnsBatchContext {
  clients: GcpClients;
  prepare(
    ref: DnsRecordRef,
    desired: DnsRecordSet,
    operation: string,
  ): Result<{ where: Where; name: string }, FailoverError>;
  readLive(where: Where, call?: CallOptions): Promise<Result<CloudDnsRecordSet | null, FailoverError>>;
  projectOf(at: { project?: string }, operation?: string): Promise<string>;
  handleOf(change: CloudDnsChange, at: Where & { project: string }): OperationHandle;
  /** The interface view of an observed wire set, remembered for `precheckRecordSet`. */
  observed(wire: CloudDnsRecordSet): DnsRecordSet;
  /** Where a ref's record set lives (its type required), as `getRecordSet` checks it. */
  locate(ref: DnsRecordRef): Result<Where, FailoverError>;
  maxRetries: number;
  key(ref: DnsRecordRef): string;
}

interface Item {
  index: number;
  where: Where;
  name: string;
  desired: DnsRecordSet;
}

/**
 * Cloud DNS batching: every record set of one managed zone that differs goes into
 * one `changes.create` (split at the quota of 1,000 additions per change), whose
 * deletions are the live sets exactly as read. A change is atomic, so when Cloud DNS
 * rejects it because a set moved since the read (412, 409, 404), the whole chunk is
 * read again and re-decided, as `ensureRecordSet` does for one set.
 */
export function createCloudDnsBatching(ctx: CloudDnsBatchContext): DnsBatchingV1 {
  return {
    batchKey: (ref) => ctx.key(ref),

    observeRecordSets(refs, call) {
      return runGcp(provider, 'observeRecordSets', async () => {
        const located = refs.map((ref) => ctx.locate(ref));
        const wanted = located.flatMap((where) => (where.isOk() ? [{ where: where.value }] : []));
        const reads = await readMany(wanted, call);
        let next = 0;
        return ok(
          located.map((where): DnsObservation => {
            if (where.isErr()) return { ok: false, error: where.error };
            const read = reads[next++]!;
            if (read.isErr()) return { ok: false, error: read.error };
            if (read.value === null)
              return {
                ok: false,
                error: new FailoverError({
                  kind: 'not-found',
                  message: `No ${where.value.type} record set named ${where.value.name} in managed zone ${where.value.zone}.`,
                  provider,
                  operation: 'resourceRecordSets.get',
                }),
              };
            return { ok: true, recordSet: ctx.observed(read.value) };
          }),
        );
      });
    },

    ensureRecordSets(changes, call) {
      return runGcp(provider, 'ensureRecordSets', async () => {
        const outcomes: DnsChangeOutcome[] = new Array(changes.length);
        const groups = new Map<string, Item[]>();
        const seen = new Set<string>();
        for (const [index, change] of changes.entries()) {
          const prepared = ctx.prepare(change.ref, change.desired, operation);
          if (prepared.isErr()) {
            outcomes[index] = { ok: false, error: prepared.error };
            continue;
          }
          const { where, name } = prepared.value;
          const key = ctx.key(change.ref);
          const setKey = `${key}/${name.toLowerCase()}/${where.type}`;
          if (seen.has(setKey)) {
            outcomes[index] = {
              ok: false,
              error: invalidInput(
                provider,
                operation,
                `${name} ${where.type} appears twice in one batch.`,
                'ref',
              ),
            };
            continue;
          }
          seen.add(setKey);
          const group = groups.get(key) ?? [];
          group.push({ index, where, name, desired: change.desired });
          groups.set(key, group);
        }
        await Promise.all(
          [...groups.values()].map(async (group) => {
            for (let start = 0; start < group.length; start += maxRecordSetsPerChange)
              await applyChunk(group.slice(start, start + maxRecordSetsPerChange), outcomes, call);
          }),
        );
        return ok(outcomes);
      });
    },
  };

  async function applyChunk(chunk: Item[], outcomes: DnsChangeOutcome[], call: CallOptions | undefined) {
    let pending = chunk;
    let lastError: FailoverError | undefined;
    for (let attempt = 0; attempt <= ctx.maxRetries && pending.length > 0; attempt++) {
      const reads = await readMany(pending, call);
      const toSend: Array<{ item: Item; live: CloudDnsRecordSet | null; addition: CloudDnsRecordSet }> = [];
      for (const [i, item] of pending.entries()) {
        const read = reads[i]!;
        if (read.isErr()) {
          outcomes[item.index] = { ok: false, error: read.error };
          continue;
        }
        const before = read.value ? toDnsRecordSet(read.value) : null;
        if (before && diffDnsRecordSet(before, { ...item.desired, name: item.name }).length === 0) {
          outcomes[item.index] = { ok: true, result: { before, changed: false } };
          continue;
        }
        const addition = toWireRecordSet(item.desired, read.value, item.name, item.where.type);
        if (typeof addition === 'string') {
          outcomes[item.index] = { ok: false, error: invalidInput(provider, operation, addition, 'targets') };
          continue;
        }
        toSend.push({ item, live: read.value, addition });
      }
      if (toSend.length === 0) return;

      const first = toSend[0]!.item.where;
      const created = await gcpCall(provider, operation, true, call, async (signal) => {
        const [dns, project] = await Promise.all([ctx.clients.dns(), ctx.projectOf(first, operation)]);
        const deletions = toSend.flatMap(({ live }) => (live ? [live] : []));
        const change = await dns.createChange(
          project,
          first.zone,
          { ...(deletions.length > 0 && { deletions }), additions: toSend.map(({ addition }) => addition) },
          { signal },
        );
        return { change, project };
      });
      if (created.isOk()) {
        // One change, one handle: one wait covers every set in it.
        const handle = ctx.handleOf(created.value.change, { ...first, project: created.value.project });
        for (const { item, live } of toSend)
          outcomes[item.index] = {
            ok: true,
            result: { before: live ? toDnsRecordSet(live) : null, changed: true, handle },
          };
        return;
      }
      const stale =
        created.error.kind === 'precondition-failed' ||
        (created.error.kind === 'conflict' && !created.error.retryable) ||
        created.error.kind === 'not-found';
      lastError = created.error;
      pending = toSend.map(({ item }) => item);
      if (!stale) break;
    }
    for (const item of pending) outcomes[item.index] = { ok: false, error: lastError! };
  }

  /**
   * The live set of each item (null when it does not exist), in order: the sets of a
   * managed zone with many of them by listing the zone once, the others one by one.
   */
  async function readMany(
    items: ReadonlyArray<{ where: Where }>,
    call: CallOptions | undefined,
  ): Promise<Array<Result<CloudDnsRecordSet | null, FailoverError>>> {
    const results: Array<Result<CloudDnsRecordSet | null, FailoverError>> = new Array(items.length);
    const byZone = new Map<string, number[]>();
    for (const [index, { where }] of items.entries()) {
      const zoneKey = `${where.project ?? ''}/${where.zone}`;
      byZone.set(zoneKey, [...(byZone.get(zoneKey) ?? []), index]);
    }
    const single: number[] = [];
    await Promise.all(
      [...byZone.values()].map(async (indexes) => {
        if (indexes.length < listThreshold) {
          single.push(...indexes);
          return;
        }
        const listed = await listZone(items[indexes[0]!]!.where, call);
        for (const index of indexes) {
          const { where } = items[index]!;
          results[index] = listed.map((sets) => sets.get(setKey(where.name, where.type)) ?? null);
        }
      }),
    );
    const read = await mapLimit(single, readConcurrency, (index) => ctx.readLive(items[index]!.where, call));
    single.forEach((index, at) => {
      results[index] = read[at]!;
    });
    return results;
  }

  /** Every record set of a managed zone, by name and type, following the pages. */
  function listZone(
    where: Where,
    call: CallOptions | undefined,
  ): PromiseLike<Result<Map<string, CloudDnsRecordSet>, FailoverError>> {
    const list = 'resourceRecordSets.list';
    return gcpCall(provider, list, false, call, async (signal) => {
      const [dns, project] = await Promise.all([ctx.clients.dns(), ctx.projectOf(where, list)]);
      const sets = new Map<string, CloudDnsRecordSet>();
      const tokens = new Set<string>();
      let pageToken: string | undefined;
      do {
        const page = await dns.listRecordSets(project, where.zone, pageToken ? { pageToken } : {}, {
          signal,
        });
        for (const set of page.rrsets ?? []) sets.set(setKey(set.name ?? '', set.type ?? ''), set);
        pageToken = page.nextPageToken;
        // A token that comes back again would list for ever.
        if (pageToken !== undefined && tokens.has(pageToken))
          throw new FailoverError({
            kind: 'unexpected',
            message: `Cloud DNS returned the same page of managed zone ${where.zone} twice; listing stopped.`,
            provider,
            operation: list,
            retryable: true,
          });
        if (pageToken !== undefined) tokens.add(pageToken);
      } while (pageToken);
      return sets;
    });
  }
}

/** A record set's key within a zone: its name (absolute, lower case) and type. */
const setKey = (name: string, type: string) =>
  `${name.replace(/\.?$/, '.').toLowerCase()}/${type.toUpperCase()}`;

/** `fn` over `items` with at most `limit` at once, results in order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
