import type { GetMetricDataCommandOutput } from '@aws-sdk/client-cloudwatch';
import {
  attempt,
  FailoverError,
  type SignalSample,
  type SignalSourceV1,
  type SignalUnit,
} from '@failover/core';
import { awsSend } from '../aws-call.js';
import type { AwsClients } from '../aws-clients.js';
import { type RegionRead, readCallOptions } from './aws-signal-read.js';

/** Options of `aws.metricSource`. */
export interface CloudWatchMetricSourceOptions {
  /** The source's id, as checks name it (`error-rate`). */
  id: string;
  /** Regions to read the metric in: each is a vantage point (`cloudwatch:<region>`). */
  regions: readonly string[];
  namespace: string;
  metricName: string;
  /** The exact dimension set the metric is published with. */
  dimensions?: Record<string, string>;
  /** A statistic (`Average`, `Sum`, `Maximum`) or a percentile (`p95`, `p99`). Default `Average`. */
  stat?: string;
  /** Seconds per datapoint. Default 60. */
  periodSeconds?: number;
  /** The unit of the values as published; `Percent` becomes `percent`, `Milliseconds` `ms`. */
  unit?: SignalUnit;
}

const provider = 'aws.cloudwatch';

/**
 * A CloudWatch metric as a signal: one GetMetricData per region for
 * `[at - windowMs, at]`, every datapoint a sample (oldest first) from vantage
 * `cloudwatch:<region>`. A region that cannot be read (dark, throttled past the
 * deadline) gives one `unknown` sample; the read fails only when no region answers.
 */
export function createCloudWatchMetricSource(
  clients: AwsClients,
  options: CloudWatchMetricSourceOptions,
): SignalSourceV1 {
  const periodSeconds = options.periodSeconds ?? 60;
  const stat = options.stat ?? 'Average';
  const dimensions = Object.entries(options.dimensions ?? {}).map(([Name, Value]) => ({ Name, Value }));
  return {
    specificationVersion: 'v1',
    id: options.id,
    kind: 'metric',
    provider,
    ...(options.unit && { unit: options.unit }),
    vantagePoints: options.regions.map((region) => `cloudwatch:${region}`),
    read: (query) =>
      attempt(
        async () => {
          const windowMs = query.windowMs ?? periodSeconds * 1000;
          const call = readCallOptions(clients, query);
          const reads = await Promise.all(
            options.regions.map(async (region): Promise<RegionRead<GetMetricDataCommandOutput>> => {
              try {
                const value = await awsSend<GetMetricDataCommandOutput, 'cloudwatch'>(
                  clients,
                  { provider, service: 'cloudwatch', region, operation: 'GetMetricData', mutating: false },
                  (sdk) =>
                    new sdk.GetMetricDataCommand({
                      MetricDataQueries: [
                        {
                          Id: 'signal',
                          MetricStat: {
                            Metric: {
                              Namespace: options.namespace,
                              MetricName: options.metricName,
                              Dimensions: dimensions,
                            },
                            Period: periodSeconds,
                            Stat: stat,
                          },
                        },
                      ],
                      StartTime: new Date(query.at - windowMs),
                      EndTime: new Date(query.at),
                      ScanBy: 'TimestampAscending',
                    }),
                  call,
                );
                return { region, value };
              } catch (thrown) {
                if (FailoverError.isInstance(thrown)) {
                  if (thrown.kind === 'cancelled') throw thrown;
                  return { region, error: thrown };
                }
                throw thrown;
              }
            }),
          );
          const failed = reads.filter((read) => 'error' in read);
          if (failed.length === reads.length && failed[0] && 'error' in failed[0]) throw failed[0].error;
          return reads.flatMap((read) => samplesOf(read, query.at, options));
        },
        { provider, operation: 'GetMetricData' },
      ),
  };
}

function samplesOf(
  read: RegionRead<GetMetricDataCommandOutput>,
  at: number,
  options: CloudWatchMetricSourceOptions,
): SignalSample[] {
  const vantage = `cloudwatch:${read.region}`;
  if ('error' in read)
    return [
      { at, vantage, status: 'unknown', detail: `CloudWatch in ${read.region}: ${read.error.message}` },
    ];
  const result = read.value.MetricDataResults?.[0];
  const timestamps = result?.Timestamps ?? [];
  const values = result?.Values ?? [];
  return timestamps
    .map((time, index) => ({ time: time.getTime(), value: values[index] }))
    .filter((point): point is { time: number; value: number } => typeof point.value === 'number')
    .sort((a, b) => a.time - b.time)
    .map((point) => ({
      at: point.time,
      vantage,
      value: point.value,
      ...(options.unit && { unit: options.unit }),
      detail: `${options.namespace} ${options.metricName} ${options.stat ?? 'Average'} = ${point.value}`,
    }));
}
