import type { SignalSample, SignalSourceV1, SignalUnit } from '@failover/core';
import { gcpCall } from '../gcp-call.js';
import type { GcpClients } from '../gcp-clients.js';
import type { MonitoringTimeSeries } from './cloud-monitoring-client.js';

/** Options of `gcp.metricSource`. */
export interface CloudMonitoringSourceOptions {
  id: string;
  /** Default: the settings' project. */
  project?: string;
  /** A Monitoring filter, e.g. `metric.type = "loadbalancing.googleapis.com/https/request_count" AND resource.labels.region = "us-central1"`. */
  filter: string;
  /** Seconds per aligned point. Default 60. */
  alignmentPeriodSeconds?: number;
  /** Default `ALIGN_MEAN`; `ALIGN_NONE` returns raw points. */
  aligner?: string;
  /**
   * The label whose value names a series' vantage point (`resource.labels.region`),
   * and the values expected: the quorum's M. Default: one vantage point, `monitoring:<project>`.
   */
  vantage?: { label: string; values: readonly string[] };
  unit?: SignalUnit;
}

const provider = 'gcp.monitoring';
const operation = 'projects.timeSeries.list';

/**
 * Cloud Monitoring time series as a signal: `projects.timeSeries.list` for
 * `[at - windowMs, at]`, every point of every matching series a sample (oldest
 * first), from vantage `monitoring:<value of the vantage label>`. A series that
 * sends no point in the window simply has none: the engine sees too few samples.
 */
export function createCloudMonitoringSource(
  clients: GcpClients,
  options: CloudMonitoringSourceOptions,
): SignalSourceV1 {
  const periodSeconds = options.alignmentPeriodSeconds ?? 60;
  const aligner = options.aligner ?? 'ALIGN_MEAN';
  const vantageOf = (series: MonitoringTimeSeries, project: string): string => {
    if (!options.vantage) return `monitoring:${project}`;
    const [scope, , label] = options.vantage.label.split('.', 3);
    const labels = scope === 'metric' ? series.metric?.labels : series.resource?.labels;
    return `monitoring:${labels?.[label ?? ''] ?? 'unknown'}`;
  };
  return {
    specificationVersion: 'v1',
    id: options.id,
    kind: 'metric',
    provider,
    ...(options.unit && { unit: options.unit }),
    vantagePoints: options.vantage
      ? options.vantage.values.map((value) => `monitoring:${value}`)
      : [`monitoring:${options.project ?? 'project'}`],
    read(query) {
      const windowMs = query.windowMs ?? periodSeconds * 1000;
      const call = {
        deadlineAt: query.deadlineAt ?? clients.time.now() + query.timeoutMs,
        ...(query.abortSignal && { abortSignal: query.abortSignal }),
        ...(query.onApiCall && { onApiCall: query.onApiCall }),
      };
      return gcpCall(provider, operation, false, call, async (signal) => {
        const project = await clients.project(provider, operation, options.project);
        const monitoring = await clients.monitoring();
        const samples: SignalSample[] = [];
        let pageToken: string | undefined;
        do {
          const page = await monitoring.listTimeSeries(
            project,
            {
              filter: options.filter,
              startTime: new Date(query.at - windowMs).toISOString(),
              endTime: new Date(query.at).toISOString(),
              ...(aligner !== 'ALIGN_NONE' && {
                alignmentPeriod: `${periodSeconds}s`,
                perSeriesAligner: aligner,
              }),
              ...(pageToken && { pageToken }),
            },
            signal ? { signal } : {},
          );
          for (const series of page.timeSeries ?? []) {
            const vantage = vantageOf(series, project);
            for (const point of series.points ?? []) {
              const value = pointValue(point.value);
              const at = Date.parse(point.interval?.endTime ?? '');
              if (value === undefined || Number.isNaN(at)) continue;
              samples.push({
                at,
                vantage,
                value,
                ...(options.unit && { unit: options.unit }),
                detail: `${series.metric?.type ?? 'metric'} = ${value}`,
              });
            }
          }
          pageToken = page.nextPageToken || undefined;
        } while (pageToken);
        return samples.sort((a, b) => a.at - b.at);
      });
    },
  };
}

function pointValue(value: { doubleValue?: number; int64Value?: string; boolValue?: boolean } | undefined) {
  if (value?.doubleValue !== undefined) return value.doubleValue;
  if (value?.int64Value !== undefined) return Number(value.int64Value);
  if (value?.boolValue !== undefined) return value.boolValue ? 1 : 0;
  return undefined;
}
