import type {
  DescribeDBClustersCommandOutput,
  DescribeGlobalClustersCommandOutput,
  GlobalCluster,
} from '@aws-sdk/client-rds';
import { type CallOptions, type DatabaseMember, type DatabaseTopology, FailoverError } from '@failover/core';
import type { AuroraRegionReachability } from './aurora-region-reachability.js';
import { awsSend } from './aws-call.js';
import type { AwsClients } from './aws-clients.js';
import { type AwsErrorContext, awsFailure } from './aws-error.js';
import { memberStatus, parseRdsArn } from './rds-status.js';

export const auroraProvider = 'aws.aurora';

/** A regional cluster as the Aurora provider sees it. */
export interface AuroraClusterView {
  arn: string;
  id: string;
  region: string;
  status?: string;
  /** The cluster has a writer instance. */
  hasWriter: boolean;
  globalClusterId?: string;
}

export async function describeGlobalCluster(
  clients: AwsClients,
  globalId: string,
  region: string,
  call: CallOptions,
  context: AwsErrorContext,
): Promise<GlobalCluster> {
  const out = await awsSend<DescribeGlobalClustersCommandOutput, 'rds'>(
    clients,
    {
      provider: auroraProvider,
      service: 'rds',
      region,
      operation: 'DescribeGlobalClusters',
      mutating: false,
    },
    (sdk) => new sdk.DescribeGlobalClustersCommand({ GlobalClusterIdentifier: globalId }),
    call,
  );
  // Never the first result whatever it is: only the cluster that was asked for.
  const global = out.GlobalClusters?.find((candidate) => candidate.GlobalClusterIdentifier === globalId);
  if (!global) throw awsFailure('not-found', context, `Global cluster ${globalId} not found.`);
  return global;
}

export async function describeCluster(
  clients: AwsClients,
  identifier: string,
  region: string,
  call: CallOptions,
): Promise<AuroraClusterView | undefined> {
  const out = await awsSend<DescribeDBClustersCommandOutput, 'rds'>(
    clients,
    { provider: auroraProvider, service: 'rds', region, operation: 'DescribeDBClusters', mutating: false },
    (sdk) => new sdk.DescribeDBClustersCommand({ DBClusterIdentifier: identifier }),
    call,
  );
  const cluster = out.DBClusters?.[0];
  if (!cluster) return undefined;
  return {
    arn: cluster.DBClusterArn ?? identifier,
    id: cluster.DBClusterIdentifier ?? identifier,
    region,
    ...(cluster.Status !== undefined && { status: cluster.Status }),
    hasWriter: (cluster.DBClusterMembers ?? []).some((member) => member.IsClusterWriter),
    ...(cluster.GlobalClusterIdentifier !== undefined && {
      globalClusterId: cluster.GlobalClusterIdentifier,
    }),
  };
}

/**
 * The global cluster's members with each regional cluster's own status (one
 * DescribeDBClusters per member, in its region). A member whose region does
 * not answer is reported `unavailable` rather than failing the description:
 * that is exactly the situation a forced failover is for. With `reachability`,
 * a member's region is given a short budget of retries (then one try while it
 * stays dark) instead of the call's whole deadline.
 */
export async function globalTopology(
  clients: AwsClients,
  global: GlobalCluster,
  call: CallOptions,
  reachability?: AuroraRegionReachability,
): Promise<DatabaseTopology> {
  const members = await Promise.all(
    (global.GlobalClusterMembers ?? []).map(async (member): Promise<DatabaseMember> => {
      const arn = member.DBClusterArn ?? '';
      const parsed = parseRdsArn(arn);
      const region = parsed?.region ?? 'unknown';
      const base = { id: arn, region, role: member.IsWriter ? ('writer' as const) : ('reader' as const) };
      if (!parsed) return { ...base, status: 'unknown' };
      let rawStatus: string | undefined;
      try {
        const options = reachability ? reachability.readOptions(region, call) : call;
        rawStatus = (await describeCluster(clients, parsed.id, region, options))?.status;
        reachability?.noteOutcome(region);
      } catch (thrown) {
        if (!FailoverError.isInstance(thrown)) throw thrown;
        const unreachable = reachability
          ? reachability.noteOutcome(region, thrown)
          : thrown.kind === 'unavailable';
        if (unreachable) return { ...base, status: 'unavailable', rawStatus: 'unreachable' };
        if (thrown.kind === 'not-found') return { ...base, status: 'unknown', rawStatus: 'not-found' };
        throw thrown;
      }
      // A former writer waiting for its resync cannot take the writer role yet.
      const resyncing = member.SynchronizationStatus === 'pending-resync';
      return {
        ...base,
        status: resyncing && rawStatus === 'available' ? 'modifying' : memberStatus(rawStatus),
        ...(rawStatus !== undefined && {
          rawStatus: resyncing ? `${rawStatus} (pending-resync)` : rawStatus,
        }),
      };
    }),
  );
  return {
    id: global.GlobalClusterIdentifier ?? '',
    members,
    failoverInProgress:
      global.FailoverState !== undefined ||
      global.Status === 'failing-over' ||
      global.Status === 'switching-over',
    ...(global.Status !== undefined && { rawStatus: global.Status }),
  };
}
