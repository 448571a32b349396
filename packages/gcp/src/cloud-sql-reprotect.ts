import {
  type CallOptions,
  type DatabaseRef,
  type DatabaseReplicaSpec,
  type DatabaseReplicaState,
  type DatabaseReprotectV1,
  type EnsureResult,
  err,
  FailoverError,
  type OperationHandle,
  ok,
  type PollOutcome,
  pollUntil,
  type Result,
  replicaMatches,
} from '@failover/core';
import type { sqladmin_v1 } from '@googleapis/sqladmin';
import { readSqlOperation } from './cloud-sql-operation.js';
import { getInstance, masterOf, readCloudSql, type SqlInstance } from './cloud-sql-topology.js';
import { gcpCall, invalidInput, runGcp } from './gcp-call.js';
import type { GcpClients } from './gcp-clients.js';
import { expectedDuration } from './gcp-expected-duration.js';
import { parseInstanceRef } from './gcp-refs.js';
import { waitProblem } from './gcp-wait.js';

const provider = 'gcp.sql';

/** How long a cross-region read replica usually takes to create on Cloud SQL. */
const expectedCreateMs = 15 * 60_000;

interface ReplicaDetail {
  project: string;
  replicaId: string;
  region: string;
  writerId: string;
  writerRegion: string;
  designate: boolean;
  /** The Cloud SQL operation (insert or patch) to wait on, when its answer came back. */
  operationName?: string;
}

/** Options of a Cloud SQL replica, under `providerOptions['gcp.sql']`. */
interface CloudSqlReplicaOptions {
  /** Machine tier of the replica. Default: the writer's. */
  tier?: string;
}

/**
 * Reprotect for Cloud SQL (`DatabaseReprotectV1`): after `promoteReplica` (without
 * `failover`) left the promoted instance writing alone, `ensureReplica` creates a read
 * replica of it in the original region (`instances.insert` with `masterInstanceName`)
 * and, asked to `designate`, makes it the writer's DR replica (`instances.patch` of
 * `replicationCluster.failoverDrReplicaName`) so a planned switchover can go back to it.
 * One change per call: a designation asked for a replica still absent is made by the next
 * ensure. It observes first; a lost answer is found by reading the replica again (a
 * re-sent insert would meet `instanceAlreadyExists`); an instance of that name that is
 * not a replica of the writer is refused and never deleted.
 */
export function createCloudSqlReprotect(
  clients: GcpClients,
  options: { project?: string } = {},
): DatabaseReprotectV1 {
  const projectOf = async (ref: DatabaseRef, operation: string) =>
    clients.project(provider, operation, parseInstanceRef(ref)?.project ?? options.project);

  /** The writer: the named member, else the primary `ref` reads as, if it is in the writer's region. */
  async function findWriter(
    ref: DatabaseRef,
    project: string,
    spec: DatabaseReplicaSpec,
    call: CallOptions | undefined,
  ): Promise<Result<SqlInstance, FailoverError>> {
    let writer: SqlInstance;
    if (spec.writer.memberId !== undefined) {
      const read = await getInstance(clients, project, spec.writer.memberId, call);
      if (read.isErr()) return err(read.error);
      writer = read.value;
    } else {
      const at = parseInstanceRef(ref);
      if (!at)
        return err(
          invalidInput(
            provider,
            'observeReplica',
            'The database ref id must be a Cloud SQL instance name.',
            'ref.id',
          ),
        );
      const read = await readCloudSql(clients, project, at.instance, ref.id, call);
      if (read.isErr()) return err(read.error);
      writer = read.value.primary;
    }
    if (masterOf(writer) !== undefined || writer.region !== spec.writer.region)
      return err(
        precondition(
          `${writer.name} is not a primary in ${spec.writer.region} (${masterOf(writer) ? `it replicates from ${masterOf(writer)}` : `it is in ${writer.region}`}).`,
        ),
      );
    return ok(writer);
  }

  async function observe(
    ref: DatabaseRef,
    project: string,
    spec: DatabaseReplicaSpec,
    call: CallOptions | undefined,
  ): Promise<Result<{ state: DatabaseReplicaState; writer: SqlInstance }, FailoverError>> {
    const writer = await findWriter(ref, project, spec, call);
    if (writer.isErr()) return err(writer.error);
    const writerName = writer.value.name ?? '';
    const base = {
      specificationVersion: 'v1' as const,
      replicaId: spec.replicaId,
      region: spec.region,
      writerId: writerName,
    };
    const read = await getInstance(clients, project, spec.replicaId, call);
    if (read.isErr() && read.error.kind === 'not-found')
      return ok({ state: { ...base, state: 'absent' }, writer: writer.value });
    if (read.isErr()) return err(read.error);
    const replica = read.value;
    const source = masterOf(replica);
    const fromWriter = source === writerName && replica.region === spec.region;
    const dr = writer.value.replicationCluster?.failoverDrReplicaName?.replace(/^.*:/, '');
    const state: DatabaseReplicaState = {
      ...base,
      state: !fromWriter ? 'foreign' : replica.state === 'RUNNABLE' ? 'replicating' : 'creating',
      ...(fromWriter && {
        designated: dr === spec.replicaId || replica.replicationCluster?.drReplica === true,
      }),
      ...(source !== undefined
        ? { replicatesFrom: source }
        : !fromWriter && { replicatesFrom: `nothing (a primary in ${replica.region})` }),
      ...(replica.state && { rawStatus: replica.state }),
    };
    return ok({ state, writer: writer.value });
  }

  const handleOf = (operation: string, detail: ReplicaDetail): OperationHandle => ({
    provider,
    operation,
    id: detail.operationName ?? detail.replicaId,
    startedAt: clients.time.now(),
    detail: { ...detail },
  });

  return {
    reprotectVersion: 'v1',

    observeReplica(ref, spec, call) {
      return runGcp(provider, 'observeReplica', async () => {
        const problem = specProblem(spec);
        if (problem) return err(invalidInput(provider, 'observeReplica', problem));
        const project = await projectOf(ref, 'observeReplica');
        return (await observe(ref, project, spec, call)).map(({ state }) => state);
      });
    },

    ensureReplica(ref, spec, call) {
      return runGcp<EnsureResult<DatabaseReplicaState>>(provider, 'ensureReplica', async () => {
        const problem = specProblem(spec);
        if (problem) return err(invalidInput(provider, 'ensureReplica', problem));
        const replicaOptions = readOptions(spec);
        if (typeof replicaOptions === 'string')
          return err(invalidInput(provider, 'ensureReplica', replicaOptions, `providerOptions.${provider}`));
        const project = await projectOf(ref, 'ensureReplica');
        const observed = await observe(ref, project, spec, call);
        if (observed.isErr()) return err(observed.error);
        const { state: before, writer } = observed.value;
        const detail: ReplicaDetail = {
          project,
          replicaId: spec.replicaId,
          region: spec.region,
          writerId: writer.name ?? '',
          writerRegion: spec.writer.region,
          designate: false,
        };
        if (before.state === 'foreign')
          return err(
            precondition(
              `Cloud SQL instance ${spec.replicaId} exists and is not a read replica of ${writer.name} in ${spec.region} (it replicates from ${before.replicatesFrom ?? 'nothing'}); rename or remove it by hand, it is never deleted for you.`,
            ),
          );
        if (replicaMatches(before, spec)) return ok({ before, changed: false });
        // Ours, still being created (an earlier run, or an answer that was lost): wait on it.
        if (before.state === 'creating')
          return ok({ before, changed: true, handle: handleOf('instances.insert', detail) });

        if (before.state === 'replicating') {
          // Only the designation is missing.
          const designated = { ...detail, designate: true };
          const patched = await gcpCall(provider, 'instances.patch', true, call, async (signal) => {
            const sql = await clients.sqladmin();
            const requestBody: sqladmin_v1.Schema$DatabaseInstance = {
              replicationCluster: { failoverDrReplicaName: `${project}:${spec.replicaId}` },
            };
            return (
              await sql.instances.patch(
                { project, instance: writer.name!, requestBody },
                clients.methodOptions('sqladmin', signal),
              )
            ).data;
          });
          if (patched.isOk())
            return ok({
              before,
              changed: true,
              handle: handleOf('instances.patch', {
                ...designated,
                ...(patched.value.name && { operationName: patched.value.name }),
              }),
            });
          const again = await observe(ref, project, spec, call);
          if (again.isOk() && again.value.state.designated === true)
            return ok({ before, changed: true, handle: handleOf('instances.patch', designated) });
          return err(patched.error);
        }

        const inserted = await gcpCall(provider, 'instances.insert', true, call, async (signal) => {
          const sql = await clients.sqladmin();
          const requestBody: sqladmin_v1.Schema$DatabaseInstance = {
            name: spec.replicaId,
            region: spec.region,
            masterInstanceName: writer.name!,
            ...(writer.databaseVersion && { databaseVersion: writer.databaseVersion }),
            settings: { tier: replicaOptions.tier ?? writer.settings?.tier ?? undefined },
          };
          return (
            await sql.instances.insert({ project, requestBody }, clients.methodOptions('sqladmin', signal))
          ).data;
        });
        if (inserted.isOk())
          return ok({
            before,
            changed: true,
            handle: handleOf('instances.insert', {
              ...detail,
              ...(inserted.value.name && { operationName: inserted.value.name }),
            }),
          });
        // The insert may have been applied with its answer lost (or a re-sent one met
        // instanceAlreadyExists): the replica, replicating from the writer, says so.
        const again = await observe(ref, project, spec, call);
        if (
          again.isOk() &&
          (again.value.state.state === 'creating' || again.value.state.state === 'replicating')
        )
          return ok({ before, changed: true, handle: handleOf('instances.insert', detail) });
        return err(inserted.error);
      });
    },

    waitForReplica(handle, wait) {
      return runGcp(provider, 'waitForReplica', async () => {
        const problem = waitProblem(wait) ?? handleProblem(handle);
        if (problem) return err(invalidInput(provider, 'waitForReplica', problem));
        const detail = handle.detail as unknown as ReplicaDetail;
        const spec: DatabaseReplicaSpec = {
          replicaId: detail.replicaId,
          region: detail.region,
          writer: { region: detail.writerRegion, memberId: detail.writerId },
          ...(detail.designate && { designate: true }),
        };
        let operationDone = detail.operationName === undefined;
        const poll = async (): Promise<Result<PollOutcome<DatabaseReplicaState>, FailoverError>> => {
          if (!operationDone) {
            const op = await readSqlOperation(
              clients,
              detail.project,
              detail.operationName!,
              handle.operation,
              wait,
            );
            if (op.isErr()) return err(op.error);
            if (!op.value.done) return ok(op.value);
            operationDone = true;
          }
          const observed = await observe({ id: detail.writerId }, detail.project, spec, wait);
          if (observed.isErr()) return err(observed.error);
          const { state } = observed.value;
          if (state.state === 'absent')
            // The insert was never applied (its request failed with its answer): ensure again.
            return err(
              new FailoverError({
                kind: 'not-found',
                message: `No Cloud SQL instance ${detail.replicaId}.`,
                provider,
                operation: 'waitForReplica',
                retryable: true,
              }),
            );
          if (state.state === 'foreign')
            return err(
              precondition(
                `${detail.replicaId} replicates from ${state.replicatesFrom ?? 'nothing'}, not ${detail.writerId}.`,
              ),
            );
          return ok(
            replicaMatches(state, spec)
              ? { done: true, value: state }
              : { done: false, status: state.rawStatus ?? state.state },
          );
        };
        return pollUntil({
          time: clients.time,
          provider,
          operation: 'waitForReplica',
          timeoutMs: wait.timeoutMs,
          pollIntervalMs: wait.pollIntervalMs ?? 10_000,
          ...expectedDuration(
            wait,
            handle.operation === 'instances.patch' ? 10_000 : expectedCreateMs,
            handle.startedAt,
          ),
          ...(wait.abortSignal && { abortSignal: wait.abortSignal }),
          poll: () => runGcp(provider, 'waitForReplica', poll),
        });
      });
    },
  };
}

const precondition = (message: string) =>
  new FailoverError({ kind: 'precondition-failed', message, provider, operation: 'ensureReplica' });

function specProblem(spec: DatabaseReplicaSpec): string | undefined {
  if (typeof spec !== 'object' || spec === null) return 'The replica spec is missing.';
  const region = /^[a-z]+-[a-z]+\d+$/;
  if (typeof spec.region !== 'string' || !region.test(spec.region))
    return `Invalid region ${JSON.stringify(spec.region)}.`;
  if (typeof spec.replicaId !== 'string' || !/^[a-z][a-z0-9-]*$/.test(spec.replicaId))
    return `replicaId must be a Cloud SQL instance name (got ${JSON.stringify(spec.replicaId)}).`;
  if (
    typeof spec.writer !== 'object' ||
    spec.writer === null ||
    typeof spec.writer.region !== 'string' ||
    !region.test(spec.writer.region)
  )
    return 'writer.region must be a Google Cloud region.';
  if (
    spec.writer.memberId !== undefined &&
    (typeof spec.writer.memberId !== 'string' || spec.writer.memberId === '')
  )
    return 'writer.memberId must be a Cloud SQL instance name.';
  return undefined;
}

function readOptions(spec: DatabaseReplicaSpec): CloudSqlReplicaOptions | string {
  const raw = spec.providerOptions?.[provider];
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null) return `providerOptions['${provider}'] must be an object.`;
  const { tier } = raw as Record<string, unknown>;
  if (tier !== undefined && (typeof tier !== 'string' || tier === ''))
    return 'tier must be a Cloud SQL machine tier.';
  return tier === undefined ? {} : { tier: tier as string };
}

function handleProblem(handle: OperationHandle): string | undefined {
  if (typeof handle !== 'object' || handle === null) return 'The operation handle is missing.';
  if (handle.provider !== provider)
    return `The handle was issued by ${String(handle.provider)}, not ${provider}.`;
  const detail = handle.detail as Partial<ReplicaDetail> | undefined;
  if (
    typeof detail?.project !== 'string' ||
    typeof detail.replicaId !== 'string' ||
    typeof detail.region !== 'string' ||
    typeof detail.writerId !== 'string' ||
    typeof detail.writerRegion !== 'string'
  )
    return 'The operation handle has no project, replica, region or writer.';
  return undefined;
}
