// A batching capability over `fakeDns`, for the executor's batching tests: one
// `ensureRecordSets` changes any number of records of one zone with one handle.
import { FailoverError } from '../../errors/failover-error.js';
import { diffDnsRecordSet } from '../../providers/dns/diff-dns-record-set.js';
import type { DnsChangeOutcome } from '../../providers/dns/dns-batching.js';
import type { DnsProviderV1 } from '../../providers/dns/dns-provider-v1.js';
import type { OperationHandle } from '../../providers/operation-handle.js';
import { okAsync } from '../../result.js';
import type { Time } from '../../time/time.js';
import type { FakeDns } from './fake-providers.js';

/** The zone of a name: its last two labels. */
export const zoneOf = (name: string) => name.replace(/\.$/, '').split('.').slice(-2).join('.');

export interface BatchingFakeDns extends DnsProviderV1 {
  /** The names each `ensureRecordSets` call carried, in call order. */
  readonly batches: string[][];
  /** Names whose change the next batches refuse (`invalid-input`, nothing changed). */
  readonly refuse: Set<string>;
  /** Called as a batch is sent, before it changes anything. */
  onBatch?: (names: string[]) => void;
}

export function withBatching(time: Time, inner: FakeDns): BatchingFakeDns {
  const batches: string[][] = [];
  const refuse = new Set<string>();
  let count = 0;
  const provider: BatchingFakeDns = {
    ...inner,
    batches,
    refuse,
    batching: {
      batchKey: (ref) => zoneOf(ref.name),
      ensureRecordSets(changes, options) {
        const names = changes.map((change) => change.ref.name);
        batches.push(names);
        provider.onBatch?.(names);
        inner.log.push({ method: 'ensureRecordSets', mutating: true, args: [names] });
        options?.onApiCall?.({ provider: inner.provider, operation: 'ensureRecordSets', mutating: true });
        const handle: OperationHandle = {
          provider: inner.provider,
          operation: 'ChangeBatch',
          id: `batch-${++count}`,
          startedAt: time.now(),
        };
        const outcomes = changes.map(({ ref, desired }): DnsChangeOutcome => {
          const current = inner.records.get(ref.name) ?? null;
          const before = current && structuredClone(current);
          if (refuse.has(ref.name)) {
            return {
              ok: false,
              error: new FailoverError({
                kind: 'invalid-input',
                message: `${ref.name} refused`,
                provider: inner.provider,
                operation: 'ensureRecordSets',
              }),
            };
          }
          if (diffDnsRecordSet(current, desired).length === 0)
            return { ok: true, result: { before, changed: false } };
          inner.records.set(ref.name, structuredClone(desired));
          return { ok: true, result: { before, changed: true, handle } };
        });
        return okAsync(outcomes);
      },
    },
  };
  return provider;
}
