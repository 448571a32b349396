// A ResourceProviderV1 (the open kind) for the imaginary Acme Flags API. README.md walks through it.
import {
  attempt,
  type CallOptions,
  cancelledError,
  type EnsureResult,
  errAsync,
  FailoverError,
  type OperationHandle,
  okAsync,
  type PollOutcome,
  pollUntil,
  type ResourceProviderV1,
  realTime,
  type Time,
} from '@failover/core';
import { type AcmeFlagsClient, createAcmeFlagsClient } from './acme-flags-client.js';
import { acmeFlagsRefusal, acmeFlagsProvider as provider, toAcmeFlagsError } from './acme-flags-error.js';
import {
  type AcmeFlag,
  type AcmeFlagCondition,
  type AcmeFlagDesired,
  type AcmeFlagRef,
  type AcmeFlagWire,
  type AcmeRollout,
  fromWire,
} from './acme-flags-wire.js';

/** Settings of `createAcmeFlagsProvider`. Nothing is read or created before the first call. */
export interface AcmeFlagsSettings {
  /** API base URL. Default `https://api.acme-flags.example/v1`. */
  baseUrl?: string;
  /** API token. Default: `ACME_FLAGS_TOKEN` from the environment, read on the first call. */
  token?: string;
  /** The clock and sleeper waits use. Default: real time; tests inject theirs. */
  time?: Time;
  /** The HTTP client. Default: global `fetch`. */
  fetch?: typeof fetch;
}

export type AcmeFlagsProvider = ResourceProviderV1<AcmeFlagRef, AcmeFlag, AcmeFlagDesired, AcmeFlagCondition>;

export function createAcmeFlagsProvider(settings: AcmeFlagsSettings = {}): AcmeFlagsProvider {
  const time = settings.time ?? realTime;
  let client: AcmeFlagsClient | undefined;

  // Every request goes through here: abort check, lazy client, onApiCall, the one error mapper.
  const call = <T>(
    operation: string,
    method: 'GET' | 'PUT',
    path: string,
    options: CallOptions = {},
    request: { body?: unknown; ifMatch?: number } = {},
  ) => {
    const signal = options.abortSignal;
    if (signal?.aborted)
      return errAsync<T, FailoverError>(cancelledError(provider, operation, signal.reason));
    return attempt(
      async () => {
        client ??= createAcmeFlagsClient({
          baseUrl: settings.baseUrl ?? 'https://api.acme-flags.example/v1',
          token: settings.token ?? process.env.ACME_FLAGS_TOKEN,
          fetch: settings.fetch ?? fetch,
        });
        options.onApiCall?.({ provider, operation, mutating: method !== 'GET' });
        return (await client(method, path, { ...request, signal })) as T;
      },
      { provider, operation },
      (thrown) => toAcmeFlagsError(thrown, operation, signal),
    );
  };
  const getFlag = (ref: AcmeFlagRef, options?: CallOptions) =>
    call<AcmeFlagWire>('GetFlag', 'GET', `/flags/${encodeURIComponent(ref.flag)}`, options);
  const handleOf = (ref: AcmeFlagRef, rollout: AcmeRollout): OperationHandle => ({
    provider,
    operation: 'SetFlag',
    id: rollout.id,
    startedAt: time.now(),
    detail: { flag: ref.flag },
  });

  return {
    specificationVersion: 'v1',
    kind: 'resource',
    provider,

    observeResource(ref, options) {
      const bad = refProblem(ref, 'observeResource');
      return bad ? errAsync(bad) : getFlag(ref, options).map(fromWire);
    },

    // Only the value is desired state; the rest of a flag is observed.
    matches: (desired, observed) => observed.value === desired.value,

    // Idempotent: observe, compare, PUT only on a difference, with If-Match on the version read.
    ensureResource(ref, desired, options) {
      const bad = refProblem(ref, 'ensureResource') ?? desiredProblem(desired, 'ensureResource');
      if (bad) return errAsync(bad);
      return getFlag(ref, options).andThen((wire) => {
        const before = fromWire(wire);
        const refused = refusal(desired, before, 'ensureResource');
        if (refused) return errAsync(refused);
        if (before.value === desired.value) {
          // Already so. A rollout still reaching the edges is the one to wait on (a resumed run,
          // or a retry after the PUT's answer was lost): never a second PUT.
          const rolling = wire.rollout?.status === 'rolling' ? wire.rollout : undefined;
          const result: EnsureResult<AcmeFlag> = rolling
            ? { before, changed: true, handle: handleOf(ref, rolling) }
            : { before, changed: false };
          return okAsync(result);
        }
        return call<{ rollout: AcmeRollout }>(
          'SetFlag',
          'PUT',
          `/flags/${encodeURIComponent(ref.flag)}`,
          options,
          {
            body: { value: desired.value },
            ifMatch: wire.version,
          },
        ).map(
          ({ rollout }): EnsureResult<AcmeFlag> => ({
            before,
            changed: true,
            handle: handleOf(ref, rollout),
          }),
        );
      });
    },

    // Read-only: the refusals ensureResource would answer, from the flag already observed.
    precheckResource(ref, desired, observed) {
      const bad =
        refProblem(ref, 'precheckResource') ??
        desiredProblem(desired, 'precheckResource') ??
        refusal(desired, observed, 'precheckResource');
      return bad ? errAsync(bad) : okAsync(undefined);
    },

    // Undo: the value the flag had before the step.
    restoreOf: (before) => ({ value: before.value }),

    // Poll the rollout until it reached every edge, then return the flag as it is.
    waitForResource(handle, options) {
      const flag = handle?.detail?.flag;
      if (handle?.provider !== provider || typeof handle.id !== 'string' || typeof flag !== 'string') {
        return errAsync(
          acmeFlagsRefusal('invalid-input', 'waitForResource', 'Not an Acme Flags rollout handle.', 'handle'),
        );
      }
      if (!(options?.timeoutMs >= 0)) {
        return errAsync(
          acmeFlagsRefusal('invalid-input', 'waitForResource', 'A wait needs timeoutMs >= 0.', 'timeoutMs'),
        );
      }
      const path = `/rollouts/${encodeURIComponent(handle.id)}`;
      return pollUntil({
        time,
        provider,
        operation: 'GetRollout',
        timeoutMs: options.timeoutMs,
        pollIntervalMs: options.pollIntervalMs ?? 2_000,
        ...(options.abortSignal && { abortSignal: options.abortSignal }),
        poll: () =>
          call<AcmeRollout>('GetRollout', 'GET', path, options).map(
            ({ status }): PollOutcome<void> =>
              status === 'done' ? { done: true, value: undefined } : { done: false, status },
          ),
      })
        .mapErr((error) =>
          // No such rollout: the PUT that would have started it never happened. Retryable, so the
          // executor observes and ensures again instead of waiting on a dead handle.
          error.kind === 'not-found'
            ? new FailoverError({
                kind: 'not-found',
                message: error.message,
                provider,
                operation: 'GetRollout',
                retryable: true,
                cause: error,
              })
            : error,
        )
        .andThen(() => getFlag({ flag }, options).map(fromWire));
    },

    checkResource(ref, condition, options) {
      const bad = refProblem(ref, 'checkResource');
      if (bad) return errAsync(bad);
      return getFlag(ref, options)
        .map(fromWire)
        .map((flag) => {
          const valueOk = condition.value === undefined || flag.value === condition.value;
          const settledOk = condition.settled !== true || !flag.rollingOut;
          const expected = [
            ...(condition.value !== undefined ? [`value ${JSON.stringify(condition.value)}`] : []),
            ...(condition.settled ? ['no rollout in flight'] : []),
          ].join(' and ');
          return {
            passed: valueOk && settledOk,
            actual: { value: flag.value, rollingOut: flag.rollingOut },
            expected,
            summary: `flag ${flag.flag} is ${JSON.stringify(flag.value)}${flag.rollingOut ? ' (rolling out)' : ''}, expected ${expected}`,
          };
        });
    },
  };
}

function refProblem(ref: AcmeFlagRef, operation: string): FailoverError | undefined {
  return typeof ref?.flag === 'string' && ref.flag !== ''
    ? undefined
    : acmeFlagsRefusal('invalid-input', operation, 'An Acme Flags ref needs a flag key: { flag }.', 'ref');
}

function desiredProblem(desired: AcmeFlagDesired, operation: string): FailoverError | undefined {
  const value = (desired as { value?: unknown } | null)?.value;
  return ['string', 'number', 'boolean'].includes(typeof value)
    ? undefined
    : acmeFlagsRefusal(
        'invalid-input',
        operation,
        'The desired state is { value } (a string, number or boolean).',
        'desired',
      );
}

/** What the service would refuse of changing `observed` to `desired` (nothing when they agree). */
function refusal(desired: AcmeFlagDesired, observed: AcmeFlag, operation: string): FailoverError | undefined {
  if (desired.value === observed.value) return undefined;
  if (typeof desired.value !== observed.kind) {
    return acmeFlagsRefusal(
      'invalid-input',
      operation,
      `Flag ${observed.flag} takes a ${observed.kind}.`,
      'desired.value',
    );
  }
  if (observed.locked) {
    return acmeFlagsRefusal(
      'precondition-failed',
      operation,
      `Flag ${observed.flag} is locked: only an operator may change it.`,
      'desired.value',
    );
  }
  return undefined;
}
