// A batching capability over `fakeDns`, for the executor's batching tests: one
// `ensureRecordSets` changes any number of records of one zone with one handle;
// with `reads`, one `observeRecordSets` reads any number of them.
import { FailoverError } from '../../errors/failover-error.js';
import { diffDnsRecordSet } from '../../providers/dns/diff-dns-record-set.js';
import type { DnsChangeOutcome, DnsObservation } from '../../providers/dns/dns-batching.js';
import type { DnsProviderV1 } from '../../providers/dns/dns-provider-v1.js';
import type { OperationHandle } from '../../providers/operation-handle.js';
import { errAsync, okAsync } from '../../result.js';
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
  /** The names each `observeRecordSets` call read, in call order (with `reads`). */
  readonly readBatches: string[][];
  /** Errors the next `observeRecordSets` calls return as a whole, one per call. */
  readonly readFaults: FailoverError[];
}

/** Options of `withBatching`. */
export interface BatchingOptions {
  /** Offer `observeRecordSets`. */
  reads?: boolean;
  /** Offer a `precheckRecordSet` that accepts everything (so the pre-run pre-check pass visits the steps). */
  precheck?: boolean;
}

export function withBatching(time: Time, inner: FakeDns, options: BatchingOptions = {}): BatchingFakeDns {
  const batches: string[][] = [];
  const readBatches: string[][] = [];
  const readFaults: FailoverError[] = [];
  const refuse = new Set<string>();
  let count = 0;
  const provider: BatchingFakeDns = {
    ...inner,
    batches,
    refuse,
    readBatches,
    readFaults,
    ...(options.precheck && {
      precheckRecordSet(ref) {
        inner.log.push({ method: 'precheckRecordSet', mutating: false, args: [ref.name] });
        return okAsync(undefined);
      },
    }),
    batching: {
      ...(options.reads && {
        observeRecordSets(refs, callOptions) {
          const names = refs.map((ref) => ref.name);
          readBatches.push(names);
          inner.log.push({ method: 'observeRecordSets', mutating: false, args: [names] });
          callOptions?.onApiCall?.({
            provider: inner.provider,
            operation: 'listRecordSets',
            mutating: false,
          });
          const fault = readFaults.shift();
          if (fault) return errAsync(fault);
          return okAsync(
            refs.map((ref): DnsObservation => {
              const found = inner.records.get(ref.name);
              return found
                ? { ok: true, recordSet: structuredClone(found) }
                : {
                    ok: false,
                    error: new FailoverError({
                      kind: 'not-found',
                      message: `${ref.name} not found`,
                      provider: inner.provider,
                      operation: 'observeRecordSets',
                    }),
                  };
            }),
          );
        },
      }),
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
