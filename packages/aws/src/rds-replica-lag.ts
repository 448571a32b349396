import type { GetMetricDataCommandOutput, MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { CallOptions, DatabaseTopology, ReplicationLagSample } from '@failover/core';
import { awsSend } from './aws-call.js';
import type { AwsClients } from './aws-clients.js';
import { parseRdsArn } from './rds-status.js';

/** The CloudWatch metric of an RDS read replica's lag behind its source (seconds, per `DBInstanceIdentifier`). */
export const replicaLagMetric = { Namespace: 'AWS/RDS', MetricName: 'ReplicaLag' };

/**
 * The newest `ReplicaLag` datapoint within `windowMs` of every read replica of
 * `topology` (the Multi-AZ standby replicates synchronously and has none), one
 * GetMetricData per region, in milliseconds with the datapoint's own time. A
 * CloudWatch call that fails is an error: the caller asked for the lag.
 */
export async function readReplicaLagSamples(
  clients: AwsClients,
  topology: DatabaseTopology,
  windowMs: number,
  call: CallOptions,
): Promise<ReplicationLagSample[]> {
  const byRegion = new Map<string, Array<{ memberId: string; id: string }>>();
  for (const member of topology.members) {
    // Read replicas are named by id (same region) or ARN; Multi-AZ members are `<id>@<zone>`.
    if (member.role !== 'reader' || member.id.includes('@')) continue;
    const id = parseRdsArn(member.id)?.id ?? member.id;
    const list = byRegion.get(member.region) ?? [];
    list.push({ memberId: member.id, id });
    byRegion.set(member.region, list);
  }
  const now = clients.runtime.time.now();
  const samples: ReplicationLagSample[] = [];
  await Promise.all(
    [...byRegion].map(async ([region, replicas]) => {
      const queries: MetricDataQuery[] = replicas.map((replica, index) => ({
        Id: `lag${index}`,
        MetricStat: {
          Metric: { ...replicaLagMetric, Dimensions: [{ Name: 'DBInstanceIdentifier', Value: replica.id }] },
          Period: 60,
          Stat: 'Maximum',
        },
      }));
      const out = await awsSend<GetMetricDataCommandOutput, 'cloudwatch'>(
        clients,
        { provider: 'aws.rds', service: 'cloudwatch', region, operation: 'GetMetricData', mutating: false },
        (sdk) =>
          new sdk.GetMetricDataCommand({
            MetricDataQueries: queries,
            StartTime: new Date(now - windowMs),
            EndTime: new Date(now),
            ScanBy: 'TimestampDescending',
          }),
        call,
      );
      for (const result of out.MetricDataResults ?? []) {
        const replica = replicas[Number(result.Id?.slice('lag'.length))];
        let best: { at: number; value: number } | undefined;
        (result.Timestamps ?? []).forEach((timestamp, index) => {
          const value = result.Values?.[index];
          const at = timestamp.getTime();
          if (value !== undefined && Number.isFinite(value) && (!best || at > best.at)) best = { at, value };
        });
        if (replica && best)
          samples.push({ memberId: replica.memberId, region, lagMs: best.value * 1000, sampledAt: best.at });
      }
    }),
  );
  return samples;
}
