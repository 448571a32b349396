import type { SignalSample, SignalSourceV1, SignalUnit } from '@failover/core';
import { azureCall } from '../azure-call.js';
import type { AzureClients } from '../azure-clients.js';

/** One resource whose metric is read: its ARM id and the vantage point it stands for. */
export interface AzureMonitorResource {
  /** e.g. `/subscriptions/…/resourceGroups/…/providers/Microsoft.Network/applicationGateways/agw-eastus`. */
  resourceId: string;
  /** The vantage point's name, e.g. the resource's region (`eastus`). */
  vantage: string;
}

/** Options of `azure.metricSource`. */
export interface AzureMonitorMetricSourceOptions {
  id: string;
  /** The resources to read: each is a vantage point (`azure-monitor:<vantage>`). */
  resources: readonly AzureMonitorResource[];
  /** e.g. `FailedRequests`, `cpu_percent`. */
  metricName: string;
  /** Default `average`. */
  aggregation?: 'average' | 'minimum' | 'maximum' | 'total' | 'count';
  /** Grain, in whole minutes. Default 1. */
  intervalMinutes?: number;
  unit?: SignalUnit;
}

const provider = 'azure.monitor';
const operation = 'Metrics_List';

/**
 * An Azure Monitor platform metric as a signal: `Metrics_List` per resource
 * for `[at - windowMs, at]`, every grain with a value a sample (oldest first)
 * from vantage `azure-monitor:<vantage>`. A grain without data (the service
 * returns its timestamp alone) gives no sample; a resource that cannot be read
 * gives one `unknown` sample, and the read fails only when none can be.
 */
export function createAzureMonitorMetricSource(
  clients: AzureClients,
  options: AzureMonitorMetricSourceOptions,
): SignalSourceV1 {
  const aggregation = options.aggregation ?? 'average';
  const grainMinutes = options.intervalMinutes ?? 1;
  return {
    specificationVersion: 'v1',
    id: options.id,
    kind: 'metric',
    provider,
    ...(options.unit && { unit: options.unit }),
    vantagePoints: options.resources.map((resource) => `azure-monitor:${resource.vantage}`),
    read(query) {
      const windowMs = query.windowMs ?? grainMinutes * 60_000;
      const now = clients.settings.time?.now() ?? Date.now();
      const call = {
        deadlineAt: query.deadlineAt ?? now + query.timeoutMs,
        ...(query.abortSignal && { abortSignal: query.abortSignal }),
        ...(query.onApiCall && { onApiCall: query.onApiCall }),
      };
      const timespan = `${new Date(query.at - windowMs).toISOString()}/${new Date(query.at).toISOString()}`;
      return azureCall(provider, operation, call, async () => {
        const monitor = await clients.monitor();
        const reads = await Promise.all(
          options.resources.map(async (resource) => {
            const vantage = `azure-monitor:${resource.vantage}`;
            const read = await azureCall(provider, operation, call, () =>
              monitor.metrics.list(resource.resourceId.replace(/^\//, ''), {
                metricnames: options.metricName,
                timespan,
                interval: `PT${grainMinutes}M`,
                aggregation,
                ...(query.abortSignal && { abortSignal: query.abortSignal }),
              }),
            );
            if (read.isErr()) {
              if (read.error.kind === 'cancelled') throw read.error;
              return { vantage, error: read.error, samples: undefined };
            }
            const samples: SignalSample[] = [];
            for (const series of read.value.value[0]?.timeseries ?? []) {
              for (const point of series.data ?? []) {
                const value = point[aggregation];
                if (typeof value !== 'number') continue;
                samples.push({
                  at: new Date(point.timeStamp).getTime(),
                  vantage,
                  value,
                  ...(options.unit && { unit: options.unit }),
                  detail: `${options.metricName} ${aggregation} = ${value}`,
                });
              }
            }
            return { vantage, samples, error: undefined };
          }),
        );
        const errors = reads.flatMap((r) => (r.error ? [r.error] : []));
        if (errors[0] && errors.length === reads.length) throw errors[0];
        return reads
          .flatMap((r): SignalSample[] =>
            r.error
              ? [
                  {
                    at: query.at,
                    vantage: r.vantage,
                    status: 'unknown',
                    detail: `Azure Monitor: ${r.error.message}`,
                  },
                ]
              : (r.samples ?? []),
          )
          .sort((a, b) => a.at - b.at);
      });
    },
  };
}
