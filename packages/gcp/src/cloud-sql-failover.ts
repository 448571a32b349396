import {
  type CallOptions,
  cancelledError,
  type DatabaseCapabilities,
  type DatabaseFailoverV1,
  type DatabaseTopology,
  type EnsureResult,
  err,
  type FailoverError,
  FailoverError as FailoverErrorClass,
  type OperationHandle,
  ok,
  type PollOutcome,
  pollUntil,
  type Result,
} from '@failover/core';
import type { sqladmin_v1 } from '@googleapis/sqladmin';
import { parseCloudSqlOptions } from './cloud-sql-options.js';
import {
  type CloudSqlState,
  drReplicaOf,
  getInstance,
  readCloudSql,
  type SqlInstance,
} from './cloud-sql-topology.js';
import { gcpCall, invalidInput, runGcp } from './gcp-call.js';
import type { GcpClients } from './gcp-clients.js';
import { operationFailure } from './gcp-error.js';
import { parseInstanceRef } from './gcp-refs.js';
import { waitProblem } from './gcp-wait.js';

/** Options of `createGcp(...).databaseFailover()`. */
export interface CloudSqlFailoverOptions {
  /** Project of the instances. Default: the `createGcp()` project. */
  project?: string;
}

const provider = 'gcp.sql';

type SqlOperationName = 'instances.switchover' | 'instances.promoteReplica' | 'instances.failover';

interface WriterDetail {
  project: string;
  /** The Cloud SQL operation to wait on. */
  operationName: string;
  /** The instance that must be the writer afterwards. */
  target: string;
  region: string;
  /** With HA failover: the zone the primary must serve from. */
  zone?: string;
  /** The database id the step named, kept as the topology id. */
  ref: string;
}

/**
 * Cloud SQL as a `DatabaseFailoverV1`. `describe` reads the primary and its
 * replicas. `ensureWriter` moves the primary: `planned` is a switchover to the
 * primary's DR replica (no data loss, needs both sides up), `forced` promotes a
 * replica in the target region (`failover=true` for the DR replica), and the
 * `ha-failover` strategy fails a REGIONAL primary over to its standby zone,
 * sending the settings version it just read (a stale one is re-read once).
 * `waitForWriter` waits for the operation to be DONE — an operation error is a
 * typed failure — and for the target to be the available writer.
 */
export function createCloudSqlFailover(
  clients: GcpClients,
  options: CloudSqlFailoverOptions = {},
): DatabaseFailoverV1 {
  const capabilities: DatabaseCapabilities = { modes: ['planned', 'forced'], replicationLag: false };

  const locate = (ref: unknown, operation: string) => {
    const parsed = parseInstanceRef(ref);
    if (!parsed)
      return err(
        invalidInput(
          provider,
          operation,
          'The database ref id must be a Cloud SQL instance name (or project:instance).',
          'ref.id',
        ),
      );
    return ok(parsed);
  };

  const describeFrom = async (ref: { id: string }, call: CallOptions | undefined, operation: string) => {
    const at = locate(ref, operation);
    if (at.isErr()) return err(at.error);
    const project = await clients.project(provider, operation, at.value.project ?? options.project);
    return readCloudSql(clients, project, at.value.instance, ref.id, call).then((result) =>
      result.map((state) => ({ state, project })),
    );
  };

  return {
    specificationVersion: 'v1',
    kind: 'database',
    provider,
    capabilities,

    describe(ref, call) {
      return runGcp(provider, 'describe', async () => {
        if (call?.abortSignal?.aborted) return err(cancelled('instances.get', call.abortSignal.reason));
        const read = await describeFrom(ref, call, 'instances.get');
        return read.map(({ state }) => state.topology);
      });
    },

    ensureWriter(ref, desired, call) {
      return runGcp<EnsureResult<DatabaseTopology>>(provider, 'ensureWriter', async () => {
        if (typeof desired !== 'object' || desired === null)
          return err(invalidInput(provider, 'ensureWriter', 'The desired state is missing.'));
        if (typeof desired.region !== 'string' || !/^[a-z]+-[a-z]+\d+(-[a-z])?$/.test(desired.region))
          return err(
            invalidInput(
              provider,
              'ensureWriter',
              `Invalid region ${JSON.stringify(desired.region)}.`,
              'region',
            ),
          );
        if (desired.mode !== 'planned' && desired.mode !== 'forced')
          return err(
            invalidInput(
              provider,
              'ensureWriter',
              `Mode must be planned or forced (got ${JSON.stringify(desired.mode)}).`,
              'mode',
            ),
          );
        const stepOptions = parseCloudSqlOptions(desired.providerOptions?.[provider]);
        if (typeof stepOptions === 'string')
          return err(invalidInput(provider, 'ensureWriter', stepOptions, `providerOptions.${provider}`));
        if (call?.abortSignal?.aborted) return err(cancelled('ensureWriter', call.abortSignal.reason));

        const read = await describeFrom(ref, call, 'instances.get');
        if (read.isErr()) return err(read.error);
        const { state, project } = read.value;
        const before = state.topology;

        if (stepOptions.strategy === 'ha-failover') {
          return haFailover(state, project, desired.region, stepOptions.zone!, ref.id, call);
        }

        const writer = before.members.find((member) => member.role === 'writer')!;
        if (writer.region === desired.region) return ok({ before, changed: false });
        const inRegion = state.replicas.filter(
          (replica) =>
            replica.region === desired.region && (!desired.memberId || replica.name === desired.memberId),
        );
        const available = inRegion.filter((replica) => replica.state === 'RUNNABLE');
        if (available.length === 0) {
          return err(
            precondition(
              'ensureWriter',
              inRegion.length === 0
                ? `${ref.id} has no replica in ${desired.region}${desired.memberId ? ` named ${desired.memberId}` : ''}.`
                : `No replica of ${ref.id} in ${desired.region} is RUNNABLE (${inRegion.map((r) => `${r.name}: ${r.state}`).join(', ')}).`,
            ),
          );
        }
        const drName = drReplicaOf(state.primary);
        const dr = available.find((replica) => replica.name === drName);

        if (desired.mode === 'planned') {
          if (!dr)
            return err(
              precondition(
                'instances.switchover',
                `A planned switchover needs the primary's DR replica in ${desired.region}; ${state.primary.name} designates ${drName ?? 'none'} (replicationCluster.failoverDrReplicaName). Use mode forced to promote another replica.`,
              ),
            );
          if (writer.status !== 'available')
            return err(
              precondition(
                'instances.switchover',
                `A planned switchover needs the primary ${writer.id} to be up (it is ${writer.rawStatus ?? writer.status}); use mode forced.`,
              ),
            );
          const dbTimeout = stepOptions.dbTimeoutSeconds;
          const started = await gcpCall(provider, 'instances.switchover', true, call, async (signal) => {
            const sql = await clients.sqladmin();
            const params = {
              project,
              instance: dr.name!,
              ...(dbTimeout !== undefined && { dbTimeout: `${dbTimeout}s` }),
            };
            return (await sql.instances.switchover(params, clients.methodOptions('sqladmin', signal))).data;
          });
          return started.map((op) => ({
            before,
            changed: true,
            handle: handleOf('instances.switchover', op, {
              project,
              target: dr.name!,
              region: desired.region,
              ref: ref.id,
            }),
          }));
        }

        const target = dr ?? available[0]!;
        const failover = target === dr;
        const started = await gcpCall(provider, 'instances.promoteReplica', true, call, async (signal) => {
          const sql = await clients.sqladmin();
          const params = { project, instance: target.name!, ...(failover && { failover: true }) };
          return (await sql.instances.promoteReplica(params, clients.methodOptions('sqladmin', signal))).data;
        });
        return started.map((op) => ({
          before,
          changed: true,
          handle: handleOf('instances.promoteReplica', op, {
            project,
            target: target.name!,
            region: desired.region,
            ref: ref.id,
          }),
        }));
      });
    },

    waitForWriter(handle, wait) {
      return runGcp(provider, 'waitForWriter', async () => {
        const problem = waitProblem(wait) ?? handleProblem(handle);
        if (problem) return err(invalidInput(provider, 'operations.get', problem));
        const detail = handle.detail as unknown as WriterDetail;
        let operationDone = false;
        const poll = async (): Promise<Result<PollOutcome<DatabaseTopology>, FailoverError>> => {
          if (!operationDone) {
            const op = await gcpCall(provider, 'operations.get', false, wait, async (signal) => {
              const sql = await clients.sqladmin();
              return (
                await sql.operations.get(
                  { project: detail.project, operation: detail.operationName },
                  clients.methodOptions('sqladmin', signal),
                )
              ).data;
            });
            if (op.isErr()) return err(op.error);
            if (op.value.status !== 'DONE') return ok({ done: false, status: op.value.status ?? 'PENDING' });
            const errors = op.value.error?.errors ?? [];
            if (errors.length > 0)
              return err(operationFailure(provider, handle.operation, detail.operationName, errors));
            operationDone = true;
          }
          const read = await readCloudSql(clients, detail.project, detail.target, detail.ref, wait);
          if (read.isErr()) return err(read.error);
          const { topology, primary } = read.value;
          const inPlace =
            primary.name === detail.target &&
            primary.region === detail.region &&
            primary.state === 'RUNNABLE' &&
            (detail.zone === undefined || primary.gceZone === detail.zone) &&
            !topology.failoverInProgress;
          return ok(
            inPlace
              ? { done: true, value: topology }
              : { done: false, status: `writer ${primary.name} in ${primary.gceZone}` },
          );
        };
        return pollUntil({
          time: clients.time,
          provider,
          operation: 'operations.get',
          timeoutMs: wait.timeoutMs,
          pollIntervalMs: wait.pollIntervalMs ?? 5_000,
          ...(wait.abortSignal && { abortSignal: wait.abortSignal }),
          poll: () => runGcp(provider, 'waitForWriter', poll),
        });
      });
    },
  };

  /** HA failover within the region, to `zone`. Reads the settings version first; a stale one (412) is re-read once. */
  async function haFailover(
    state: CloudSqlState,
    project: string,
    region: string,
    zone: string,
    refId: string,
    call: CallOptions | undefined,
  ): Promise<Result<EnsureResult<DatabaseTopology>, FailoverError>> {
    const operation = 'instances.failover';
    const before = state.topology;
    let primary: SqlInstance = state.primary;
    if (primary.region !== region)
      return err(
        invalidInput(
          provider,
          operation,
          `HA failover stays in the primary's region (${primary.region}); ${region} was asked for. Use strategy 'region' to move regions.`,
          'region',
        ),
      );
    for (let attempt = 0; ; attempt++) {
      if (primary.gceZone === zone) return ok({ before, changed: false });
      if (primary.settings?.availabilityType !== 'REGIONAL')
        return err(
          precondition(
            operation,
            `${primary.name} is not highly available (availabilityType ${primary.settings?.availabilityType ?? 'unknown'}).`,
          ),
        );
      if (primary.secondaryGceZone !== zone)
        return err(
          precondition(
            operation,
            `${primary.name} serves from ${primary.gceZone} with its standby in ${primary.secondaryGceZone ?? 'no zone'}, not ${zone}.`,
          ),
        );
      if (primary.state !== 'RUNNABLE')
        return err(precondition(operation, `${primary.name} is ${primary.state}, not RUNNABLE.`));
      const settingsVersion = primary.settings?.settingsVersion ?? undefined;
      const current = primary;
      const started = await gcpCall(provider, operation, true, call, async (signal) => {
        const sql = await clients.sqladmin();
        const requestBody: sqladmin_v1.Schema$InstancesFailoverRequest = {
          failoverContext: {
            kind: 'sql#failoverContext',
            ...(settingsVersion != null && { settingsVersion }),
          },
        };
        return (
          await sql.instances.failover(
            { project, instance: current.name!, requestBody },
            clients.methodOptions('sqladmin', signal),
          )
        ).data;
      });
      if (started.isOk()) {
        return ok({
          before,
          changed: true,
          handle: handleOf(operation, started.value, {
            project,
            target: current.name!,
            region,
            zone,
            ref: refId,
          }),
        });
      }
      // The settings changed since the read: read the version again, once.
      if (started.error.kind !== 'precondition-failed' || attempt > 0) return err(started.error);
      const again = await getInstance(clients, project, current.name!, call);
      if (again.isErr()) return err(again.error);
      primary = again.value;
    }
  }

  function handleOf(
    operation: SqlOperationName,
    op: sqladmin_v1.Schema$Operation,
    detail: Omit<WriterDetail, 'operationName'>,
  ): OperationHandle {
    const full: WriterDetail = { ...detail, operationName: op.name ?? '' };
    return {
      provider,
      operation,
      ...(op.name && { id: op.name }),
      startedAt: clients.time.now(),
      detail: { ...full },
    };
  }
}

function handleProblem(handle: OperationHandle): string | undefined {
  if (typeof handle !== 'object' || handle === null) return 'The operation handle is missing.';
  if (handle.provider !== provider)
    return `The handle was issued by ${String(handle.provider)}, not ${provider}.`;
  const detail = handle.detail as Partial<WriterDetail> | undefined;
  if (
    typeof detail?.project !== 'string' ||
    typeof detail.operationName !== 'string' ||
    detail.operationName === '' ||
    typeof detail.target !== 'string' ||
    typeof detail.region !== 'string'
  )
    return 'The operation handle has no project, operation name, target or region.';
  return undefined;
}

const precondition = (operation: string, message: string) =>
  new FailoverErrorClass({ kind: 'precondition-failed', message, provider, operation });

const cancelled = (operation: string, reason: unknown) => cancelledError(provider, operation, reason);
