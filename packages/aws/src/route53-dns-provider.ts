import type {
  Change,
  ChangeResourceRecordSetsCommandOutput,
  GetChangeCommandOutput,
  GetHealthCheckCommandOutput,
  GetHealthCheckStatusCommandOutput,
  GetHostedZoneCommandOutput,
  ListResourceRecordSetsCommandOutput,
  ResourceRecordSet,
  Route53Client,
} from '@aws-sdk/client-route-53';
import {
  type CallOptions,
  cancelledError,
  type DnsCapabilities,
  type DnsChange,
  type DnsChangeOutcome,
  type DnsObservation,
  type DnsProviderV1,
  type DnsRecordRef,
  type DnsRecordSet,
  type EnsureResult,
  FailoverError,
  type FailoverResult,
  type OperationHandle,
  type WaitOptions,
} from '@failover/core';
import { awsPollUntil, awsSend, runAwsMethod } from './aws-call.js';
import type { AwsClients, AwsSdkModules } from './aws-clients.js';
import { type AwsErrorContext, awsFailure, invalidInput, mapAwsError } from './aws-error.js';
import { awsExpectedDurationMs } from './aws-expected-durations.js';
import { sendOrFindInFlight } from './aws-lost-answer.js';
import type { AwsResourceAccess } from './aws-settings.js';
import { check, isNonEmptyString, isObject } from './aws-validate.js';
import { packChangeGroups } from './route53-change-batches.js';
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
  // Weights 0-255 with 0 meaning no traffic: a percentage is its own weight.
  weightScale: { perPercent: 1, max: 255, integer: true, zero: 'weight' },
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

  /**
   * Every record set of one name and type. Reads of one zone that arrive together are
   * coalesced: when more are waiting than the zone has pages, one scan of the whole zone
   * answers them all (a fleet of 1,000 names in a zone of 2,000 records: 7 calls, not
   * 1,000, under Route 53's five requests a second). A lone read reads its own name.
   */
  function readRecords(
    zoneId: string,
    name: string,
    type: string,
    call: CallOptions,
  ): Promise<ResourceRecordSet[]> {
    return new Promise((resolve, reject) => {
      const queue = pendingReads.get(zoneId) ?? [];
      queue.push({ name, type, call, resolve, reject });
      pendingReads.set(zoneId, queue);
      if (queue.length === 1) setImmediate(() => void flushReads(zoneId));
    });
  }

  interface PendingRead {
    name: string;
    type: string;
    call: CallOptions;
    resolve: (records: ResourceRecordSet[]) => void;
    reject: (error: unknown) => void;
  }
  const pendingReads = new Map<string, PendingRead[]>();
  /** Records per zone, from GetHostedZone, to weigh a scan against single reads. */
  const zoneSizes = new Map<string, number>();
  /** Fewer waiting reads than this are always read one by one. */
  const scanThreshold = 8;

  async function flushReads(zoneId: string): Promise<void> {
    const queue = pendingReads.get(zoneId) ?? [];
    pendingReads.delete(zoneId);
    const readAlone = (read: PendingRead) =>
      readOneName(zoneId, read.name, read.type, read.call).then(read.resolve, read.reject);
    if (queue.length < scanThreshold) {
      await Promise.all(queue.map(readAlone));
      return;
    }
    const first = queue[0]!.call;
    // The scan serves every waiting read: it carries no one caller's abort signal.
    const scanCall: CallOptions = {
      ...(first.onApiCall && { onApiCall: first.onApiCall }),
      ...(first.deadlineAt !== undefined && { deadlineAt: first.deadlineAt }),
    };
    let pages: number;
    try {
      pages = Math.ceil((await zoneSize(zoneId, scanCall)) / pageSize);
    } catch {
      pages = Number.POSITIVE_INFINITY;
    }
    if (queue.length <= pages) {
      await Promise.all(queue.map(readAlone));
      return;
    }
    try {
      const all = await scanZone(zoneId, scanCall);
      for (const read of queue)
        read.resolve(
          all.filter(
            (record) => normalizeDnsName(record.Name ?? '') === read.name && record.Type === read.type,
          ),
        );
    } catch (thrown) {
      for (const read of queue) read.reject(thrown);
    }
  }

  async function zoneSize(zoneId: string, call: CallOptions): Promise<number> {
    const known = zoneSizes.get(zoneId);
    if (known !== undefined) return known;
    const out = await send<GetHostedZoneCommandOutput>(
      (sdk) => new sdk.GetHostedZoneCommand({ Id: zoneId }),
      'GetHostedZone',
      false,
      call,
    );
    const size = out.HostedZone?.ResourceRecordSetCount ?? Number.POSITIVE_INFINITY;
    zoneSizes.set(zoneId, size);
    return size;
  }

  /** Every record of the zone, page after page; a page that repeats stops the scan with an error. */
  async function scanZone(zoneId: string, call: CallOptions): Promise<ResourceRecordSet[]> {
    const found: ResourceRecordSet[] = [];
    let start: { StartRecordName?: string; StartRecordType?: string; StartRecordIdentifier?: string } = {};
    const seen = new Set<string>();
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
      found.push(...(page.ResourceRecordSets ?? []));
      if (!page.IsTruncated) return found;
      start = {
        StartRecordName: page.NextRecordName,
        StartRecordType: page.NextRecordType,
        ...(page.NextRecordIdentifier !== undefined && { StartRecordIdentifier: page.NextRecordIdentifier }),
      };
      const key = JSON.stringify([start.StartRecordName, start.StartRecordType, start.StartRecordIdentifier]);
      if (seen.has(key))
        throw awsFailure(
          'unexpected',
          { provider, operation: 'ListResourceRecordSets' },
          `Route 53 returned the same page of zone ${zoneId} twice; paging stopped.`,
          { retryable: true },
        );
      seen.add(key);
    }
  }

  /** Every record set of one name and type, across as many pages as it spans. */
  async function readOneName(
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
    const seen = new Set<string>();
    for (;;) {
      // A page that starts where an earlier one did makes no progress: stop rather than loop for ever.
      const startKey = JSON.stringify([
        start.StartRecordName,
        start.StartRecordType,
        start.StartRecordIdentifier,
      ]);
      if (seen.has(startKey))
        throw awsFailure(
          'unexpected',
          { provider, operation: 'ListResourceRecordSets' },
          `Route 53 returned the same page of ${name} ${type} twice (next record ${start.StartRecordName} ${start.StartRecordType} ${start.StartRecordIdentifier ?? ''}); paging stopped.`,
          { retryable: true },
        );
      seen.add(startKey);
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

  /** What one record set's ensure observed and would change. */
  interface ChangePlan {
    zoneId: string;
    name: string;
    type: string;
    desired: DnsRecordSet;
    before: DnsRecordSet | null;
    changes: Change[];
    healthUpdates: HealthUpdate[];
  }

  /** What an observed record set was built from: `precheckRecordSet` plans on it instead of reading again. */
  interface Observation {
    zoneId: string;
    records: ResourceRecordSet[];
    checks: Map<string, ObservedHealthCheck>;
  }
  const observations = new WeakMap<DnsRecordSet, Observation>();
  const remember = (view: DnsRecordSet, observation: Observation): DnsRecordSet => {
    observations.set(view, observation);
    return view;
  };

  /**
   * Observes one record set and plans its changes: every read and check `ensureRecordSet`
   * makes, and no mutation. Given an observation (a pre-check), plans on its records
   * and reads only the health checks it lacks.
   */
  async function planChange(
    ref: unknown,
    desired: unknown,
    context: AwsErrorContext,
    call: CallOptions,
    seen?: Observation,
  ): Promise<ChangePlan> {
    const { name, type, zone } = checkRef(ref, context);
    checkDesired(desired, context);
    check(
      desired.type === undefined || desired.type === '' || desired.type.toUpperCase() === type,
      context,
      `The desired record set is ${desired.type}, the ref ${type}.`,
      'type',
    );
    const zoneId = await zones.resolve(zone, name, context, call);
    const observation = seen?.zoneId === zoneId ? seen : undefined;
    const current = observation ? observation.records : await readRecords(zoneId, name, type, call);
    const checkIds = [
      ...current,
      ...desired.targets.map((target) => ({ HealthCheckId: target.healthCheckId })),
    ].flatMap((record) => (record.HealthCheckId ? [record.HealthCheckId] : []));
    const checks = await readHealthChecks(
      checkIds.filter((id) => !observation?.checks.has(id)),
      false,
      call,
    );
    for (const [id, check] of observation?.checks ?? []) if (!checks.has(id)) checks.set(id, check);
    const before = current.length > 0 ? toDnsRecordSet(name, type, current, checks, context) : null;
    const changes = planRecordChanges(name, type, current, desired, context);
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
    return { zoneId, name, type, desired, before, changes, healthUpdates };
  }

  /**
   * Applies planned changes in as few calls as Route 53 allows: health checks that
   * bring targets into rotation first, then one ChangeResourceRecordSets per zone
   * (split at the batch limits, one after another, since a zone takes one change at
   * a time), then health checks that take targets out. One outcome per plan, in order.
   */
  async function applyPlans(plans: readonly ChangePlan[], call: CallOptions): Promise<DnsChangeOutcome[]> {
    const failed = new Map<ChangePlan, FailoverError>();
    const changeIds = new Map<ChangePlan, string | 'lost'>();
    const acting = plans.filter((plan) => plan.changes.length > 0 || plan.healthUpdates.length > 0);
    if (acting.length > 0 && call.abortSignal?.aborted)
      throw cancelledError(provider, 'ensureRecordSet', call.abortSignal.reason);

    // One health check shared by plans that want it both in and out of rotation cannot be done.
    const wanted = new Map<string, boolean>();
    for (const plan of acting)
      for (const update of plan.healthUpdates) {
        const seen = wanted.get(update.id);
        if (seen !== undefined && seen !== update.enable) {
          for (const other of acting.filter((item) => item.healthUpdates.some((u) => u.id === update.id)))
            failed.set(
              other,
              invalidInput(
                { provider, operation: 'ensureRecordSet' },
                `Health check ${update.id} would be both in and out of rotation in one batch.`,
                'targets',
              ),
            );
        }
        wanted.set(update.id, update.enable);
      }

    const runHealthUpdates = async (enable: boolean) => {
      const done = new Set<string>();
      for (const plan of acting) {
        if (failed.has(plan)) continue;
        for (const update of plan.healthUpdates.filter((item) => item.enable === enable)) {
          if (done.has(update.id)) continue;
          done.add(update.id);
          try {
            await updateHealthCheck(update, call);
          } catch (thrown) {
            const error = mapAwsError(thrown, { provider, operation: 'UpdateHealthCheck' });
            for (const other of acting.filter((item) => item.healthUpdates.some((u) => u.id === update.id)))
              if (!failed.has(other)) failed.set(other, error);
          }
        }
      }
    };

    // Bring targets into rotation before traffic moves to them, take them out after.
    await runHealthUpdates(true);
    const byZone = new Map<string, ChangePlan[]>();
    for (const plan of acting) {
      if (failed.has(plan) || plan.changes.length === 0) continue;
      byZone.set(plan.zoneId, [...(byZone.get(plan.zoneId) ?? []), plan]);
    }
    await Promise.all(
      [...byZone].map(async ([zoneId, zonePlans]) => {
        for (const batch of packChangeGroups(zonePlans.map((plan) => plan.changes))) {
          await sendBatch(
            zoneId,
            batch.map((index) => zonePlans[index]!),
            call,
            changeIds,
            failed,
          );
        }
      }),
    );
    await runHealthUpdates(false);

    return plans.map((plan): DnsChangeOutcome => {
      const error = failed.get(plan);
      if (error) return { ok: false, error };
      if (!acting.includes(plan)) return { ok: true, result: { before: plan.before, changed: false } };
      const changeId = changeIds.get(plan);
      const handle: OperationHandle = {
        provider,
        operation: changeId ? 'ChangeResourceRecordSets' : 'UpdateHealthCheck',
        ...(changeId !== undefined && changeId !== 'lost' && { id: changeId }),
        startedAt: time.now(),
        detail: {
          zoneId: plan.zoneId,
          name: plan.name,
          type: plan.type,
          changes: plan.changes.length,
          healthChecks: plan.healthUpdates.map((update) => update.id),
          ...(changeId === 'lost' && { changeIdLost: true }),
        },
      };
      return { ok: true, result: { before: plan.before, changed: true, handle } };
    });
  }

  /**
   * One ChangeResourceRecordSets for the plans of one zone. PriorRequestNotComplete and
   * throttling are waited out by the call helper. A lost answer is checked by reading
   * the record sets again; a batch Route 53 refuses as invalid is sent again one
   * record set at a time, so one bad change does not hold back the others.
   */
  async function sendBatch(
    zoneId: string,
    batch: ChangePlan[],
    call: CallOptions,
    changeIds: Map<ChangePlan, string | 'lost'>,
    failed: Map<ChangePlan, FailoverError>,
  ): Promise<void> {
    const comment =
      batch.length === 1
        ? `@failover: ${batch[0]!.name} ${batch[0]!.type}`
        : `@failover: ${batch.length} record sets`;
    try {
      const changeId = await sendOrFindInFlight<string>(
        async () => {
          const out = await send<ChangeResourceRecordSetsCommandOutput>(
            (sdk) =>
              new sdk.ChangeResourceRecordSetsCommand({
                HostedZoneId: zoneId,
                ChangeBatch: { Comment: comment, Changes: batch.flatMap((plan) => plan.changes) },
              }),
            'ChangeResourceRecordSets',
            true,
            call,
          );
          return out.ChangeInfo?.Id?.replace(/^\/change\//, '') ?? 'lost';
        },
        // Route 53 cannot list changes, so a lost change id stays lost; the records tell whether it applied.
        async () => {
          for (const plan of batch) {
            const now = await readRecords(zoneId, plan.name, plan.type, call);
            const context = { provider, operation: 'ChangeResourceRecordSets' };
            if (planRecordChanges(plan.name, plan.type, now, plan.desired, context).length > 0)
              return undefined;
          }
          return 'lost';
        },
      );
      for (const plan of batch) changeIds.set(plan, changeId);
    } catch (thrown) {
      const error = mapAwsError(thrown, { provider, operation: 'ChangeResourceRecordSets' });
      if (error.kind === 'invalid-input' && batch.length > 1) {
        for (const plan of batch) await sendBatch(zoneId, [plan], call, changeIds, failed);
        return;
      }
      for (const plan of batch) failed.set(plan, error);
    }
  }

  /** Changes seen INSYNC, so later waits on the same batch need no call. */
  const inSync = new Set<string>();
  /** GetChange polls in flight, so the steps of one batch share one wait. */
  const waits = new Map<string, Promise<void>>();

  async function pollChange(
    changeId: string,
    startedAt: number,
    wait: WaitOptions,
    context: AwsErrorContext,
    call: CallOptions,
  ) {
    await awsPollUntil<void>({
      time,
      context,
      wait: { ...wait, expectedDurationMs: wait.expectedDurationMs ?? awsExpectedDurationMs.route53Change },
      intervalMs: options.pollIntervalMs ?? 5_000,
      ...(Number.isFinite(startedAt) && { startedAt }),
      ...(call.abortSignal && { abortSignal: call.abortSignal }),
      poll: async () => {
        const out = await send<GetChangeCommandOutput>(
          (sdk) => new sdk.GetChangeCommand({ Id: changeId }),
          'GetChange',
          false,
          call,
        );
        const status = out.ChangeInfo?.Status;
        return status === 'INSYNC'
          ? { done: true as const, value: undefined }
          : { done: false as const, ...(status && { status }) };
      },
    });
    if (inSync.size >= 10_000) inSync.clear();
    inSync.add(changeId);
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
        return remember(toDnsRecordSet(name, type, records, checks, context), { zoneId, records, checks });
      });
    },

    ensureRecordSet(
      ref: DnsRecordRef,
      desired: DnsRecordSet,
      call?: CallOptions,
    ): FailoverResult<EnsureResult<DnsRecordSet | null>> {
      return run('ensureRecordSet', call, async (context, callOptions) => {
        const plan = await planChange(ref, desired, context, callOptions);
        const [outcome] = await applyPlans([plan], callOptions);
        if (!outcome!.ok) throw outcome!.error;
        return outcome!.result;
      });
    },

    precheckRecordSet(
      ref: DnsRecordRef,
      desired: DnsRecordSet,
      observed: DnsRecordSet,
      call?: CallOptions,
    ): FailoverResult<void> {
      // The same checks as ensureRecordSet, stopping before the first mutating call, on the
      // records the observation was built from when this provider made it (else read again).
      return run('precheckRecordSet', call, async (context, callOptions) => {
        await planChange(ref, desired, context, callOptions, observations.get(observed));
      });
    },

    batching: {
      batchKey(ref: DnsRecordRef): string {
        const zone =
          (isObject(ref) && typeof ref.zone === 'string' ? ref.zone : undefined) ?? options.hostedZone;
        if (zone !== undefined) {
          const id = /^(?:\/hostedzone\/)?([A-Z0-9]{1,32})$/.exec(zone.trim());
          return `${provider}:${id ? id[1] : normalizeDnsName(zone)}`;
        }
        // No zone named: names under one parent are most likely in one zone.
        const name = isObject(ref) && typeof ref.name === 'string' ? normalizeDnsName(ref.name) : '';
        return `${provider}:parent:${name.slice(name.indexOf('.') + 1)}`;
      },

      observeRecordSets(refs: readonly DnsRecordRef[], call?: CallOptions): FailoverResult<DnsObservation[]> {
        return run('observeRecordSets', call, async (context, callOptions) => {
          check(Array.isArray(refs), context, 'refs must be an array.', 'refs');
          const refContext = { provider, operation: 'getRecordSet' };
          const located = await Promise.all(
            refs.map(async (ref) => {
              try {
                const { name, type, zone } = checkRef(ref, refContext);
                return { name, type, zoneId: await zones.resolve(zone, name, refContext, callOptions) };
              } catch (thrown) {
                return mapAwsError(thrown, refContext);
              }
            }),
          );
          // Queued in one turn, the reads of one zone are answered by one paginated scan of
          // the zone when that takes fewer calls than reading each name.
          const found = await Promise.all(
            located.map((item) =>
              FailoverError.isInstance(item)
                ? item
                : readRecords(item.zoneId, item.name, item.type, callOptions).catch((thrown: unknown) =>
                    mapAwsError(thrown, refContext),
                  ),
            ),
          );
          const checkIds = found.flatMap((records) =>
            FailoverError.isInstance(records)
              ? []
              : records.flatMap((record) => (record.HealthCheckId ? [record.HealthCheckId] : [])),
          );
          const checks = await readHealthChecks(checkIds, options.observeHealth ?? true, callOptions);
          return found.map((records, index): DnsObservation => {
            if (FailoverError.isInstance(records)) return { ok: false, error: records };
            const { name, type, zoneId } = located[index] as { name: string; type: string; zoneId: string };
            if (records.length === 0)
              return {
                ok: false,
                error: awsFailure(
                  'not-found',
                  refContext,
                  `No ${type} record set named ${name} in hosted zone ${zoneId}.`,
                ),
              };
            try {
              return {
                ok: true,
                recordSet: remember(toDnsRecordSet(name, type, records, checks, refContext), {
                  zoneId,
                  records,
                  checks,
                }),
              };
            } catch (thrown) {
              return { ok: false, error: mapAwsError(thrown, refContext) };
            }
          });
        });
      },

      ensureRecordSets(
        changes: readonly DnsChange[],
        call?: CallOptions,
      ): FailoverResult<DnsChangeOutcome[]> {
        return run('ensureRecordSets', call, async (context, callOptions) => {
          check(Array.isArray(changes), context, 'changes must be an array.', 'changes');
          const planned = await Promise.all(
            changes.map(async (change): Promise<ChangePlan | FailoverError> => {
              const changeContext = { provider, operation: 'ensureRecordSet' };
              try {
                check(isObject(change), changeContext, 'Each change needs a ref and a desired record set.');
                return await planChange(change.ref, change.desired, changeContext, callOptions);
              } catch (thrown) {
                return mapAwsError(thrown, changeContext);
              }
            }),
          );
          const plans = planned.filter((item): item is ChangePlan => !FailoverError.isInstance(item));
          const applied = await applyPlans(plans, callOptions);
          const byPlan = new Map(plans.map((plan, index) => [plan, applied[index]!]));
          return planned.map((item) =>
            FailoverError.isInstance(item) ? { ok: false as const, error: item } : byPlan.get(item)!,
          );
        });
      },
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
          const lost = isObject(handle.detail) && handle.detail.changeIdLost === true;
          check(
            handle.operation === 'UpdateHealthCheck' ||
              (handle.operation === 'ChangeResourceRecordSets' && lost),
            context,
            'The handle has no change id.',
            'handle.id',
          );
          return;
        }
        check(isNonEmptyString(handle.id), context, 'The handle has no change id.', 'handle.id');
        const changeId = handle.id;
        if (inSync.has(changeId)) return;
        const shared = waits.get(changeId);
        if (shared) {
          // Another step of the same batch is already polling: share its answer.
          const outcome = await shared.then(
            () => true,
            () => false,
          );
          if (outcome) return;
        }
        const polling = pollChange(changeId, handle.startedAt, wait, context, callOptions);
        waits.set(changeId, polling);
        try {
          await polling;
        } finally {
          if (waits.get(changeId) === polling) waits.delete(changeId);
        }
      });
    },
  };
  return self;
}
