import type { FailoverGroup, SqlManagementClient } from '@azure/arm-sql';
import {
  type CallOptions,
  type DatabaseCapabilities,
  type DatabaseDesiredState,
  type DatabaseFailoverV1,
  type DatabaseRef,
  type DatabaseTopology,
  databaseMatches,
  type EnsureResult,
  errAsync,
  FailoverError,
  type OperationHandle,
  pollUntil,
  realTime,
  type WaitOptions,
  writerRegion,
} from '@failover/core';
import { azureCall } from './azure-call.js';
import { callContexts, runInCall } from './azure-call-context.js';
import type { AzureClients } from './azure-clients.js';
import { lroFailed } from './azure-error.js';
import { waitForFirstPoll } from './azure-lro-first-poll.js';
import { regionKey, resolveArmName } from './azure-resource-id.js';
import { retryAfterMs as headerRetryAfterMs } from './azure-retry-after.js';
import type { SqlFailoverGroupOptions } from './azure-settings.js';
import {
  beginFailoverGroupAction,
  type FailoverGroupAction,
  type FailoverGroupPoller,
} from './sql-failover-group-action.js';
import { noLagReader, observeGroupLag, withLag } from './sql-failover-group-lag.js';
import { type SqlMember, serverAddress, toTopology } from './sql-failover-group-topology.js';

const provider = 'azure.sql';

type FailoverVia = FailoverGroupAction;

/** What `@azure/arm-sql` 10 sends for failover groups; the planned and forced failovers use it too. */
const failoverGroupsApiVersion = '2020-11-01-preview';
/** How long a failover usually takes: the wait's schedule starts from it. */
const expectedFailoverMs: Record<FailoverVia, number> = {
  failover: 60_000,
  forceFailoverAllowDataLoss: 30_000,
  tryPlannedBeforeForcedFailover: 60_000,
};
/**
 * A failover whose answer was lost (a 5xx, a reset) may never have been applied, and the
 * group's GET cannot tell a running failover from none. Past this many expected durations
 * without the writer moving, the wait gives up with a retryable not-found, so the step's
 * retry sends the failover again; one still running then answers 409 FailoverGroupBusy,
 * which ensureWriter waits out instead of failing.
 */
const lostAnswerGraceFactor = 4;
/** How long ensureWriter re-observes a busy group when the call has no deadline. */
const defaultBusyBudgetMs = 2 * 60_000;
/** Between two looks at a busy group, when the 409 names no Retry-After. */
const busyRetryMs = 10_000;
const operationNames: Record<FailoverVia, string> = {
  failover: 'FailoverGroups_Failover',
  forceFailoverAllowDataLoss: 'FailoverGroups_ForceFailoverAllowDataLoss',
  tryPlannedBeforeForcedFailover: 'FailoverGroups_TryPlannedBeforeForcedFailover',
};

/** Where a failover group copy lives: a server in a resource group. */
interface GroupAddress {
  resourceGroup: string;
  server: string;
  group: string;
}

/** What a resumed `waitForWriter` needs, stored in the handle as plain JSON. */
interface FailoverDetail extends GroupAddress {
  refId: string;
  via: FailoverVia;
  targetServerId: string;
  targetRegion: string;
  /** The Retry-After of the 202: the first poll waits that long after the handle's `startedAt`. */
  firstPollAfterMs?: number;
}

/** Options under `providerOptions['azure.sql']` of a desired state. */
export interface SqlProviderOptions {
  /**
   * With mode `forced`: use `tryPlannedBeforeForcedFailover`, which fails over without
   * data loss when the primary answers and with data loss only when it does not.
   */
  tryPlannedBeforeForced?: boolean;
}

/**
 * An Azure SQL failover group as a `DatabaseFailoverV1`. The ref id is the
 * group's ARM id on any member server, `resourceGroup/server/group`,
 * `server/group` or `group` (with defaults for the rest). `planned` is the
 * group's failover (no data loss), `forced` is forceFailoverAllowDataLoss, and
 * `forced` with `{ 'azure.sql': { tryPlannedBeforeForced: true } }` is
 * tryPlannedBeforeForcedFailover. Each is issued on the secondary server that
 * must become primary, as ARM requires; the wait follows the operation's poller
 * (its serialised state is in the handle) until that server is Primary.
 */
export function createSqlFailoverGroupDatabase(
  clients: AzureClients,
  options: SqlFailoverGroupOptions = {},
): DatabaseFailoverV1 {
  const time = clients.settings.time ?? realTime;
  const lagReader = options.lagReader;
  // Only a lag reader gives a figure: ARM reports a replication state word, not a lag.
  const capabilities: DatabaseCapabilities = {
    modes: ['planned', 'forced'],
    replicationLag: lagReader !== undefined,
  };

  const address = (ref: DatabaseRef, operation: string): GroupAddress => {
    const resolved = resolveArmName({
      ref: (ref as Partial<DatabaseRef> | undefined)?.id,
      field: 'ref.id',
      shape: ['server', 'failoverGroup'],
      typeSegments: ['servers', 'failoverGroups'],
      defaults: [options.resourceGroup ?? clients.settings.resourceGroup, options.server],
      provider,
      operation,
    });
    if (FailoverError.isInstance(resolved)) throw resolved;
    return { resourceGroup: resolved.resourceGroup, server: resolved.names[0]!, group: resolved.names[1]! };
  };

  /** How long a partner server is read for before it counts as unreachable (its region dark). */
  const partnerReadBudgetMs = 30_000;

  /**
   * The group as the ref's server reports it, with each partner's own replication state
   * (it is per server): read from the partner's copy of the group when that server answers.
   * A partner that does not (its region is down) is left out of the combination.
   */
  const read = async (client: SqlManagementClient, at: GroupAddress, id: string, signal?: AbortSignal) => {
    const group = await client.failoverGroups.get(at.resourceGroup, at.server, at.group, {
      abortSignal: signal,
    });
    const partnerStates = new Map<string, string | undefined>();
    await Promise.all(
      (group.partnerServers ?? []).map(async (partner) => {
        const partnerAt = serverAddress(partner.id);
        if (!partnerAt) return;
        try {
          const get = () =>
            client.failoverGroups.get(partnerAt.resourceGroup, partnerAt.server, at.group, {
              abortSignal: signal,
            });
          // The partner's region may be the dark one: its retries get a short budget, not the
          // call's whole deadline, so a forced failover from the survivor is not held up.
          const current = callContexts().getStore();
          const budget = time.now() + partnerReadBudgetMs;
          const copy = current
            ? await runInCall({ ...current, deadlineAt: Math.min(current.deadlineAt ?? budget, budget) }, get)
            : await get();
          partnerStates.set(partner.id.toLowerCase(), copy.replicationState ?? undefined);
        } catch (error) {
          if (signal?.aborted) throw error;
          // Unreachable partner: judge from what the reachable servers say.
        }
      }),
    );
    return { ...toTopology(id, group, partnerStates), group };
  };

  /** The group's lag through the reader (its own errors as thrown FailoverErrors). */
  const lagOf = (
    observed: Awaited<ReturnType<typeof read>>,
    at: GroupAddress,
    refId: string,
    call: CallOptions | undefined,
  ) => {
    if (!lagReader) throw noLagReader(at.group);
    return observeGroupLag({
      reader: lagReader,
      refId,
      group: observed.group,
      groupName: at.group,
      members: observed.members,
      now: time.now(),
      ...(call && { call }),
    });
  };

  const action = (
    via: FailoverVia,
    at: GroupAddress,
    signal: AbortSignal | undefined,
    restoreFrom?: string,
  ) =>
    clients.httpClient().then(async (httpClient) =>
      beginFailoverGroupAction({
        action: via,
        client: await clients.sql(),
        httpClient,
        endpoint: clients.endpoint,
        subscriptionId: clients.settings.subscriptionId,
        resourceGroup: at.resourceGroup,
        server: at.server,
        group: at.group,
        apiVersion:
          via === 'tryPlannedBeforeForcedFailover'
            ? (options.tryPlannedApiVersion ?? '2023-08-01')
            : failoverGroupsApiVersion,
        ...(signal && { abortSignal: signal }),
        ...(restoreFrom !== undefined && { restoreFrom }),
      }),
    );

  /**
   * Failovers this adapter sent whose answer never came (a 5xx or a dropped connection after
   * the request left): the service may have taken them. Keyed by group; the next ensureWriter
   * towards the same target waits on it instead of sending it again.
   */
  const unanswered = new Map<string, { via: FailoverVia; target: GroupAddress; sentAt: number }>();
  const groupKey = (at: GroupAddress) => `${at.resourceGroup}/${at.server}/${at.group}`.toLowerCase();

  /** Whether the group already is the desired state (the same comparison the executor makes). */
  const matches = (members: readonly SqlMember[], desired: DatabaseDesiredState, id: string): boolean => {
    const named = members.find((member) => [member.id, member.server].includes(desired.memberId ?? '\u0000'));
    return databaseMatches(
      {
        id,
        members: members.map(({ resourceGroup: _g, server: _s, ...member }) => member),
        failoverInProgress: false,
      },
      {
        ...desired,
        region: regionKey(desired.region),
        ...(named && { memberId: named.id }),
      },
    );
  };

  /** The member to promote, or the error ensureWriter (and its pre-check) refuses with. */
  const pickTarget = (
    members: readonly SqlMember[],
    desired: DatabaseDesiredState,
    via: FailoverVia,
    group: string,
    operation: string,
  ): SqlMember => {
    const region = regionKey(desired.region);
    const wanted = (member: SqlMember) =>
      member.region === region &&
      (desired.memberId === undefined || [member.id, member.server].includes(desired.memberId));
    const candidates = members.filter((member) => member.role === 'reader' && wanted(member));
    if (candidates.length === 0) {
      throw new FailoverError({
        kind: 'precondition-failed',
        message: `Failover group ${group} has no ${desired.memberId ? `member "${desired.memberId}" ` : 'partner server '}in region ${desired.region}.`,
        provider,
        operation,
      });
    }
    if (candidates.length > 1) {
      throw invalid(
        `Failover group ${group} has several servers in ${desired.region}; name one with memberId.`,
        'memberId',
        operation,
      );
    }
    const target = candidates[0]!;
    // A planned failover needs the link in sync; forced ones (and try-planned) do not.
    if (via === 'failover' && target.status === 'unavailable') {
      throw new FailoverError({
        kind: 'precondition-failed',
        message: `Replication of failover group ${group} is SUSPENDED (read from ${members
          .filter((member) => member.rawStatus !== undefined)
          .map((member) => `${member.server}: ${member.rawStatus}`)
          .join(', ')}); a planned failover cannot complete. Use mode 'forced'.`,
        provider,
        operation,
      });
    }
    return target;
  };

  return {
    specificationVersion: 'v1',
    kind: 'database',
    provider,
    capabilities,

    describe(ref, callOptions) {
      return azureCall(provider, 'describe', callOptions, async () => {
        const at = address(ref, 'describe');
        const observed = await read(await clients.sql(), at, ref.id, callOptions?.abortSignal);
        if (!lagReader) return observed.topology;
        // Best effort, as the contract says: a lag that cannot be read is left unset, not an error.
        const lag = await lagOf(observed, at, ref.id, callOptions).catch((error: unknown) => {
          if (callOptions?.abortSignal?.aborted) throw error;
          return undefined;
        });
        return lag ? withLag(observed.topology, lag) : observed.topology;
      });
    },

    observeReplicationLag(ref, callOptions) {
      const operation = 'observeReplicationLag';
      return azureCall(provider, operation, callOptions, async () => {
        const at = address(ref, operation);
        if (!lagReader) throw noLagReader(at.group);
        return lagOf(
          await read(await clients.sql(), at, ref.id, callOptions?.abortSignal),
          at,
          ref.id,
          callOptions,
        );
      });
    },

    precheckWriter(ref, desired, _observed, callOptions) {
      // Read-only: the refusals of ensureWriter, from the group as its servers report it now
      // (the replication state is per server, which a topology alone does not carry).
      const operation = 'precheckWriter';
      return azureCall(provider, operation, callOptions, async () => {
        const at = address(ref, operation);
        const via = failoverVia(desired, operation);
        const { members } = await read(await clients.sql(), at, ref.id, callOptions?.abortSignal);
        if (matches(members, desired, ref.id)) return;
        pickTarget(members, desired, via, at.group, operation);
      });
    },

    ensureWriter(ref, desired, callOptions) {
      const operation = 'ensureWriter';
      return azureCall(
        provider,
        operation,
        callOptions,
        async (): Promise<EnsureResult<DatabaseTopology>> => {
          const at = address(ref, operation);
          const via = failoverVia(desired, operation);
          const client = await clients.sql();
          const signal = callOptions?.abortSignal;
          const { topology: before, members } = await read(client, at, ref.id, signal);
          if (matches(members, desired, ref.id)) return { before, changed: false };

          // Our own failover may be in flight, its answer lost: wait on it, never send it again.
          const lost = unanswered.get(groupKey(at));
          if (lost) {
            unanswered.delete(groupKey(at));
            const target = pickTarget(members, desired, via, at.group, operation);
            if (lost.via === via && lost.target.server.toLowerCase() === target.server.toLowerCase()) {
              const detail: FailoverDetail = {
                ...lost.target,
                refId: ref.id,
                via,
                targetServerId: target.id,
                targetRegion: target.region,
              };
              // No poller state to resume: the wait reads the group until the target is Primary.
              const handle: OperationHandle = {
                provider,
                operation: operationNames[via],
                startedAt: lost.sentAt,
                detail: { ...detail },
              };
              return { before, changed: true, handle };
            }
          }

          // A 409 FailoverGroupBusy says only that some operation runs on the group (a
          // failover, a database being added…): wait, look again, and act on what is seen
          // then, never assume it is ours. Within the step's deadline; past it, a retryable
          // conflict (the executor's retry observes again).
          const budgetEnds = callOptions?.deadlineAt ?? time.now() + defaultBusyBudgetMs;
          let current = members;
          for (;;) {
            const target = pickTarget(current, desired, via, at.group, operation);
            const targetAt: GroupAddress = {
              resourceGroup: target.resourceGroup,
              server: target.server,
              group: at.group,
            };
            const startedAt = time.now();
            try {
              const started = await action(via, targetAt, signal);
              const state = started.poller.toString();
              const detail: FailoverDetail = {
                ...targetAt,
                refId: ref.id,
                via,
                targetServerId: target.id,
                targetRegion: target.region,
                ...(started.retryAfterMs !== undefined && { firstPollAfterMs: started.retryAfterMs }),
              };
              const operationId = operationIdOf(state);
              const handle: OperationHandle = {
                provider,
                operation: operationNames[via],
                ...(operationId !== undefined && { id: operationId }),
                startedAt,
                state,
                detail: { ...detail },
              };
              return { before, changed: true, handle };
            } catch (error) {
              if (answerLost(error))
                unanswered.set(groupKey(at), { via, target: targetAt, sentAt: startedAt });
              if (!isBusy(error)) throw error;
              const pause = busyPause(error);
              if (time.now() + pause > budgetEnds) throw busyConflict(at.group, error);
              await time.sleep(pause, signal);
              const again = await read(client, at, ref.id, signal);
              if (matches(again.members, desired, ref.id)) return { before, changed: false };
              current = again.members;
            }
          }
        },
      );
    },

    waitForWriter(handle, waitOptions) {
      return waitForFailover(handle, waitOptions).mapErr((error) =>
        // Not retried by the poll loop (it ends the wait), but by the step: `not-found`
        // (no operation behind this handle) makes the executor observe and ensure again,
        // and that ensure finds no failover of ours remembered and sends it again.
        error.cause === lostFailoverMarker
          ? new FailoverError({
              ...error.toJSON(),
              kind: 'not-found',
              retryable: true,
              provider,
              operation: 'waitForWriter',
            })
          : error,
      );
    },
  } satisfies DatabaseFailoverV1;

  function waitForFailover(handle: OperationHandle, waitOptions: WaitOptions) {
    const operation = 'waitForWriter';
    const detail = failoverDetail(handle);
    if (FailoverError.isInstance(detail)) return errAsync(detail);
    let state = handle.state;
    let poller: FailoverGroupPoller | undefined;
    let first = true;
    const signal = waitOptions?.abortSignal;

    const writerMoved = (group: FailoverGroup): DatabaseTopology | undefined => {
      const { topology } = toTopology(detail.refId, group);
      return writerRegion(topology) === detail.targetRegion ? topology : undefined;
    };

    return pollUntil<DatabaseTopology>({
      time,
      provider,
      operation,
      timeoutMs: waitOptions?.timeoutMs ?? 0,
      pollIntervalMs: waitOptions?.pollIntervalMs ?? 10_000,
      ...(signal && { abortSignal: signal }),
      expectedDurationMs: waitOptions?.expectedDurationMs ?? expectedFailoverMs[detail.via],
      startedAt: handle.startedAt,
      poll: () =>
        azureCall(provider, operation, waitOptions, async (context) => {
          if (first) {
            first = false;
            await waitForFirstPoll(time, handle.startedAt, detail.firstPollAfterMs, signal);
          }
          const client = await clients.sql();
          const retry = () =>
            context.lastRetryAfterMs !== undefined ? { retryAfterMs: context.lastRetryAfterMs } : {};
          const readTarget = async () =>
            client.failoverGroups.get(detail.resourceGroup, detail.server, detail.group, {
              abortSignal: signal,
            });

          if (state === undefined) {
            const moved = writerMoved(await readTarget());
            if (moved) return { done: true as const, value: moved };
            if (time.now() - handle.startedAt > lostAnswerGraceFactor * expectedFailoverMs[detail.via]) {
              throw lostFailoverNotApplied(operationNames[detail.via], time.now() - handle.startedAt);
            }
            return { done: false as const, status: 'failover running', ...retry() };
          }
          try {
            poller ??= (await action(detail.via, detail, signal, state)).poller;
            await poller.poll({ abortSignal: signal });
            state = poller.toString();
          } catch (error) {
            // core-lro marks its state failed on any HTTP error of a poll, a 429 included:
            // drop that poller and resume from the last good state on the next poll.
            poller = undefined;
            throw failedOperation(error, operationNames[detail.via]);
          }
          if (!poller.isDone()) {
            return { done: false as const, status: poller.getOperationState().status, ...retry() };
          }
          const result = poller.getResult();
          const moved = (result && writerMoved(result)) || writerMoved(await readTarget());
          return moved
            ? { done: true as const, value: moved }
            : { done: false as const, status: 'operation done; waiting for the roles to swap', ...retry() };
        }),
    });
  }
}

const lostFailoverMarker = Symbol('lost failover not applied');

function lostFailoverNotApplied(operation: string, elapsedMs: number): FailoverError {
  return new FailoverError({
    kind: 'unexpected',
    retryable: false,
    message: `The ${operation} whose answer was lost has not moved the writer in ${Math.round(elapsedMs / 1000)} s: it was most likely never applied, so a retry of the step sends it again.`,
    provider,
    operation: 'waitForWriter',
    cause: lostFailoverMarker,
  });
}

/** Which failover-group operation a desired state asks for, or invalid-input. */
function failoverVia(desired: DatabaseDesiredState, operation: string): FailoverVia {
  if (typeof desired !== 'object' || desired === null)
    throw invalid('The desired state must be an object.', '', operation);
  if (typeof desired.region !== 'string' || desired.region.trim() === '') {
    throw invalid('The desired state needs a region.', 'region', operation);
  }
  if (desired.mode !== 'planned' && desired.mode !== 'forced') {
    throw invalid(`Mode must be 'planned' or 'forced', not '${String(desired.mode)}'.`, 'mode', operation);
  }
  if (desired.memberId !== undefined && typeof desired.memberId !== 'string') {
    throw invalid('memberId must be a string.', 'memberId', operation);
  }
  if (desired.zone !== undefined) {
    throw new FailoverError({
      kind: 'unsupported',
      message:
        'A failover group fails over between servers (regions), not availability zones; leave zone out.',
      provider,
      operation,
      path: 'zone',
    });
  }
  const own = (desired.providerOptions?.[provider] ?? {}) as SqlProviderOptions;
  if (own.tryPlannedBeforeForced !== undefined && typeof own.tryPlannedBeforeForced !== 'boolean') {
    throw invalid(
      'tryPlannedBeforeForced must be a boolean.',
      `providerOptions.${provider}.tryPlannedBeforeForced`,
      operation,
    );
  }
  if (desired.mode === 'planned') {
    if (own.tryPlannedBeforeForced) {
      throw invalid(
        "tryPlannedBeforeForced may lose data when the primary does not answer, so it needs mode 'forced'.",
        `providerOptions.${provider}.tryPlannedBeforeForced`,
        operation,
      );
    }
    return 'failover';
  }
  return own.tryPlannedBeforeForced ? 'tryPlannedBeforeForcedFailover' : 'forceFailoverAllowDataLoss';
}

function failoverDetail(handle: OperationHandle): FailoverDetail | FailoverError {
  const candidate = handle as Partial<OperationHandle> | undefined;
  const detail = candidate?.detail as Partial<FailoverDetail> | undefined;
  const strings = ['resourceGroup', 'server', 'group', 'refId', 'targetServerId', 'targetRegion'] as const;
  if (
    candidate?.provider !== provider ||
    !detail ||
    strings.some((key) => typeof detail[key] !== 'string') ||
    (detail.firstPollAfterMs !== undefined && typeof detail.firstPollAfterMs !== 'number') ||
    !(detail.via && detail.via in operationNames) ||
    (candidate.state !== undefined && typeof candidate.state !== 'string')
  ) {
    return invalid(`The handle is not a ${provider} failover handle.`, 'handle', 'waitForWriter');
  }
  return detail as FailoverDetail;
}

/** The async operation id, from the status-monitor URL the poller follows. */
function operationIdOf(state: string): string | undefined {
  try {
    const config = (JSON.parse(state) as { state?: { config?: { operationLocation?: string } } }).state
      ?.config;
    const location = config?.operationLocation;
    return location
      ? new URL(location, 'https://management.azure.com').pathname.split('/').at(-1)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A poll that threw: an HTTP error for the mapper, or ARM's `Failed`/`Canceled` end of the operation. */
function failedOperation(error: unknown, operation: string): unknown {
  if (isHttpError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return /long-running operation has failed|Operation was canceled/i.test(message)
    ? lroFailed(provider, operation, message, error)
    : error;
}

/**
 * A failure after which the request may have been applied: a 5xx, a timeout, a dropped
 * connection. A 4xx is the service's refusal: nothing was started.
 */
function answerLost(error: unknown): boolean {
  const candidate = error as { name?: string; statusCode?: number; code?: string } | undefined;
  if (candidate?.name !== 'RestError') return false;
  return candidate.statusCode === undefined || candidate.statusCode >= 500 || candidate.statusCode === 408;
}

/** How long to leave a busy group alone: its Retry-After, or 10 s. */
function busyPause(error: unknown): number {
  const headers = (error as { response?: { headers?: { get(name: string): string | undefined } } })?.response
    ?.headers;
  return headerRetryAfterMs(headers) ?? busyRetryMs;
}

function busyConflict(group: string, cause: unknown): FailoverError {
  return new FailoverError({
    kind: 'conflict',
    message: `Failover group ${group} stayed busy with another operation (409 FailoverGroupBusy) until the step's deadline; the desired state is observed again on retry.`,
    provider,
    operation: 'ensureWriter',
    retryable: true,
    cause,
  });
}

function isBusy(error: unknown): boolean {
  const candidate = error as { name?: string; statusCode?: number; code?: string } | undefined;
  return (
    candidate?.name === 'RestError' && candidate.statusCode === 409 && candidate.code === 'FailoverGroupBusy'
  );
}

function isHttpError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'RestError' || error.name === 'AbortError');
}

function invalid(message: string, path: string, operation: string): FailoverError {
  return new FailoverError({ kind: 'invalid-input', message, provider, operation, path });
}
