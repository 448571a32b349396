import {
  type CallOptions,
  type DnsCapabilities,
  type DnsProviderV1,
  type DnsRecordRef,
  type DnsRecordSet,
  diffDnsRecordSet,
  type EnsureResult,
  err,
  type FailoverError,
  type FailoverResult,
  type OperationHandle,
  ok,
  pollUntil,
  type Result,
  type WaitOptions,
} from '@failover/core';
import { createCloudDnsBatching } from './cloud-dns-batching.js';
import type { CloudDnsChange, CloudDnsRecordSet } from './cloud-dns-client.js';
import {
  cloudDnsRoutings,
  desiredProblem,
  toDnsRecordSet,
  toWireRecordSet,
} from './cloud-dns-record-mapping.js';
import { gcpCall, invalidInput, runGcp } from './gcp-call.js';
import type { GcpClients } from './gcp-clients.js';
import { expectedDuration } from './gcp-expected-duration.js';
import { type CloudDnsTarget, parseDnsRef } from './gcp-refs.js';
import { waitProblem } from './gcp-wait.js';

/** Options of `createGcp(...).dnsProvider()`. */
export interface CloudDnsProviderOptions {
  /** Project of the managed zones. Default: the `createGcp()` project. */
  project?: string;
  /** Managed zone for refs that name none. */
  zone?: string;
  /**
   * How many times a change Cloud DNS rejected because the record set moved since it was
   * read (412 on a deletion, 409 on an addition) is retried after a fresh read. Default 3.
   */
  maxStaleReadRetries?: number;
}

const provider = 'gcp.dns';

interface ChangeDetail {
  project: string;
  zone: string;
  name: string;
  type: string;
  /** The change was already `done` when created. */
  done: boolean;
}

/**
 * Cloud DNS as a `DnsProviderV1`. `ensureRecordSet` makes one Change whose
 * deletion is the live record set exactly as read and whose addition is the
 * desired one; when Cloud DNS rejects it because the set moved underneath
 * (412 `conditionNotMet`, 409 `alreadyExists`) it reads again, re-decides
 * and retries — it never replays a stale deletion. `waitForChange` polls
 * `changes.get` until `done`.
 */
export function createCloudDnsProvider(
  clients: GcpClients,
  options: CloudDnsProviderOptions = {},
): DnsProviderV1 {
  const maxRetries = options.maxStaleReadRetries ?? 3;
  const capabilities: DnsCapabilities = {
    routing: cloudDnsRoutings,
    disableTarget: false,
    createRecordSet: true,
    setTtl: true,
    // WRR weights need only be non-negative (fractions allowed), 0 takes no traffic; 1000 is our cap.
    weightScale: { perPercent: 1, max: 1000, integer: false, zero: 'weight' },
  };

  const target = (ref: DnsRecordRef, operation: string): Result<CloudDnsTarget, FailoverError> => {
    const parsed = parseDnsRef(ref, options.zone);
    return 'problem' in parsed
      ? err(invalidInput(provider, operation, parsed.problem, parsed.path))
      : ok(parsed);
  };

  /** The live set, or null when it does not exist. */
  const readLive = async (
    at: CloudDnsTarget & { type: string },
    call?: CallOptions,
  ): Promise<Result<CloudDnsRecordSet | null, FailoverError>> => {
    const result = await gcpCall(provider, 'resourceRecordSets.get', false, call, async (signal) => {
      const [dns, project] = await Promise.all([clients.dns(), projectOf(at)]);
      return dns.getRecordSet(project, at.zone, at.name, at.type, { signal });
    });
    if (result.isErr() && result.error.kind === 'not-found') return ok(null);
    return result;
  };

  /**
   * The wire set each observed record set came from. `precheckRecordSet` is asked about
   * what was observed, and needs what the interface view leaves out (the routing policy's
   * kind): with this it decides without reading the set again.
   */
  const wireOf = new WeakMap<DnsRecordSet, CloudDnsRecordSet>();
  const observed = (wire: CloudDnsRecordSet): DnsRecordSet => {
    const view = toDnsRecordSet(wire);
    wireOf.set(view, wire);
    return view;
  };

  const projectOf = (at: { project?: string }, operation = 'resourceRecordSets.get') =>
    clients.project(provider, operation, at.project ?? options.project);

  /** The ref and desired set checked before any call: where the set lives, its name and type. */
  const prepare = (
    ref: DnsRecordRef,
    desired: DnsRecordSet,
    operation: string,
  ): Result<{ where: CloudDnsTarget & { type: string }; name: string }, FailoverError> => {
    const at = target(ref, operation);
    if (at.isErr()) return err(at.error);
    const problem = desiredProblem(desired);
    if (problem) return err(invalidInput(provider, operation, problem.message, problem.path));
    const type = (at.value.type ?? desired.type)?.toUpperCase();
    if (!type || (desired.type && desired.type.toUpperCase() !== type))
      return err(
        invalidInput(
          provider,
          operation,
          `The desired type ${desired.type} does not match the ref's ${at.value.type}.`,
          'type',
        ),
      );
    const name = at.value.name;
    if (desired.name && normalise(desired.name) !== normalise(name))
      return err(
        invalidInput(
          provider,
          operation,
          `The desired record set is ${desired.name}, the ref names ${name}.`,
          'name',
        ),
      );
    return ok({ where: { ...at.value, type }, name });
  };

  const handleOf = (
    change: CloudDnsChange,
    at: CloudDnsTarget & { project: string; type: string },
  ): OperationHandle => {
    const detail: ChangeDetail = {
      project: at.project,
      zone: at.zone,
      name: at.name,
      type: at.type,
      done: change.status === 'done',
    };
    return {
      provider,
      operation: 'changes.create',
      ...(change.id !== undefined && { id: change.id }),
      startedAt: clients.time.now(),
      detail: { ...detail },
    };
  };

  return {
    specificationVersion: 'v1',
    kind: 'dns',
    provider,
    capabilities,

    getRecordSet(ref, call) {
      return runGcp(provider, 'getRecordSet', async () => {
        const at = target(ref, 'resourceRecordSets.get');
        if (at.isErr()) return err(at.error);
        if (!at.value.type)
          return err(
            invalidInput(
              provider,
              'resourceRecordSets.get',
              'The record ref needs a type (A, CNAME...).',
              'ref.type',
            ),
          );
        const type = at.value.type;
        const result = await gcpCall(provider, 'resourceRecordSets.get', false, call, async (signal) => {
          const [dns, project] = await Promise.all([clients.dns(), projectOf(at.value)]);
          return dns.getRecordSet(project, at.value.zone, at.value.name, type, { signal });
        });
        return result.map(observed);
      });
    },

    ensureRecordSet(ref, desired, call): FailoverResult<EnsureResult<DnsRecordSet | null>> {
      return runGcp<EnsureResult<DnsRecordSet | null>>(provider, 'ensureRecordSet', async () => {
        const operation = 'changes.create';
        const prepared = prepare(ref, desired, operation);
        if (prepared.isErr()) return err(prepared.error);
        const { where, name } = prepared.value;

        let lastError: FailoverError | undefined;
        for (let attempt = 0; attempt <= maxRetries; attempt++) {
          const live = await readLive(where, call);
          if (live.isErr()) return err(live.error);
          const before = live.value ? toDnsRecordSet(live.value) : null;
          if (before && diffDnsRecordSet(before, { ...desired, name }).length === 0)
            return ok({ before, changed: false });
          const addition = toWireRecordSet(desired, live.value, name, where.type);
          if (typeof addition === 'string')
            return err(invalidInput(provider, operation, addition, 'targets'));

          const created = await gcpCall(provider, operation, true, call, async (signal) => {
            const [dns, project] = await Promise.all([clients.dns(), projectOf(where, operation)]);
            const change = await dns.createChange(
              project,
              where.zone,
              { ...(live.value && { deletions: [live.value] }), additions: [addition] },
              { signal },
            );
            return { change, project };
          });
          if (created.isOk()) {
            return ok({
              before,
              changed: true,
              handle: handleOf(created.value.change, { ...where, project: created.value.project }),
            });
          }
          // The set moved between our read and the change: read again rather than replay.
          const stale =
            created.error.kind === 'precondition-failed' ||
            (created.error.kind === 'conflict' && !created.error.retryable) ||
            (created.error.kind === 'not-found' && live.value !== null);
          if (!stale) return err(created.error);
          lastError = created.error;
        }
        return err(lastError!);
      });
    },

    precheckRecordSet(ref, desired, observedSet, call) {
      return runGcp<void>(provider, 'precheckRecordSet', async () => {
        const prepared = prepare(ref, desired, 'changes.create');
        if (prepared.isErr()) return err(prepared.error);
        const { where, name } = prepared.value;
        // The live wire set says what the interface view does not (its routing policy kind):
        // the one the observation was made from, else read again.
        const seen = wireOf.get(observedSet);
        const live = seen ? ok(seen) : await readLive(where, call);
        if (live.isErr()) return err(live.error);
        const addition = toWireRecordSet(desired, live.value, name, where.type);
        return typeof addition === 'string'
          ? err(invalidInput(provider, 'changes.create', addition, 'targets'))
          : ok(undefined);
      });
    },

    batching: createCloudDnsBatching({
      clients,
      prepare,
      readLive,
      projectOf,
      handleOf,
      maxRetries,
      observed,
      locate: (ref) => {
        const at = target(ref, 'resourceRecordSets.get');
        if (at.isErr()) return err(at.error);
        const type = at.value.type?.toUpperCase();
        return type
          ? ok({ ...at.value, type })
          : err(
              invalidInput(
                provider,
                'resourceRecordSets.get',
                'The record ref needs a type (A, CNAME...).',
                'ref.type',
              ),
            );
      },
      key: (ref) => {
        const at = parseDnsRef(ref, options.zone);
        return 'problem' in at
          ? `invalid:${String(ref?.name)}`
          : `${at.project ?? options.project ?? ''}/${at.zone}`;
      },
    }),

    waitForChange(handle, wait: WaitOptions) {
      return runGcp(provider, 'waitForChange', async () => {
        const operation = 'changes.get';
        const problem = waitProblem(wait) ?? handleProblem(handle);
        if (problem) return err(invalidInput(provider, operation, problem));
        const detail = handle.detail as unknown as ChangeDetail;
        const changeId = handle.id!;
        if (detail.done && !wait.abortSignal?.aborted) return ok(undefined);
        return pollUntil<void>({
          time: clients.time,
          provider,
          operation,
          timeoutMs: wait.timeoutMs,
          pollIntervalMs: wait.pollIntervalMs ?? 2_000,
          ...expectedDuration(wait, 30_000, handle.startedAt),
          ...(wait.abortSignal && { abortSignal: wait.abortSignal }),
          poll: () =>
            gcpCall(provider, operation, false, wait, async (signal) => {
              const dns = await clients.dns();
              return dns.getChange(detail.project, detail.zone, changeId, { signal });
            }).map((change) =>
              change.status === 'done'
                ? { done: true as const, value: undefined }
                : { done: false as const, status: change.status ?? 'pending' },
            ),
        });
      });
    },
  };
}

function handleProblem(handle: OperationHandle): string | undefined {
  if (typeof handle !== 'object' || handle === null) return 'The change handle is missing.';
  if (handle.provider !== provider)
    return `The handle was issued by ${String(handle.provider)}, not ${provider}.`;
  const detail = handle.detail as Partial<ChangeDetail> | undefined;
  if (typeof handle.id !== 'string' || typeof detail?.project !== 'string' || typeof detail.zone !== 'string')
    return 'The change handle has no change id, project or zone.';
  return undefined;
}

const normalise = (name: string) => name.replace(/\.$/, '').toLowerCase();
