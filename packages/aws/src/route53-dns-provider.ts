import type {
  Change,
  ChangeResourceRecordSetsCommandOutput,
  GetChangeCommandOutput,
  GetHealthCheckCommandOutput,
  GetHealthCheckStatusCommandOutput,
  ListResourceRecordSetsCommandOutput,
  ResourceRecordSet,
  Route53Client,
} from '@aws-sdk/client-route-53';
import {
  attempt,
  type CallOptions,
  cancelledError,
  type DnsCapabilities,
  type DnsProviderV1,
  type DnsRecordRef,
  type DnsRecordSet,
  type EnsureResult,
  type FailoverResult,
  type OperationHandle,
  pollUntil,
  type WaitOptions,
} from '@failover/core';
import { awsSend, runAwsMethod } from './aws-call.js';
import type { AwsClients, AwsSdkModules } from './aws-clients.js';
import { type AwsErrorContext, awsFailure, mapAwsError } from './aws-error.js';
import type { AwsResourceAccess } from './aws-settings.js';
import { check, isNonEmptyString, isObject } from './aws-validate.js';
import { Route53HostedZones } from './route53-hosted-zones.js';
import {
  checkDesired,
  enabledOf,
  normalizeDnsName,
  type ObservedHealthCheck,
  planRecordChanges,
  toDnsRecordSet,
} from './route53-record-sets.js';

const provider = 'aws.route53';

/** Options of `dnsProvider()`. */
export interface Route53DnsProviderOptions extends AwsResourceAccess {
  /** Hosted zone id (`Z…`) or name used when a ref names no zone. Without either, the zone is found from the record name. */
  hostedZone?: string;
  /** Read each target's health (GetHealthCheckStatus) in `getRecordSet`. Default true. */
  observeHealth?: boolean;
  /** `MaxItems` of ListResourceRecordSets pages (1-300). Default 300. */
  pageSize?: number;
  /** First GetChange poll delay; polls back off from here. Default 5000 ms. */
  pollIntervalMs?: number;
}

/** A Route 53 `DnsProviderV1`, plus the SDK client as an escape hatch. */
export interface Route53DnsProvider extends DnsProviderV1 {
  readonly provider: 'aws.route53';
  /** The Route 53 client this provider uses (loaded and created on first use). */
  getClient(): Promise<Route53Client>;
}

const capabilities: DnsCapabilities = {
  routing: ['simple', 'weighted', 'failover'],
  disableTarget: true,
  createRecordSet: true,
  setTtl: true,
};

interface HealthUpdate {
  id: string;
  enable: boolean;
  version?: number;
}

/**
 * Route 53 record sets as `DnsProviderV1`: one name and type, its
 * SetIdentifiers as targets (failover PRIMARY = priority 1, SECONDARY = 2;
 * weights; a simple set's one target is `default`). A target leaves rotation
 * through its health check (Disabled + Inverted). Changes go in one atomic
 * change batch; waits poll GetChange until INSYNC.
 */
export function createRoute53DnsProvider(
  clients: AwsClients,
  options: Route53DnsProviderOptions = {},
): Route53DnsProvider {
  const { time } = clients.runtime;
  const zones = new Route53HostedZones(clients, provider);
  const pageSize = Math.min(300, Math.max(1, Math.floor(options.pageSize ?? 300)));

  const send = <T>(
    build: (sdk: AwsSdkModules['route53']) => unknown,
    operation: string,
    mutating: boolean,
    call: CallOptions,
  ) =>
    awsSend<T, 'route53'>(
      clients,
      { provider, service: 'route53', region: 'us-east-1', operation, mutating },
      build,
      call,
    );

  const run = <T>(
    operation: string,
    call: unknown,
    fn: (context: AwsErrorContext, call: CallOptions) => Promise<T>,
  ) => runAwsMethod(provider, operation, call, fn);

  function checkRef(ref: unknown, context: AwsErrorContext): { name: string; type: string; zone?: string } {
    check(isObject(ref), context, 'The record ref must be an object.');
    check(isNonEmptyString(ref.name), context, 'The record ref needs a name.', 'name');
    check(
      isNonEmptyString(ref.type),
      context,
      'Route 53 record sets have a type; the ref needs one (A, AAAA, CNAME...).',
      'type',
    );
    check(
      ref.zone === undefined || isNonEmptyString(ref.zone),
      context,
      'ref.zone must be a hosted zone id or name.',
      'zone',
    );
    return {
      name: normalizeDnsName(ref.name),
      type: ref.type.toUpperCase(),
      ...((ref.zone ?? options.hostedZone) !== undefined && {
        zone: (ref.zone as string | undefined) ?? options.hostedZone,
      }),
    };
  }

  /** Every record set of one name and type, across as many pages as it spans. */
  async function readRecords(
    zoneId: string,
    name: string,
    type: string,
    call: CallOptions,
  ): Promise<ResourceRecordSet[]> {
    const found: ResourceRecordSet[] = [];
    let start: { StartRecordName?: string; StartRecordType?: string; StartRecordIdentifier?: string } = {
      StartRecordName: name,
      StartRecordType: type,
    };
    for (;;) {
      const page = await send<ListResourceRecordSetsCommandOutput>(
        (sdk) =>
          new sdk.ListResourceRecordSetsCommand({
            HostedZoneId: zoneId,
            MaxItems: pageSize,
            ...start,
          } as never),
        'ListResourceRecordSets',
        false,
        call,
      );
      const records = page.ResourceRecordSets ?? [];
      const matching = records.filter(
        (record) => normalizeDnsName(record.Name ?? '') === name && record.Type === type,
      );
      found.push(...matching);
      // Pages are in name/type order: once a page ends past our set, we have all of it.
      if (!page.IsTruncated || matching.length < records.length) return found;
      start = {
        StartRecordName: page.NextRecordName,
        StartRecordType: page.NextRecordType,
        ...(page.NextRecordIdentifier !== undefined && { StartRecordIdentifier: page.NextRecordIdentifier }),
      };
      if (normalizeDnsName(page.NextRecordName ?? '') !== name || page.NextRecordType !== type) return found;
    }
  }

  async function readHealthChecks(ids: Iterable<string>, withStatus: boolean, call: CallOptions) {
    const checks = new Map<string, ObservedHealthCheck>();
    await Promise.all(
      [...new Set(ids)].map(async (id) => {
        const [config, status] = await Promise.all([
          send<GetHealthCheckCommandOutput>(
            (sdk) => new sdk.GetHealthCheckCommand({ HealthCheckId: id }),
            'GetHealthCheck',
            false,
            call,
          ),
          withStatus
            ? send<GetHealthCheckStatusCommandOutput>(
                (sdk) => new sdk.GetHealthCheckStatusCommand({ HealthCheckId: id }),
                'GetHealthCheckStatus',
                false,
                call,
              )
            : undefined,
        ]);
        const healthConfig = config.HealthCheck?.HealthCheckConfig;
        const observations = status?.HealthCheckObservations ?? [];
        const healthy = observations.filter((item) =>
          item.StatusReport?.Status?.startsWith('Success'),
        ).length;
        checks.set(id, {
          id,
          disabled: healthConfig?.Disabled ?? false,
          inverted: healthConfig?.Inverted ?? false,
          ...(config.HealthCheck?.HealthCheckVersion !== undefined && {
            version: config.HealthCheck.HealthCheckVersion,
          }),
          // Route 53 counts an endpoint healthy when more than 18% of its checkers say so.
          ...(status && observations.length > 0 && { endpointHealthy: healthy / observations.length > 0.18 }),
        });
      }),
    );
    return checks;
  }

  async function updateHealthCheck(update: HealthUpdate, call: CallOptions): Promise<void> {
    await send(
      (sdk) =>
        new sdk.UpdateHealthCheckCommand({
          HealthCheckId: update.id,
          Disabled: !update.enable,
          Inverted: !update.enable,
          ...(update.version !== undefined && { HealthCheckVersion: update.version }),
        }),
      'UpdateHealthCheck',
      true,
      call,
    );
  }

  const self: Route53DnsProvider = {
    specificationVersion: 'v1',
    kind: 'dns',
    provider,
    capabilities,

    getClient: async () => (await clients.get('route53', 'us-east-1')).client,

    getRecordSet(ref: DnsRecordRef, call?: CallOptions): FailoverResult<DnsRecordSet> {
      return run('getRecordSet', call, async (context, callOptions) => {
        const { name, type, zone } = checkRef(ref, context);
        const zoneId = await zones.resolve(zone, name, context, callOptions);
        const records = await readRecords(zoneId, name, type, callOptions);
        if (records.length === 0)
          throw awsFailure(
            'not-found',
            context,
            `No ${type} record set named ${name} in hosted zone ${zoneId}.`,
          );
        const checks = await readHealthChecks(
          records.flatMap((record) => (record.HealthCheckId ? [record.HealthCheckId] : [])),
          options.observeHealth ?? true,
          callOptions,
        );
        return toDnsRecordSet(name, type, records, checks, context);
      });
    },

    ensureRecordSet(
      ref: DnsRecordRef,
      desired: DnsRecordSet,
      call?: CallOptions,
    ): FailoverResult<EnsureResult<DnsRecordSet | null>> {
      return run('ensureRecordSet', call, async (context, callOptions) => {
        const { name, type, zone } = checkRef(ref, context);
        checkDesired(desired, context);
        check(
          desired.type === undefined || desired.type === '' || desired.type.toUpperCase() === type,
          context,
          `The desired record set is ${desired.type}, the ref ${type}.`,
          'type',
        );
        const zoneId = await zones.resolve(zone, name, context, callOptions);
        const current = await readRecords(zoneId, name, type, callOptions);
        const checkIds = [
          ...current,
          ...desired.targets.map((target) => ({ HealthCheckId: target.healthCheckId })),
        ].flatMap((record) => (record.HealthCheckId ? [record.HealthCheckId] : []));
        const checks = await readHealthChecks(checkIds, false, callOptions);
        const before = current.length > 0 ? toDnsRecordSet(name, type, current, checks, context) : null;

        const changes: Change[] = planRecordChanges(name, type, current, desired, context);
        const healthUpdates: HealthUpdate[] = [];
        for (const target of desired.targets) {
          if (
            target.healthCheckId === undefined ||
            healthUpdates.some((update) => update.id === target.healthCheckId)
          )
            continue;
          const observed = checks.get(target.healthCheckId);
          if (enabledOf(observed) !== target.enabled) {
            healthUpdates.push({
              id: target.healthCheckId,
              enable: target.enabled,
              ...(observed?.version !== undefined && { version: observed.version }),
            });
          }
        }
        if (changes.length === 0 && healthUpdates.length === 0) return { before, changed: false };
        if (callOptions.abortSignal?.aborted)
          throw cancelledError(provider, 'ensureRecordSet', callOptions.abortSignal.reason);

        // Bring targets into rotation before traffic moves to them, take them out after.
        for (const update of healthUpdates.filter((item) => item.enable))
          await updateHealthCheck(update, callOptions);
        let changeId: string | undefined;
        if (changes.length > 0) {
          const out = await send<ChangeResourceRecordSetsCommandOutput>(
            (sdk) =>
              new sdk.ChangeResourceRecordSetsCommand({
                HostedZoneId: zoneId,
                ChangeBatch: { Comment: `@failover: ${name} ${type}`, Changes: changes },
              }),
            'ChangeResourceRecordSets',
            true,
            callOptions,
          );
          changeId = out.ChangeInfo?.Id?.replace(/^\/change\//, '');
        }
        for (const update of healthUpdates.filter((item) => !item.enable))
          await updateHealthCheck(update, callOptions);

        const handle: OperationHandle = {
          provider,
          operation: changeId ? 'ChangeResourceRecordSets' : 'UpdateHealthCheck',
          ...(changeId !== undefined && { id: changeId }),
          startedAt: time.now(),
          detail: {
            zoneId,
            name,
            type,
            changes: changes.length,
            healthChecks: healthUpdates.map((update) => update.id),
          },
        };
        return { before, changed: true, handle };
      });
    },

    waitForChange(handle: OperationHandle, wait: WaitOptions): FailoverResult<void> {
      return run('waitForChange', wait, async (context, callOptions) => {
        check(isObject(handle), context, 'The handle must be an object.', 'handle');
        check(
          handle.provider === provider,
          context,
          `The handle is not from ${provider}.`,
          'handle.provider',
        );
        check(
          isObject(wait) && typeof wait.timeoutMs === 'number' && wait.timeoutMs >= 0,
          context,
          'waitForChange needs a timeoutMs.',
          'timeoutMs',
        );
        // Health-check updates are applied when UpdateHealthCheck returns: nothing to wait for.
        if (handle.id === undefined) {
          check(
            handle.operation === 'UpdateHealthCheck',
            context,
            'The handle has no change id.',
            'handle.id',
          );
          return;
        }
        check(isNonEmptyString(handle.id), context, 'The handle has no change id.', 'handle.id');
        const changeId = handle.id;
        const result = await pollUntil<void>({
          time,
          provider,
          operation: 'waitForChange',
          timeoutMs: wait.timeoutMs,
          pollIntervalMs: wait.pollIntervalMs ?? options.pollIntervalMs ?? 5_000,
          ...(callOptions.abortSignal && { abortSignal: callOptions.abortSignal }),
          poll: () =>
            attempt(
              async () => {
                const out = await send<GetChangeCommandOutput>(
                  (sdk) => new sdk.GetChangeCommand({ Id: changeId }),
                  'GetChange',
                  false,
                  callOptions,
                );
                const status = out.ChangeInfo?.Status;
                return status === 'INSYNC'
                  ? { done: true as const, value: undefined }
                  : { done: false as const, ...(status && { status }) };
              },
              { provider, operation: 'GetChange' },
              (thrown) => mapAwsError(thrown, { provider, operation: 'GetChange' }),
            ),
        });
        if (result.isErr()) throw result.error;
      });
    },
  };
  return self;
}
