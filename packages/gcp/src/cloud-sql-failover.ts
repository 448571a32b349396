import {
  type CallOptions,
  cancelledError,
  type DatabaseCapabilities,
  type DatabaseDesiredState,
  type DatabaseFailoverV1,
  type DatabaseReprotectV1,
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
import { runningWriterOperation, type WriterOperationName } from './cloud-sql-in-flight.js';
import { readSqlOperation } from './cloud-sql-operation.js';
import { parseCloudSqlOptions } from './cloud-sql-options.js';
import { planCloudSqlWriter } from './cloud-sql-plan.js';
import { readCloudSqlReplicaLag } from './cloud-sql-replication-lag.js';
import { createCloudSqlReprotect } from './cloud-sql-reprotect.js';
import { type CloudSqlState, getInstance, readCloudSql, type SqlInstance } from './cloud-sql-topology.js';
import { gcpCall, invalidInput, runGcp } from './gcp-call.js';
import type { GcpClients } from './gcp-clients.js';
import type { GcpErrorCause } from './gcp-error.js';
import { expectedDuration } from './gcp-expected-duration.js';
import { parseInstanceRef } from './gcp-refs.js';
import { waitProblem } from './gcp-wait.js';

/** Options of `createGcp(...).databaseFailover()`. */
export interface CloudSqlFailoverOptions {
  /** Project of the instances. Default: the `createGcp()` project. */
  project?: string;
}

const provider = 'gcp.sql';

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
 * typed failure — and for the target to be the available writer. It also reprotects
 * (`DatabaseReprotectV1`, see `createCloudSqlReprotect`).
 */
export function createCloudSqlFailover(
  clients: GcpClients,
  options: CloudSqlFailoverOptions = {},
): DatabaseFailoverV1 & DatabaseReprotectV1 {
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
    ...createCloudSqlReprotect(clients, options),

    describe(ref, call) {
      return runGcp(provider, 'describe', async () => {
        if (call?.abortSignal?.aborted) return err(cancelled('instances.get', call.abortSignal.reason));
        const read = await describeFrom(ref, call, 'instances.get');
        return read.map(({ state }) => state.topology);
      });
    },

    // Replica lag from Cloud Monitoring (the Admin API has no lag field). `describe` does not
    // carry it, so `capabilities.replicationLag` stays false; the RPO gate reads this.
    observeReplicationLag(ref, call) {
      return runGcp(provider, 'observeReplicationLag', async () => {
        if (call?.abortSignal?.aborted) return err(cancelled('instances.get', call.abortSignal.reason));
        const read = await describeFrom(ref, call, 'instances.get');
        if (read.isErr()) return err(read.error);
        const { state, project } = read.value;
        const samples = await readCloudSqlReplicaLag(clients, project, state.topology, 5 * 60_000, call);
        if (samples.isErr()) return err(samples.error);
        return ok({
          specificationVersion: 'v1' as const,
          databaseId: ref.id,
          observedAt: clients.time.now(),
          samples: samples.value,
        });
      });
    },

    ensureWriter(ref, desired, call) {
      return runGcp<EnsureResult<DatabaseTopology>>(provider, 'ensureWriter', async () => {
        const problem = desiredProblem(desired);
        if (problem) return err(problem);
        const stepOptions = parseCloudSqlOptions(desired.providerOptions?.[provider]);
        if (typeof stepOptions === 'string')
          return err(invalidInput(provider, 'ensureWriter', stepOptions, `providerOptions.${provider}`));
        if (call?.abortSignal?.aborted) return err(cancelled('ensureWriter', call.abortSignal.reason));

        const read = await describeFrom(ref, call, 'instances.get');
        if (read.isErr()) return err(read.error);
        const { state, project } = read.value;
        const before = state.topology;
        const planned = planCloudSqlWriter(state, desired, stepOptions);
        if (planned.isErr()) {
          // A replica busy with the very operation we would start reads as not RUNNABLE: wait on it.
          const inFlight = await inFlightTowards(state, project, desired.region, call);
          if (inFlight.isErr()) return err(inFlight.error);
          if (inFlight.value) return ok({ before, changed: true, handle: inFlight.value(ref.id) });
          return err(planned.error);
        }
        const action = planned.value;
        if (action.action === 'none') return ok({ before, changed: false });

        // An operation sent before whose answer was lost is waited on, never sent again.
        const running = await runningWriterOperation(clients, project, action.target, call);
        if (running.isErr()) return err(running.error);
        const detail = {
          project,
          target: action.target,
          region: action.region,
          ...(action.zone !== undefined && { zone: action.zone }),
          ref: ref.id,
        };
        if (running.value)
          return ok({
            before,
            changed: true,
            handle: handleOf(running.value.operation, running.value.op, detail),
          });

        if (action.action === 'failover') return haFailover(state, project, action.zone, detail, call);
        const operation = `instances.${action.action}` as const;
        const dbTimeout = stepOptions.dbTimeoutSeconds;
        const started = await gcpCall(provider, operation, true, call, async (signal) => {
          const sql = await clients.sqladmin();
          const method = clients.methodOptions('sqladmin', signal);
          if (action.action === 'switchover') {
            const params = {
              project,
              instance: action.target,
              ...(dbTimeout !== undefined && { dbTimeout: `${dbTimeout}s` }),
            };
            return (await sql.instances.switchover(params, method)).data;
          }
          const params = { project, instance: action.target, ...(action.failover && { failover: true }) };
          return (await sql.instances.promoteReplica(params, method)).data;
        });
        if (started.isErr()) return err(serviceRefusal(started.error));
        return ok({ before, changed: true, handle: handleOf(operation, started.value, detail) });
      });
    },

    precheckWriter(ref, desired, _observed, call) {
      return runGcp<void>(provider, 'precheckWriter', async () => {
        const problem = desiredProblem(desired);
        if (problem) return err(problem);
        const stepOptions = parseCloudSqlOptions(desired.providerOptions?.[provider]);
        if (typeof stepOptions === 'string')
          return err(invalidInput(provider, 'ensureWriter', stepOptions, `providerOptions.${provider}`));
        // The raw instances say what the topology does not (DR designation, HA settings).
        const read = await describeFrom(ref, call, 'instances.get');
        if (read.isErr()) return err(read.error);
        const planned = planCloudSqlWriter(read.value.state, desired, stepOptions);
        if (planned.isOk()) return ok(undefined);
        const inFlight = await inFlightTowards(read.value.state, read.value.project, desired.region, call);
        if (inFlight.isErr()) return err(inFlight.error);
        return inFlight.value ? ok(undefined) : err(planned.error);
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
            const op = await readSqlOperation(
              clients,
              detail.project,
              detail.operationName,
              handle.operation,
              wait,
            );
            if (op.isErr()) return err(op.error);
            if (!op.value.done) return ok(op.value);
            operationDone = true;
          }
          const read = await readCloudSql(clients, detail.project, detail.target, detail.ref, wait);
          if (read.isErr()) return err(read.error);
          const { topology, primary } = read.value;
          const settled =
            primary.name === detail.target &&
            primary.region === detail.region &&
            primary.state === 'RUNNABLE' &&
            !topology.failoverInProgress;
          if (settled && detail.zone !== undefined && primary.gceZone && primary.gceZone !== detail.zone)
            // The service chose the standby zone (its GET may not name it) and it is not the one asked for.
            return err(
              new FailoverErrorClass({
                kind: 'precondition-failed',
                message: `${handle.operation} finished with ${primary.name} serving from ${primary.gceZone}, not ${detail.zone}: Cloud SQL's standby is in another zone.`,
                provider,
                operation: handle.operation,
              }),
            );
          return ok(
            settled && (detail.zone === undefined || primary.gceZone === detail.zone)
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
          ...expectedDuration(
            wait,
            expectedDurationsMs[handle.operation as WriterOperationName] ?? 120_000,
            handle.startedAt,
          ),
          ...(wait.abortSignal && { abortSignal: wait.abortSignal }),
          poll: () => runGcp(provider, 'waitForWriter', poll),
        });
      });
    },
  };

  /** HA failover within the region, to `zone`. Sends the settings version just read; a stale one (412) is re-read once. */
  async function haFailover(
    state: CloudSqlState,
    project: string,
    zone: string,
    detail: Omit<WriterDetail, 'operationName'>,
    call: CallOptions | undefined,
  ): Promise<Result<EnsureResult<DatabaseTopology>, FailoverError>> {
    const operation = 'instances.failover';
    const before = state.topology;
    let primary: SqlInstance = state.primary;
    for (let attempt = 0; ; attempt++) {
      if (primary.gceZone === zone) return ok({ before, changed: false });
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
      if (started.isOk())
        return ok({ before, changed: true, handle: handleOf(operation, started.value, detail) });
      // The settings changed since the read: read the version again, once.
      if (started.error.kind !== 'precondition-failed' || attempt > 0)
        return err(serviceRefusal(started.error));
      const again = await getInstance(clients, project, current.name!, call);
      if (again.isErr()) return err(again.error);
      primary = again.value;
    }
  }

  /**
   * A writer-moving operation already running on a replica in `region` (or on the
   * primary, for an HA failover), as a handle factory; undefined when none runs.
   */
  async function inFlightTowards(
    state: CloudSqlState,
    project: string,
    region: string,
    call: CallOptions | undefined,
  ): Promise<Result<((ref: string) => OperationHandle) | undefined, FailoverError>> {
    const busy = [state.primary, ...state.replicas].filter(
      (instance) => instance.region === region && instance.state !== 'RUNNABLE' && instance.name,
    );
    for (const instance of busy) {
      const running = await runningWriterOperation(clients, project, instance.name!, call);
      if (running.isErr()) return err(running.error);
      const found = running.value;
      if (found)
        return ok((ref: string) =>
          handleOf(found.operation, found.op, { project, target: instance.name!, region, ref }),
        );
    }
    return ok(undefined);
  }

  function handleOf(
    operation: WriterOperationName,
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

/** How long each operation usually takes on Cloud SQL, where the poll schedule starts. */
const expectedDurationsMs: Record<WriterOperationName, number> = {
  'instances.switchover': 180_000,
  'instances.promoteReplica': 120_000,
  'instances.failover': 60_000,
};

/** What is wrong with a desired state before any call, or undefined. */
function desiredProblem(desired: DatabaseDesiredState): FailoverError | undefined {
  if (typeof desired !== 'object' || desired === null)
    return invalidInput(provider, 'ensureWriter', 'The desired state is missing.');
  if (typeof desired.region !== 'string' || !/^[a-z]+-[a-z]+\d+(-[a-z])?$/.test(desired.region))
    return invalidInput(
      provider,
      'ensureWriter',
      `Invalid region ${JSON.stringify(desired.region)}.`,
      'region',
    );
  if (desired.mode !== 'planned' && desired.mode !== 'forced')
    return invalidInput(
      provider,
      'ensureWriter',
      `Mode must be planned or forced (got ${JSON.stringify(desired.mode)}).`,
      'mode',
    );
  if (
    desired.zone !== undefined &&
    (typeof desired.zone !== 'string' || !/^[a-z]+-[a-z]+\d+-[a-z]$/.test(desired.zone))
  )
    return invalidInput(provider, 'ensureWriter', `Invalid zone ${JSON.stringify(desired.zone)}.`, 'zone');
  return undefined;
}

/**
 * Cloud SQL refusing a switchover, promotion or failover for the instance's role or
 * state (400 `invalidOperation`, 409 `invalidState`): nothing changed, and the same
 * call will not succeed, so it is `precondition-failed` with the service's words.
 */
function serviceRefusal(error: FailoverError): FailoverError {
  const reason = (error.cause as GcpErrorCause | undefined)?.reason;
  if (reason !== 'invalidOperation' && reason !== 'invalidState') return error;
  return new FailoverErrorClass({
    kind: 'precondition-failed',
    message: `Cloud SQL refused ${error.operation}: ${error.message} Use mode forced to promote another replica, or name one with memberId.`,
    provider,
    operation: error.operation,
    cause: error.cause,
  });
}

const cancelled = (operation: string, reason: unknown) => cancelledError(provider, operation, reason);
