import {
  type DnsBatchingV1,
  type DnsChangeOutcome,
  type DnsRecordRef,
  type DnsRecordSet,
  type EnsureResult,
  err,
  type FailoverError,
  type OperationHandle,
  ok,
  type Result,
} from '@failover/core';
import type { CallContext, ProviderCaller } from './simulator-kernel.js';
import { invalidInput, isObject } from './simulator-validate.js';

/** What ensuring one record set would do, worked out without changing anything. */
export interface PlannedDnsChange<Zone> {
  zone: Zone;
  next: DnsRecordSet;
  before: DnsRecordSet | null;
  /** Set when nothing has to change: the result to hand back as it is. */
  done?: EnsureResult<DnsRecordSet | null>;
}

/** The parts of the simulated DNS provider a batch is made of. */
export interface SimulatedDnsBatchingParts<Zone> {
  call: ProviderCaller<'ensureRecordSets'>;
  /** The zone a ref falls in (its name), or the ref's own zone or name when the world has none. */
  zoneKey(ref: DnsRecordRef): string;
  /** Validates and compares one change, as `ensureRecordSet` does, without reading or writing. */
  planChange(
    ctx: CallContext,
    ref: DnsRecordRef,
    desired: DnsRecordSet,
  ): Result<PlannedDnsChange<Zone>, FailoverError>;
  /** One change request for a zone: one mutating call, one operation, refused while the zone has one pending if it is so seeded. */
  applyChanges(
    ctx: CallContext,
    zone: Zone,
    changes: readonly PlannedDnsChange<Zone>[],
  ): Result<OperationHandle, FailoverError>;
}

/**
 * Batching for the simulated DNS provider, as Route 53 and Cloud DNS do it: one call
 * reads each zone once and sends one change request per zone for every record set that
 * differs, so the changes of one zone share one operation (one handle, one wait). A
 * change that is invalid or refused fails alone; a zone that refuses (a change still
 * pending) fails every change sent to it.
 */
export function simulatedDnsBatching<Zone>(parts: SimulatedDnsBatchingParts<Zone>): DnsBatchingV1 {
  return {
    batchKey: (ref) => parts.zoneKey(ref),
    ensureRecordSets(changes, options) {
      return parts.call('ensureRecordSets', [changes], options, (ctx) => {
        const given: unknown = changes;
        if (!Array.isArray(given) || !given.every((change) => isObject(change))) {
          return err(
            invalidInput(
              ctx.provider,
              ctx.operation,
              'changes must be an array of { ref, desired }.',
              'changes',
            ),
          );
        }
        const outcomes: DnsChangeOutcome[] = new Array(changes.length);
        const byZone = new Map<Zone, { index: number; planned: PlannedDnsChange<Zone> }[]>();
        const read = new Set<string>();
        changes.forEach(({ ref, desired }, index) => {
          const key = isObject(ref) && typeof ref.name === 'string' ? parts.zoneKey(ref as DnsRecordRef) : '';
          if (!read.has(key)) {
            read.add(key);
            ctx.read('ListRecordSets');
          }
          const planned = parts.planChange(ctx, ref, desired);
          if (planned.isErr()) outcomes[index] = { ok: false, error: planned.error };
          else if (planned.value.done) outcomes[index] = { ok: true, result: planned.value.done };
          else {
            const members = byZone.get(planned.value.zone) ?? [];
            members.push({ index, planned: planned.value });
            byZone.set(planned.value.zone, members);
          }
        });
        for (const [zone, members] of byZone) {
          const applied = parts.applyChanges(
            ctx,
            zone,
            members.map((member) => member.planned),
          );
          for (const { index, planned } of members) {
            outcomes[index] = applied.isOk()
              ? { ok: true, result: { before: planned.before, changed: true, handle: applied.value } }
              : { ok: false, error: applied.error };
          }
        }
        return ok(outcomes);
      });
    },
  };
}
