// A DnsProviderV1 for the imaginary Acme DNS API. README.md walks through it.
import {
  attempt,
  type CallOptions,
  cancelledError,
  type DnsCapabilities,
  type DnsProviderV1,
  type DnsRecordRef,
  type DnsRecordSet,
  diffDnsRecordSet,
  type EnsureResult,
  err,
  errAsync,
  type FailoverError,
  type OperationHandle,
  ok,
  okAsync,
  type PollOutcome,
  pollUntil,
  realTime,
  type Time,
} from '@failover/core';
import { type AcmeDnsClient, createAcmeDnsClient } from './acme-dns-client.js';
import { acmeInvalidInput, acmeProvider as provider, toAcmeError } from './acme-dns-error.js';
import {
  type AcmeChange,
  type AcmeRRSet,
  acmeProblem,
  acmeRoutings,
  fromAcme,
  toAcme,
} from './acme-dns-records.js';

/** Settings of `createAcmeDnsProvider`. Nothing is read or created before the first call. */
export interface AcmeDnsSettings {
  /** API base URL. Default `https://api.acme-dns.example/v1`. */
  baseUrl?: string;
  /** API token. Default: `ACME_DNS_TOKEN` from the environment, read on the first call. */
  token?: string;
  /** The clock and sleeper waits use. Default: real time; tests inject theirs. */
  time?: Time;
  /** The HTTP client. Default: global `fetch`. */
  fetch?: typeof fetch;
}

/** Read by `validatePlan` before any call: Acme DNS has no priority or geo routing. */
export const acmeDnsCapabilities: DnsCapabilities = {
  routing: acmeRoutings,
  disableTarget: true,
  createRecordSet: true,
  setTtl: true,
};

export function createAcmeDnsProvider(settings: AcmeDnsSettings = {}): DnsProviderV1 {
  const time = settings.time ?? realTime;
  let client: AcmeDnsClient | undefined;

  // Every request goes through here: abort check, lazy client, onApiCall, the one error mapper.
  const call = <T>(
    operation: string,
    method: 'GET' | 'PUT',
    path: string,
    options: CallOptions = {},
    body?: unknown,
  ) => {
    const signal = options.abortSignal;
    if (signal?.aborted)
      return errAsync<T, FailoverError>(cancelledError(provider, operation, signal.reason));
    return attempt(
      async () => {
        client ??= createAcmeDnsClient({
          baseUrl: settings.baseUrl ?? 'https://api.acme-dns.example/v1',
          token: settings.token ?? process.env.ACME_DNS_TOKEN,
          fetch: settings.fetch ?? fetch,
        });
        options.onApiCall?.({ provider, operation, mutating: method !== 'GET' });
        return (await client(method, path, body, signal)) as T;
      },
      { provider, operation },
      (thrown) => toAcmeError(thrown, operation, signal),
    );
  };
  const rrsetPath = ({ zone, name, type }: DnsRecordRef) =>
    `/zones/${encodeURIComponent(zone!)}/rrsets/${encodeURIComponent(name)}/${encodeURIComponent(type!)}`;

  return {
    specificationVersion: 'v1',
    kind: 'dns',
    provider,
    capabilities: acmeDnsCapabilities,

    getRecordSet(ref, options) {
      const bad = refProblem(ref);
      return bad ? errAsync(bad) : call<AcmeRRSet>('GetRRSet', 'GET', rrsetPath(ref), options).map(fromAcme);
    },

    // Idempotent: observe, compare with core's diff, and PUT only on a difference.
    ensureRecordSet(ref, desired, options) {
      const problem = acmeProblem(desired);
      const bad = refProblem(ref) ?? (problem && acmeInvalidInput(problem.message, problem.path));
      if (bad) return errAsync(bad);
      const handle = (change: AcmeChange): OperationHandle => ({
        provider,
        operation: 'PutRRSet',
        id: change.id,
        startedAt: time.now(),
        detail: { zone: ref.zone, name: ref.name, type: ref.type },
      });
      return call<AcmeRRSet | null>('GetRRSet', 'GET', rrsetPath(ref), options)
        .orElse((error) => (error.kind === 'not-found' ? ok(null) : err(error)))
        .andThen((found) => {
          const before = found && fromAcme(found);
          if (diffDnsRecordSet(before, desired).length === 0) {
            // Already as desired. A change still propagating is the one to wait on (a resumed run).
            const pending = found?.change?.status === 'pending' ? found.change : undefined;
            const result: EnsureResult<DnsRecordSet | null> = pending
              ? { before, changed: true, handle: handle(pending) }
              : { before, changed: false };
            return okAsync(result);
          }
          const put = call<{ change: AcmeChange }>(
            'PutRRSet',
            'PUT',
            rrsetPath(ref),
            options,
            toAcme(desired),
          );
          return put.map(
            ({ change }): EnsureResult<DnsRecordSet | null> => ({
              before,
              changed: true,
              handle: handle(change),
            }),
          );
        });
    },

    // The one wait loop: poll, back off (a Retry-After wins), time out on the injected clock.
    waitForChange(handle, options) {
      if (handle?.provider !== provider || typeof handle.id !== 'string' || !(options?.timeoutMs >= 0)) {
        return errAsync(
          acmeInvalidInput('waitForChange needs an Acme DNS change handle and a timeoutMs.', 'handle'),
        );
      }
      const path = `/changes/${encodeURIComponent(handle.id)}`;
      return pollUntil({
        time,
        provider,
        operation: 'GetChange',
        timeoutMs: options.timeoutMs,
        pollIntervalMs: options.pollIntervalMs ?? 2_000,
        ...(options.abortSignal && { abortSignal: options.abortSignal }),
        poll: () =>
          call<AcmeChange>('GetChange', 'GET', path, options).map(
            ({ status }): PollOutcome<void> =>
              status === 'done' ? { done: true, value: undefined } : { done: false, status },
          ),
      });
    },
  };
}

function refProblem(ref: DnsRecordRef): FailoverError | undefined {
  const named = [ref?.zone, ref?.name, ref?.type].every((part) => typeof part === 'string' && part !== '');
  return named
    ? undefined
    : acmeInvalidInput('An Acme DNS record ref needs a zone, a name and a type.', 'ref');
}
