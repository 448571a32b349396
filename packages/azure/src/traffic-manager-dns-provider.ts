import type { Endpoint, TrafficManagerManagementClient } from '@azure/arm-trafficmanager';
import {
  type DnsCapabilities,
  type DnsChangeOutcome,
  type DnsProviderV1,
  type DnsRecordRef,
  type DnsRecordSet,
  diffDnsRecordSet,
  type EnsureResult,
  errAsync,
  FailoverError,
  type OperationHandle,
  pollUntil,
  realTime,
} from '@failover/core';
import { azureCall } from './azure-call.js';
import type { AzureClients } from './azure-clients.js';
import { resolveArmName } from './azure-resource-id.js';
import type { TrafficManagerOptions } from './azure-settings.js';
import { type EndpointChange, endpointDifferences } from './traffic-manager-change-plan.js';
import { methodOf, type ObservedProfile, observeProfile, present } from './traffic-manager-record-set.js';
import { validateDesiredRecordSet } from './traffic-manager-validation.js';

const provider = 'azure.trafficmanager';
/** One health-probe period (Traffic Manager's default 30 s interval): what a change usually takes to show. */
const expectedProbeMs = 30_000;

/** Where a profile lives; kept in the handle so a resumed wait finds it again. */
interface ProfileAddress {
  resourceGroup: string;
  profile: string;
}

interface ChangeDetail extends ProfileAddress {
  desired: DnsRecordSet;
}

/**
 * Traffic Manager as a `DnsProviderV1`. A profile is a record set (ref: `zone` =
 * resource group, `name` = profile name or ARM id); its endpoints are the
 * targets. `ensureRecordSet` reads the profile once and sends at most one
 * PATCH: of the one endpoint that differs, or of the profile carrying every
 * endpoint (applied at once, so traffic never has nowhere to go). It also
 * implements `batching` (key: the profile) and `precheckRecordSet`.
 * Traffic Manager applies changes synchronously, so `waitForChange` waits for
 * the profile to show them and for the active endpoint's health probe to report
 * it `Online`.
 */
export function createTrafficManagerDnsProvider(
  clients: AzureClients,
  options: TrafficManagerOptions = {},
): DnsProviderV1 {
  const time = clients.settings.time ?? realTime;
  const priorityRouting = options.priorityRouting ?? 'priority';
  const recordType = options.recordType ?? 'CNAME';
  const capabilities: DnsCapabilities = {
    routing:
      priorityRouting === 'failover'
        ? ['failover', 'weighted', 'geo', 'simple']
        : ['priority', 'weighted', 'geo', 'simple'],
    disableTarget: true,
    createRecordSet: false,
    setTtl: true,
    // Weights 1-1000 and no 0: 1 % is 10, and 0 % takes the endpoint out of rotation.
    weightScale: { perPercent: 10, max: 1000, integer: true, zero: 'disable' },
  };

  const address = (ref: DnsRecordRef, operation: string): ProfileAddress => {
    if (typeof ref !== 'object' || ref === null) {
      throw new FailoverError({
        kind: 'invalid-input',
        message: 'The record ref must be an object.',
        provider,
        operation,
      });
    }
    const resolved = resolveArmName({
      ref: ref.zone && !String(ref.name ?? '').startsWith('/') ? `${ref.zone}/${ref.name}` : ref.name,
      field: 'ref.name',
      shape: ['profile'],
      typeSegments: ['trafficmanagerprofiles'],
      defaults: [options.resourceGroup ?? clients.settings.resourceGroup],
      provider,
      operation,
    });
    if (FailoverError.isInstance(resolved)) throw resolved;
    return { resourceGroup: resolved.resourceGroup, profile: resolved.names[0]! };
  };

  const observe = async (
    client: TrafficManagerManagementClient,
    at: ProfileAddress,
    signal?: AbortSignal,
  ) => {
    const profile = await client.profiles.get(at.resourceGroup, at.profile, { abortSignal: signal });
    return observeProfile(profile, { name: profile.name ?? at.profile, recordType, priorityRouting });
  };

  /**
   * Observes the profile and sends at most one mutating call: the one endpoint PATCH when a
   * single endpoint differs and the profile itself does not, otherwise one profile PATCH that
   * carries the TTL / routing method and every endpoint (the REST spec's `Profiles_Update`
   * body is the whole `Profile` model, endpoints included). That update is applied at once,
   * so a priority swap needs no temporary priority and traffic never has nowhere to go.
   */
  const apply = async (
    at: ProfileAddress,
    desired: DnsRecordSet,
    signal: AbortSignal | undefined,
  ): Promise<EnsureResult<DnsRecordSet | null>> => {
    validateDesiredRecordSet(desired, provider);
    const client = await clients.trafficManager();
    const observed = await observe(client, at, signal);
    const before = observed.recordSet;
    const target = completeDesired(observed, desired);
    if (diffDnsRecordSet(before, target).length === 0) return { before, changed: false };

    const startedAt = time.now();
    const profilePatch = profileChanges(observed, target);
    const changes = endpointDifferences(before, target);
    // A difference the service has no field for (e.g. `priority` vs `failover`, both Priority): nothing to send.
    if (!profilePatch && changes.length === 0) return { before, changed: false };
    let operation: string;
    if (!profilePatch && changes.length === 1) {
      const [change] = changes;
      await client.endpoints.update(
        at.resourceGroup,
        at.profile,
        observed.endpoints.get(change!.name)!.type,
        change!.name,
        change!.properties,
        { abortSignal: signal },
      );
      operation = 'Endpoints_Update';
    } else {
      const endpoints = changes.length > 0 ? endpointsWith(observed, changes) : undefined;
      await client.profiles.update(
        at.resourceGroup,
        at.profile,
        { ...profilePatch, ...(endpoints && { endpoints }) },
        { abortSignal: signal },
      );
      operation = 'Profiles_Update';
    }
    const detail: ChangeDetail = { ...at, desired: withoutHealth(target) };
    const handle: OperationHandle = {
      provider,
      operation,
      startedAt,
      detail: JSON.parse(JSON.stringify(detail)) as Record<string, unknown>,
    };
    return { before, changed: true, handle };
  };

  return {
    specificationVersion: 'v1',
    kind: 'dns',
    provider,
    capabilities,

    getRecordSet(ref, callOptions) {
      return azureCall(provider, 'getRecordSet', callOptions, async () => {
        const at = address(ref, 'getRecordSet');
        return (await observe(await clients.trafficManager(), at, callOptions?.abortSignal)).recordSet;
      });
    },

    ensureRecordSet(ref, desired, callOptions) {
      return azureCall(provider, 'ensureRecordSet', callOptions, async () =>
        apply(address(ref, 'ensureRecordSet'), desired, callOptions?.abortSignal),
      );
    },

    precheckRecordSet(ref, desired, _observed, callOptions) {
      // Read-only: the refusals of ensureRecordSet, from one GET of the profile.
      return azureCall(provider, 'precheckRecordSet', callOptions, async () => {
        const at = address(ref, 'precheckRecordSet');
        validateDesiredRecordSet(desired, provider);
        completeDesired(await observe(await clients.trafficManager(), at, callOptions?.abortSignal), desired);
      });
    },

    batching: {
      batchKey(ref) {
        try {
          const at = address(ref, 'batchKey');
          return `${at.resourceGroup}/${at.profile}`.toLowerCase();
        } catch {
          return `invalid:${JSON.stringify(ref)}`;
        }
      },
      ensureRecordSets(changes, callOptions) {
        return azureCall(provider, 'ensureRecordSets', callOptions, async () => {
          // A profile is one record set, so a batch holds at most one change per profile that
          // can be sent; each is already one call. Profiles are changed side by side.
          const seen = new Set<string>();
          return Promise.all(
            changes.map(async ({ ref, desired }): Promise<DnsChangeOutcome> => {
              const outcome = await azureCall(provider, 'ensureRecordSet', callOptions, async () => {
                const at = address(ref, 'ensureRecordSet');
                const key = `${at.resourceGroup}/${at.profile}`.toLowerCase();
                if (seen.has(key)) {
                  throw new FailoverError({
                    kind: 'invalid-input',
                    message: `Profile ${at.profile} appears twice in one batch; a profile holds one record set.`,
                    provider,
                    operation: 'ensureRecordSets',
                  });
                }
                seen.add(key);
                return apply(at, desired, callOptions?.abortSignal);
              });
              return outcome.isOk()
                ? { ok: true, result: outcome.value }
                : { ok: false, error: outcome.error };
            }),
          );
        });
      },
    },

    waitForChange(handle, waitOptions) {
      const operation = 'waitForChange';
      const detail = changeDetail(handle);
      if (FailoverError.isInstance(detail)) return errAsync(detail);
      return pollUntil<void>({
        time,
        provider,
        operation,
        timeoutMs: waitOptions?.timeoutMs ?? 0,
        pollIntervalMs: waitOptions?.pollIntervalMs ?? 5_000,
        ...(waitOptions?.abortSignal && { abortSignal: waitOptions.abortSignal }),
        // Applied at once; what takes time is the new active endpoint's health probe.
        expectedDurationMs: waitOptions?.expectedDurationMs ?? expectedProbeMs,
        startedAt: handle.startedAt,
        poll: () =>
          azureCall(provider, operation, waitOptions, async (context) => {
            const observed = await observe(await clients.trafficManager(), detail, waitOptions?.abortSignal);
            const pending = diffDnsRecordSet(observed.recordSet, detail.desired);
            const retryAfterMs = context.lastRetryAfterMs;
            if (pending.length > 0) {
              return {
                done: false as const,
                status: `profile still differs at ${pending[0]!.path}`,
                ...(retryAfterMs !== undefined && { retryAfterMs }),
              };
            }
            const probe = activeProbeStatus(observed);
            return probe === undefined
              ? { done: true as const, value: undefined }
              : { done: false as const, status: probe };
          }),
      });
    },
  } satisfies DnsProviderV1;
}

/** The desired record set with what it leaves out taken from the profile (Traffic Manager always has them). */
function completeDesired(observed: ObservedProfile, desired: DnsRecordSet): DnsRecordSet {
  const currentIds = new Set(observed.recordSet.targets.map((target) => target.id));
  const desiredIds = new Set(desired.targets.map((target) => target.id));
  const added = desired.targets.find((target) => !currentIds.has(target.id));
  const removed = observed.recordSet.targets.find((target) => !desiredIds.has(target.id));
  if (added || removed) {
    throw new FailoverError({
      kind: 'unsupported',
      message: `Traffic Manager endpoints are not created or deleted by the adapter (${added ? `"${added.id}" is not in the profile` : `"${removed!.id}" is missing from the desired state`}).`,
      provider,
      operation: 'ensureRecordSet',
    });
  }
  if (desired.routing !== observed.recordSet.routing && !methodOf(desired.routing)) {
    throw new FailoverError({
      kind: 'unsupported',
      message: `Cannot switch a profile to "${desired.routing}" routing; only Priority and Weighted routing methods are written.`,
      provider,
      operation: 'ensureRecordSet',
    });
  }
  const byId = new Map(observed.recordSet.targets.map((target) => [target.id, target]));
  const targets = desired.targets.map((want) => {
    const have = byId.get(want.id)!;
    const info = observed.endpoints.get(want.id)!;
    if (info.hasResourceTarget && want.values.length > 0 && want.values.join() !== have.values.join()) {
      throw new FailoverError({
        kind: 'unsupported',
        message: `Endpoint "${want.id}" targets an Azure resource; its target is not changed by the adapter.`,
        provider,
        operation: 'ensureRecordSet',
        path: `targets.${want.id}.values`,
      });
    }
    return {
      ...want,
      values: want.values.length > 0 ? want.values : have.values,
      weight: want.weight ?? have.weight,
      priority: want.priority ?? have.priority,
      location: want.location ?? have.location,
    } as typeof want;
  });
  const priorities = targets.map((target) => target.priority).filter((priority) => priority !== undefined);
  if (new Set(priorities).size !== priorities.length) {
    throw new FailoverError({
      kind: 'invalid-input',
      message: 'Traffic Manager endpoint priorities must be unique within a profile.',
      provider,
      operation: 'ensureRecordSet',
      path: 'targets',
    });
  }
  return {
    ...desired,
    name: observed.recordSet.name,
    type: observed.recordSet.type,
    targets: targets.map(dropUndefined),
  };
}

/**
 * Every endpoint of the profile as read, with the changes applied: what a profile update
 * must carry so that nothing else changes. Read-only and null properties are left out, and
 * an Azure-resource endpoint keeps its `targetResourceId` rather than a `target`.
 */
function endpointsWith(observed: ObservedProfile, changes: readonly EndpointChange[]): Endpoint[] {
  const byName = new Map(changes.map((change) => [change.name, change.properties]));
  return [...observed.endpoints.values()].map(({ raw, hasResourceTarget }) => {
    const kept = Object.fromEntries(
      Object.entries(raw).filter(
        ([key, value]) =>
          present(value) && key !== 'endpointMonitorStatus' && !(hasResourceTarget && key === 'target'),
      ),
    ) as Endpoint;
    return { ...kept, ...byName.get(raw.name ?? '') };
  });
}

function profileChanges(observed: ObservedProfile, target: DnsRecordSet) {
  const ttl = target.ttl !== observed.recordSet.ttl;
  const method = target.routing !== observed.recordSet.routing ? methodOf(target.routing) : undefined;
  if (!ttl && (!method || method === observed.routingMethod)) return undefined;
  return {
    ...(ttl && {
      dnsConfig: {
        ttl: target.ttl,
        ...(observed.relativeName !== undefined && { relativeName: observed.relativeName }),
      },
    }),
    ...(method && method !== observed.routingMethod && { trafficRoutingMethod: method }),
  };
}

/**
 * Why the traffic is not yet safely on its active endpoint, or undefined when it is:
 * an active endpoint still being probed, or (priority routing) the best one not Online.
 */
function activeProbeStatus(observed: ObservedProfile): string | undefined {
  if (observed.profileStatus !== 'Enabled') return undefined;
  const enabled = observed.recordSet.targets.filter((target) => target.enabled);
  const routing = observed.recordSet.routing;
  const active =
    routing === 'priority' || routing === 'failover'
      ? enabled.sort((a, b) => (a.priority ?? 1001) - (b.priority ?? 1001)).slice(0, 1)
      : routing === 'weighted'
        ? enabled.filter((target) => (target.weight ?? 0) > 0)
        : enabled;
  if (active.length === 0) return undefined;
  const statuses = active.map((target) => ({
    id: target.id,
    status: observed.endpoints.get(target.id)?.monitorStatus,
  }));
  const probing = statuses.find(({ status }) => status === 'CheckingEndpoint');
  if (probing) return `endpoint ${probing.id} is CheckingEndpoint`;
  if (statuses.some(({ status }) => status === 'Online' || status === 'Unmonitored')) return undefined;
  return `endpoint ${statuses[0]!.id} is ${statuses[0]!.status ?? 'unknown'}`;
}

function changeDetail(handle: OperationHandle): ChangeDetail | FailoverError {
  const detail = (handle as Partial<OperationHandle> | undefined)?.detail as
    | Partial<ChangeDetail>
    | undefined;
  if (
    (handle as Partial<OperationHandle> | undefined)?.provider !== provider ||
    typeof detail?.resourceGroup !== 'string' ||
    typeof detail.profile !== 'string' ||
    typeof detail.desired !== 'object' ||
    detail.desired === null ||
    !Array.isArray(detail.desired.targets)
  ) {
    return new FailoverError({
      kind: 'invalid-input',
      message: `The handle is not a ${provider} change handle.`,
      provider,
      operation: 'waitForChange',
      path: 'handle',
    });
  }
  return detail as ChangeDetail;
}

function withoutHealth(recordSet: DnsRecordSet): DnsRecordSet {
  return { ...recordSet, targets: recordSet.targets.map(({ health: _health, ...target }) => target) };
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
