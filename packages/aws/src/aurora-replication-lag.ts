import type { GetMetricDataCommandOutput, MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { GlobalCluster } from '@aws-sdk/client-rds';
import { type CallOptions, type DatabaseTopology, FailoverError } from '@failover/core';
import { auroraProvider } from './aurora-topology.js';
import { awsSend } from './aws-call.js';
import type { AwsClients } from './aws-clients.js';
import { parseRdsArn } from './rds-status.js';

/** The CloudWatch metric of a secondary cluster's lag behind the primary (ms, per `DBClusterIdentifier`). */
export const replicationLagMetric = { Namespace: 'AWS/RDS', MetricName: 'AuroraGlobalDBReplicationLag' };

/** Aurora publishes the metric once a minute; each datapoint is that minute's maximum. */
const periodSeconds = 60;

/**
 * The newest `AuroraGlobalDBReplicationLag` datapoint within `windowMs` before
 * now of every secondary member, keyed by cluster ARN. One GetMetricData per
 * region, asking for all of that region's secondaries at once (the metric
 * lives in the secondary's region). A member without a datapoint in the window
 * is left out: it is not replicating yet (it just became a secondary), or its
 * CloudWatch did not answer; a member awaiting its resync is not asked about. A failed read never fails the description —
 * every database step observes through it, and a failover must not depend on
 * monitoring — it only leaves the lag unknown, so a lag check fails closed.
 * Cancellation still ends it.
 */
export async function readReplicationLag(
  clients: AwsClients,
  global: GlobalCluster,
  windowMs: number,
  call: CallOptions,
): Promise<Map<string, number>> {
  const samples = await readReplicationLagSamples(clients, global, windowMs, call, false);
  return new Map([...samples].map(([arn, sample]) => [arn, sample.lagMs]));
}

/** One secondary's newest lag datapoint: its value, its timestamp and the secondary's region. */
export interface AuroraLagSample {
  lagMs: number;
  sampledAt: number;
  region: string;
}

/**
 * As `readReplicationLag`, with each datapoint's timestamp. With `strict`, a
 * CloudWatch call that fails is an error (`observeReplicationLag` must tell
 * "no lag" from "could not read"); without it, that region's lags are left out.
 */
export async function readReplicationLagSamples(
  clients: AwsClients,
  global: GlobalCluster,
  windowMs: number,
  call: CallOptions,
  strict: boolean,
): Promise<Map<string, AuroraLagSample>> {
  const byRegion = new Map<string, Array<{ arn: string; id: string }>>();
  for (const member of global.GlobalClusterMembers ?? []) {
    const parsed = member.DBClusterArn ? parseRdsArn(member.DBClusterArn) : undefined;
    // A former writer awaiting its resync does not replicate: datapoints still in the window
    // would date from before it was the writer.
    const replicating = !member.IsWriter && member.SynchronizationStatus !== 'pending-resync';
    if (!replicating || !parsed || !member.DBClusterArn) continue;
    const list = byRegion.get(parsed.region) ?? [];
    list.push({ arn: member.DBClusterArn, id: parsed.id });
    byRegion.set(parsed.region, list);
  }
  const now = clients.runtime.time.now();
  const lags = new Map<string, AuroraLagSample>();
  await Promise.all(
    [...byRegion].map(async ([region, secondaries]) => {
      const queries: MetricDataQuery[] = secondaries.map((secondary, index) => ({
        Id: `lag${index}`,
        MetricStat: {
          Metric: {
            ...replicationLagMetric,
            Dimensions: [{ Name: 'DBClusterIdentifier', Value: secondary.id }],
          },
          Period: periodSeconds,
          Stat: 'Maximum',
        },
      }));
      let out: GetMetricDataCommandOutput;
      try {
        out = await awsSend<GetMetricDataCommandOutput, 'cloudwatch'>(
          clients,
          {
            provider: auroraProvider,
            service: 'cloudwatch',
            region,
            operation: 'GetMetricData',
            mutating: false,
          },
          (sdk) =>
            new sdk.GetMetricDataCommand({
              MetricDataQueries: queries,
              StartTime: new Date(now - windowMs),
              EndTime: new Date(now),
              ScanBy: 'TimestampDescending',
            }),
          call,
        );
      } catch (thrown) {
        if (strict || (FailoverError.isInstance(thrown) && thrown.kind === 'cancelled')) throw thrown;
        return;
      }
      for (const result of out.MetricDataResults ?? []) {
        const index = Number(result.Id?.slice('lag'.length));
        const secondary = secondaries[index];
        const latest = newest(result.Timestamps ?? [], result.Values ?? []);
        if (secondary && latest !== undefined)
          lags.set(secondary.arn, { lagMs: latest.value, sampledAt: latest.at, region });
      }
    }),
  );
  return lags;
}

/** The value of the newest timestamp, and that timestamp, whatever order the answer came in. */
function newest(
  timestamps: readonly Date[],
  values: readonly number[],
): { at: number; value: number } | undefined {
  let best: { at: number; value: number } | undefined;
  timestamps.forEach((timestamp, index) => {
    const value = values[index];
    const at = timestamp.getTime();
    if (value !== undefined && Number.isFinite(value) && (!best || at > best.at)) best = { at, value };
  });
  return best;
}

/** The topology with each reader's lag, where one was read. */
export function withReplicationLag(
  topology: DatabaseTopology,
  lags: ReadonlyMap<string, number>,
): DatabaseTopology {
  return {
    ...topology,
    members: topology.members.map((member) => {
      const lag = member.role === 'reader' ? lags.get(member.id) : undefined;
      return lag === undefined ? member : { ...member, replicationLagMs: lag };
    }),
  };
}
