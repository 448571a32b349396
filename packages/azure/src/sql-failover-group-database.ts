import type { FailoverGroup, SqlManagementClient } from '@azure/arm-sql';
import {
  type DatabaseCapabilities,
  type DatabaseDesiredState,
  type DatabaseFailoverV1,
  type DatabaseRef,
  type DatabaseTopology,
  type EnsureResult,
  errAsync,
  FailoverError,
  type OperationHandle,
  pollUntil,
  realTime,
  writerRegion,
} from '@failover/core';
import { azureCall } from './azure-call.js';
import type { AzureClients } from './azure-clients.js';
import { lroFailed } from './azure-error.js';
import { regionKey, resolveArmName } from './azure-resource-id.js';
import type { SqlFailoverGroupOptions } from './azure-settings.js';
import { type SqlMember, toTopology } from './sql-failover-group-topology.js';
import { beginTryPlannedBeforeForcedFailover, type FailoverGroupPoller } from './sql-try-planned-failover.js';

const provider = 'azure.sql';

type FailoverVia = 'failover' | 'forceFailoverAllowDataLoss' | 'tryPlannedBeforeForcedFailover';
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
  const capabilities: DatabaseCapabilities = { modes: ['planned', 'forced'], replicationLag: false };

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

  const read = async (client: SqlManagementClient, at: GroupAddress, id: string, signal?: AbortSignal) =>
    toTopology(
      id,
      await client.failoverGroups.get(at.resourceGroup, at.server, at.group, { abortSignal: signal }),
    );

  /** Starts the failover on the target server; the poller has sent the request (and, for SDK methods, one poll). */
  const start = async (
    client: SqlManagementClient,
    via: FailoverVia,
    at: GroupAddress,
    signal: AbortSignal | undefined,
    onAccepted: () => void,
  ): Promise<FailoverGroupPoller> => {
    const onResponse = (raw: { status: number; request: { method: string } }) => {
      if (raw.request.method === 'POST' && raw.status < 300) onAccepted();
    };
    switch (via) {
      case 'failover':
        return client.failoverGroups.beginFailover(at.resourceGroup, at.server, at.group, {
          abortSignal: signal,
          onResponse,
        });
      case 'forceFailoverAllowDataLoss':
        return client.failoverGroups.beginForceFailoverAllowDataLoss(at.resourceGroup, at.server, at.group, {
          abortSignal: signal,
          onResponse,
        });
      case 'tryPlannedBeforeForcedFailover': {
        const poller = await beginTryPlannedBeforeForcedFailover({
          client,
          httpClient: await clients.httpClient(),
          endpoint: clients.endpoint,
          subscriptionId: clients.settings.subscriptionId,
          ...at,
          apiVersion: options.tryPlannedApiVersion ?? '2023-08-01',
          ...(signal && { abortSignal: signal }),
        });
        onAccepted();
        return poller;
      }
    }
  };

  /** The poller of a started failover, rebuilt from its serialised state; it has polled once. */
  const resume = async (
    client: SqlManagementClient,
    detail: FailoverDetail,
    state: string,
    signal: AbortSignal | undefined,
  ): Promise<FailoverGroupPoller> => {
    const { resourceGroup, server, group } = detail;
    const resumeOptions = { resumeFrom: state, abortSignal: signal };
    switch (detail.via) {
      case 'failover':
        return client.failoverGroups.beginFailover(resourceGroup, server, group, resumeOptions);
      case 'forceFailoverAllowDataLoss':
        return client.failoverGroups.beginForceFailoverAllowDataLoss(
          resourceGroup,
          server,
          group,
          resumeOptions,
        );
      case 'tryPlannedBeforeForcedFailover': {
        const poller = await beginTryPlannedBeforeForcedFailover({
          client,
          httpClient: await clients.httpClient(),
          endpoint: clients.endpoint,
          subscriptionId: clients.settings.subscriptionId,
          resourceGroup,
          server,
          group,
          apiVersion: options.tryPlannedApiVersion ?? '2023-08-01',
          restoreFrom: state,
          ...(signal && { abortSignal: signal }),
        });
        await poller.poll({ abortSignal: signal });
        return poller;
      }
    }
  };

  return {
    specificationVersion: 'v1',
    kind: 'database',
    provider,
    capabilities,

    describe(ref, callOptions) {
      return azureCall(provider, 'describe', callOptions, async () => {
        const at = address(ref, 'describe');
        return (await read(await clients.sql(), at, ref.id, callOptions?.abortSignal)).topology;
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
          const via = failoverVia(desired);
          const client = await clients.sql();
          const signal = callOptions?.abortSignal;
          const { topology: before, members } = await read(client, at, ref.id, signal);
          const region = regionKey(desired.region);
          const writer = members.find((member) => member.role === 'writer');
          const wanted = (member: SqlMember) =>
            member.region === region &&
            (desired.memberId === undefined || [member.id, member.server].includes(desired.memberId));
          if (writer && wanted(writer)) return { before, changed: false };

          const candidates = members.filter((member) => member.role === 'reader' && wanted(member));
          if (candidates.length === 0) {
            throw new FailoverError({
              kind: 'precondition-failed',
              message: `Failover group ${at.group} has no ${desired.memberId ? `member "${desired.memberId}" ` : 'partner server '}in region ${desired.region}.`,
              provider,
              operation,
            });
          }
          if (candidates.length > 1) {
            throw invalid(
              `Failover group ${at.group} has several servers in ${desired.region}; name one with memberId.`,
              'memberId',
              operation,
            );
          }
          const target = candidates[0]!;
          if (via === 'failover' && target.status === 'unavailable') {
            throw new FailoverError({
              kind: 'precondition-failed',
              message: `Replication to ${target.server} is ${target.rawStatus}; a planned failover cannot complete. Use mode 'forced'.`,
              provider,
              operation,
            });
          }

          const targetAt: GroupAddress = {
            resourceGroup: target.resourceGroup,
            server: target.server,
            group: at.group,
          };
          const startedAt = time.now();
          let accepted = false;
          let state: string | undefined;
          try {
            state = (
              await start(client, via, targetAt, signal, () => {
                accepted = true;
              })
            ).toString();
          } catch (error) {
            // Both cases below leave a failover towards the target running without a poller
            // state to resume, so the handle's wait reads the group until the target is Primary:
            // - accepted, but the SDK's first poll failed over HTTP;
            // - refused as busy where the target is the group's only secondary: the running
            //   operation can only be a failover to it (a resumed run that lost its handle).
            const inFlight = !accepted && members.length === 2 && isBusy(error);
            if (!accepted && !inFlight) throw error;
            if (accepted && !isHttpError(error)) throw failedOperation(error, operationNames[via]);
          }
          const detail: FailoverDetail = {
            ...targetAt,
            refId: ref.id,
            via,
            targetServerId: target.id,
            targetRegion: target.region,
          };
          const operationId = state ? operationIdOf(state) : undefined;
          const handle: OperationHandle = {
            provider,
            operation: operationNames[via],
            ...(operationId !== undefined && { id: operationId }),
            startedAt,
            ...(state !== undefined && { state }),
            detail: { ...detail },
          };
          return { before, changed: true, handle };
        },
      );
    },

    waitForWriter(handle, waitOptions) {
      const operation = 'waitForWriter';
      const detail = failoverDetail(handle);
      if (FailoverError.isInstance(detail)) return errAsync(detail);
      let state = handle.state;
      let poller: FailoverGroupPoller | undefined;
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
        poll: () =>
          azureCall(provider, operation, waitOptions, async (context) => {
            const client = await clients.sql();
            const retry = () =>
              context.lastRetryAfterMs !== undefined ? { retryAfterMs: context.lastRetryAfterMs } : {};
            const readTarget = async () =>
              client.failoverGroups.get(detail.resourceGroup, detail.server, detail.group, {
                abortSignal: signal,
              });

            if (state === undefined) {
              const moved = writerMoved(await readTarget());
              return moved
                ? { done: true as const, value: moved }
                : { done: false as const, status: 'failover running', ...retry() };
            }
            try {
              if (poller) await poller.poll({ abortSignal: signal });
              else poller = await resume(client, detail, state, signal);
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
    },
  } satisfies DatabaseFailoverV1;
}

/** Which failover-group operation a desired state asks for, or invalid-input. */
function failoverVia(desired: DatabaseDesiredState): FailoverVia {
  const operation = 'ensureWriter';
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
