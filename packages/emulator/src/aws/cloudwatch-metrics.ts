import type { RdsState } from './rds-state.js';

/** A metric as a query names it: namespace, name, the exact dimension set, and an optional unit filter. */
export interface MetricSelector {
  namespace: string;
  metricName: string;
  dimensions: ReadonlyArray<{ name: string; value: string }>;
  unit?: string;
}

/** One aggregated value per period, stamped with the start of its period. */
export interface Datapoint {
  at: number;
  value: number;
}

/** Aurora publishes its cluster metrics once a minute (standard resolution). */
export const sampleIntervalMs = 60_000;
/** CloudWatch keeps one-minute data for 15 days; the emulator has no coarser history. */
export const retentionMs = 15 * 86_400_000;

export const replicationLagMetric = 'AuroraGlobalDBReplicationLag';
/** An RDS read replica's lag behind its source, in seconds, per `DBInstanceIdentifier`. */
export const replicaLagMetric = 'ReplicaLag';

/**
 * The one-minute samples of a metric in `[startMs, endMs)` that exist by `now`.
 * Published: `AWS/RDS` `AuroraGlobalDBReplicationLag` per secondary cluster of a
 * global database, under exactly the dimension `DBClusterIdentifier`, in the
 * cluster's own region, in milliseconds, while the cluster replicates; and
 * `AWS/RDS` `ReplicaLag` per RDS read replica (`DBInstanceIdentifier`, its own
 * region, in seconds) until it is promoted. Any other metric simply has no data, as on AWS.
 */
export function metricSamples(
  state: RdsState,
  region: string,
  metric: MetricSelector,
  startMs: number,
  endMs: number,
  now: number,
): Datapoint[] {
  if (metric.namespace !== 'AWS/RDS') return [];
  if (metric.metricName === replicaLagMetric)
    return replicaLagSamples(state, region, metric, startMs, endMs, now);
  if (metric.metricName !== replicationLagMetric) return [];
  const [dimension, ...others] = metric.dimensions;
  if (!dimension || others.length > 0 || dimension.name !== 'DBClusterIdentifier') return [];
  if (metric.unit !== undefined && metric.unit !== 'Milliseconds') return [];
  const cluster = state.clusters.get(`${region}|${dimension.value}`);
  if (!cluster) return [];
  const samples: Datapoint[] = [];
  const first = Math.max(startMs, now - retentionMs);
  for (let at = Math.ceil(first / sampleIntervalMs) * sampleIntervalMs; at < endMs && at <= now; ) {
    const value = state.replicationLagAt(cluster.arn, at);
    if (value !== undefined) samples.push({ at, value });
    at += sampleIntervalMs;
  }
  return samples;
}

/** `ReplicaLag` of an RDS read replica (dimension `DBInstanceIdentifier`, its own region), in seconds. */
function replicaLagSamples(
  state: RdsState,
  region: string,
  metric: MetricSelector,
  startMs: number,
  endMs: number,
  now: number,
): Datapoint[] {
  const [dimension, ...others] = metric.dimensions;
  if (!dimension || others.length > 0 || dimension.name !== 'DBInstanceIdentifier') return [];
  if (metric.unit !== undefined && metric.unit !== 'Seconds') return [];
  const instance = state.instances.get(`${region}|${dimension.value}`);
  if (!instance?.source) return [];
  const samples: Datapoint[] = [];
  const first = Math.max(startMs, now - retentionMs);
  for (let at = Math.ceil(first / sampleIntervalMs) * sampleIntervalMs; at < endMs && at <= now; ) {
    const value = state.replicationLagAt(instance.arn, at);
    if (value !== undefined) samples.push({ at, value: value / 1000 });
    at += sampleIntervalMs;
  }
  return samples;
}

/**
 * Where CloudWatch starts the periods of a query: the start time rounded down
 * to the minute (within 15 days), to 5 minutes (within 63 days), else to the hour.
 */
export function alignStart(startMs: number, now: number): number {
  const age = now - startMs;
  const unit = age <= retentionMs ? 60_000 : age <= 63 * 86_400_000 ? 300_000 : 3_600_000;
  return Math.floor(startMs / unit) * unit;
}

/** Samples grouped into periods from `alignedStart`, in ascending time; periods without samples are left out. */
export function periods(
  samples: readonly Datapoint[],
  alignedStart: number,
  periodMs: number,
): Array<{ at: number; values: number[] }> {
  const byStart = new Map<number, number[]>();
  for (const sample of samples) {
    if (sample.at < alignedStart) continue;
    const at = alignedStart + Math.floor((sample.at - alignedStart) / periodMs) * periodMs;
    const values = byStart.get(at) ?? [];
    values.push(sample.value);
    byStart.set(at, values);
  }
  return [...byStart.entries()].sort(([a], [b]) => a - b).map(([at, values]) => ({ at, values }));
}

const basicStatistics = new Set(['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum']);
const percentile = /^p(\d{1,2}(\.\d{1,10})?|100)$/;

/** The statistics the emulator computes: the five basic ones and percentiles (`p99`, `p99.9`). */
export function isSupportedStatistic(stat: string): boolean {
  return basicStatistics.has(stat) || percentile.test(stat);
}

export function isPercentile(stat: string): boolean {
  return percentile.test(stat);
}

/** One statistic of a period's samples (nearest-rank percentiles). */
export function statistic(values: readonly number[], stat: string): number {
  switch (stat) {
    case 'SampleCount':
      return values.length;
    case 'Sum':
      return values.reduce((a, b) => a + b, 0);
    case 'Average':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'Minimum':
      return values.reduce((a, b) => Math.min(a, b));
    case 'Maximum':
      return values.reduce((a, b) => Math.max(a, b));
    default: {
      const sorted = [...values].sort((a, b) => a - b);
      const rank = Math.ceil((Number(stat.slice(1)) / 100) * sorted.length);
      return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
    }
  }
}
