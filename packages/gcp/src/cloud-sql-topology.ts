import {
  type CallOptions,
  type DatabaseMember,
  type DatabaseTopology,
  err,
  type FailoverError,
  ok,
  type Result,
} from '@failover/core';
import type { sqladmin_v1 } from '@googleapis/sqladmin';
import { gcpCall } from './gcp-call.js';
import type { GcpClients } from './gcp-clients.js';

export type SqlInstance = sqladmin_v1.Schema$DatabaseInstance;

/** A primary and its replicas as read, beside the interface's view of them. */
export interface CloudSqlState {
  topology: DatabaseTopology;
  primary: SqlInstance;
  replicas: SqlInstance[];
}

const provider = 'gcp.sql';

// Cloud SQL's instance states, normalised: only RUNNABLE instances can take the writer role.
const statusOf = (state: string | null | undefined): DatabaseMember['status'] => {
  switch (state) {
    case 'RUNNABLE':
      return 'available';
    case 'PENDING_CREATE':
    case 'MAINTENANCE':
    case 'ONLINE_MAINTENANCE':
    case 'REPAIRING':
      return 'modifying';
    case 'SUSPENDED':
    case 'FAILED':
    case 'PENDING_DELETE':
      return 'unavailable';
    default:
      return 'unknown';
  }
};

/** `masterInstanceName` is `project:name` or `name`. */
export const masterOf = (instance: SqlInstance): string | undefined =>
  instance.masterInstanceName ? instance.masterInstanceName.replace(/^.*:/, '') : undefined;

/**
 * The replica designated for DR switchover and replica failover, when the service says.
 * The primary names it in `replicationCluster.failoverDrReplicaName` (`project:name`
 * or `name`); a replica may instead carry `replicationCluster.drReplica: true`. Both
 * are optional on the wire, and a GET can omit `replicationCluster` altogether:
 * undefined then means "not said", never "there is none".
 */
export function drReplicaOf(primary: SqlInstance, replicas: readonly SqlInstance[] = []): string | undefined {
  const named = primary.replicationCluster?.failoverDrReplicaName;
  if (named) return named.replace(/^.*:/, '');
  return replicas.find((replica) => replica.replicationCluster?.drReplica === true)?.name ?? undefined;
}

/** How long each instance but the one addressed is read for before it counts as unreachable (its region dark). */
const otherInstanceReadBudgetMs = 30_000;

/**
 * The region each instance was last read in, per factory: an instance never
 * changes region, so one that stops answering (its region dark) is still
 * reported where it is, and a failback knows where its writer was.
 */
const lastSeenRegions = new WeakMap<GcpClients, Map<string, string>>();

function regionsSeen(clients: GcpClients): Map<string, string> {
  let regions = lastSeenRegions.get(clients);
  if (!regions) {
    regions = new Map();
    lastSeenRegions.set(clients, regions);
  }
  return regions;
}

/** One `instances.get`, reported and mapped. */
export async function getInstance(
  clients: GcpClients,
  project: string,
  instance: string,
  call: CallOptions | undefined,
): Promise<Result<SqlInstance, FailoverError>> {
  return gcpCall(provider, 'instances.get', false, call, async (signal) => {
    const sql = await clients.sqladmin();
    return (await sql.instances.get({ project, instance }, clients.methodOptions('sqladmin', signal))).data;
  });
}

/**
 * Reads a replicated Cloud SQL database from any of its instances: the
 * instance, its primary when it is a replica, and each of the primary's
 * replicas. Another instance that does not answer within 30 s (its region
 * dark) is an `unavailable` member, not a failed read, of the region this
 * factory last read it in (unknown, `''`, if it never did). The
 * Admin API does not expose replica lag (it is a Cloud Monitoring metric), so
 * members carry none.
 */
export async function readCloudSql(
  clients: GcpClients,
  project: string,
  instanceName: string,
  id: string,
  call: CallOptions | undefined,
): Promise<Result<CloudSqlState, FailoverError>> {
  const first = await getInstance(clients, project, instanceName, call);
  if (first.isErr()) return err(first.error);
  // The other instances may be in the dark region: each gets a short budget, not the call's
  // whole deadline, and one that does not answer is an unreachable member (a forced
  // promotion of the replica read first needs nothing more).
  const unreachable = new Set<SqlInstance>();
  const readOther = async (name: string): Promise<Result<SqlInstance, FailoverError>> => {
    const budget = clients.time.now() + otherInstanceReadBudgetMs;
    const read = await getInstance(clients, project, name, {
      ...call,
      deadlineAt: Math.min(call?.deadlineAt ?? Number.POSITIVE_INFINITY, budget),
    });
    if (read.isOk() || (read.error.kind !== 'unavailable' && read.error.kind !== 'timeout')) return read;
    const placeholder: SqlInstance = { name };
    unreachable.add(placeholder);
    return ok(placeholder);
  };
  let primary = first.value;
  const master = masterOf(primary);
  if (master) {
    const read = await readOther(master);
    if (read.isErr()) return err(read.error);
    primary = read.value;
  }
  const replicas: SqlInstance[] = unreachable.has(primary) ? [first.value] : [];
  for (const name of primary.replicaNames ?? []) {
    if (name === first.value.name) {
      replicas.push(first.value);
      continue;
    }
    const read = await readOther(name);
    // A replica deleted between the two reads is simply not a member.
    if (read.isErr() && read.error.kind === 'not-found') continue;
    if (read.isErr()) return err(read.error);
    replicas.push(read.value);
  }
  const seen = regionsSeen(clients);
  const members: DatabaseMember[] = [primary, ...replicas].map((instance) => {
    const role = instance === primary ? 'writer' : 'reader';
    const key = `${project}/${instance.name ?? ''}`;
    if (unreachable.has(instance)) {
      // Unknown ('') unless this factory has read it before.
      const region = seen.get(key) ?? '';
      return { id: instance.name ?? '', region, role, status: 'unavailable', rawStatus: 'unreachable' };
    }
    if (instance.region) seen.set(key, instance.region);
    return {
      id: instance.name ?? '',
      region: instance.region ?? '',
      ...(instance.gceZone && { zone: instance.gceZone }),
      role,
      status: statusOf(instance.state),
      ...(instance.state && { rawStatus: instance.state }),
    };
  });
  return ok({
    topology: {
      id,
      members,
      failoverInProgress: members.some((member) => member.status === 'modifying'),
      ...(primary.state && { rawStatus: primary.state }),
    },
    primary,
    replicas,
  });
}
