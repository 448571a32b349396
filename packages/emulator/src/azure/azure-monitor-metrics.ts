import type { EmulatorResponse, ServiceContext } from '../server/emulator-types.js';
import { armError } from './arm-errors.js';
import type { ArmCall, ArmRoute } from './arm-route.js';
import type { AzureMonitorSeed, ScriptedAzureMetricSeed } from './azure-monitor-seed.js';

const aggregations = ['average', 'minimum', 'maximum', 'total', 'count'] as const;
type Aggregation = (typeof aggregations)[number];

/**
 * Azure Monitor `Metrics_List` (`GET {resourceUri}/providers/Microsoft.Insights/metrics`)
 * over metrics scripted in the seed (`azure.monitor.metrics`), for top-level and
 * child resources. As the service does: one `data` entry per grain in the
 * timespan, an entry with no datapoint holding only its `timeStamp`; an unknown
 * metric name is `400 BadRequest`; `interval` is an ISO 8601 duration in whole
 * minutes (default `PT1M`), `aggregation` a comma list (default `average`).
 */
export function createAzureMonitorMetricRoutes(
  context: ServiceContext,
  seed: AzureMonitorSeed = {},
): ArmRoute[] {
  const startedAt = context.clock.now();
  const metrics = seed.metrics ?? [];
  const base = '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/{namespace}';
  const handle = (call: ArmCall) => list(call, context.clock.now());
  return [
    {
      method: 'GET',
      pattern: `${base}/{type}/{name}/providers/Microsoft.Insights/metrics`,
      operation: 'Metrics_List',
      minApiVersion: '2018-01-01',
      handle,
    },
    {
      method: 'GET',
      pattern: `${base}/{type}/{name}/{childType}/{childName}/providers/Microsoft.Insights/metrics`,
      operation: 'Metrics_List',
      minApiVersion: '2018-01-01',
      handle,
    },
  ];

  function list(call: ArmCall, now: number): EmulatorResponse {
    const { params, request } = call;
    const resourceId = [
      `/subscriptions/${params.subscriptionId}/resourceGroups/${params.resourceGroupName}/providers/${params.namespace}/${params.type}/${params.name}`,
      ...(params.childType ? [`${params.childType}/${params.childName}`] : []),
    ].join('/');
    const names = (request.query.get('metricnames') ?? '').split(',').filter(Boolean);
    const known = metrics.filter((m) => m.resourceId.toLowerCase() === resourceId.toLowerCase());
    if (names.length === 0) return badRequest('The metricnames parameter is required by the emulator.');
    for (const name of names) {
      if (!known.some((m) => m.metricName.toLowerCase() === name.toLowerCase())) {
        return badRequest(
          `Failed to find metric configuration for provider: ${params.namespace}, resource Type: ${params.type}, metric: ${name}, Valid metrics: ${known.map((m) => m.metricName).join(',')}`,
        );
      }
    }
    const grainText = request.query.get('interval') ?? 'PT1M';
    const grain = /^PT(\d+)M$/i.exec(grainText);
    if (!grain || Number(grain[1]) < 1)
      return badRequest(`Invalid interval '${grainText}'; the emulator serves whole minutes (PT1M, PT5M).`);
    const grainMs = Number(grain[1]) * 60_000;
    const wanted = (request.query.get('aggregation') ?? 'average').toLowerCase().split(',').filter(Boolean);
    const unknown = wanted.find((a) => !(aggregations as readonly string[]).includes(a));
    if (unknown) return badRequest(`Invalid aggregation type '${unknown}'.`);
    const timespan = request.query.get('timespan');
    const [startText, endText] = (timespan ?? '').split('/');
    const endMs = endText ? Date.parse(endText) : now;
    const startMs = startText ? Date.parse(startText) : endMs - 3_600_000;
    if (Number.isNaN(startMs) || Number.isNaN(endMs) || startMs >= endMs) {
      return badRequest(`Invalid timespan '${timespan ?? ''}'.`);
    }
    const alignedStart = Math.floor(startMs / grainMs) * grainMs;
    const value = names.map((name) => {
      const metric = known.find((m) => m.metricName.toLowerCase() === name.toLowerCase())!;
      const data: Array<Record<string, unknown>> = [];
      for (let at = alignedStart; at < endMs; at += grainMs) {
        const values = samplesIn(metric, at, Math.min(at + grainMs, now + 1));
        const entry: Record<string, unknown> = {
          timeStamp: new Date(at).toISOString().replace('.000Z', 'Z'),
        };
        if (values.length > 0) for (const a of wanted) entry[a] = aggregate(values, a as Aggregation);
        data.push(entry);
      }
      return {
        id: `${resourceId}/providers/Microsoft.Insights/metrics/${metric.metricName}`,
        type: 'Microsoft.Insights/metrics',
        name: { value: metric.metricName, localizedValue: metric.metricName },
        displayDescription: '',
        unit: metric.unit ?? 'Count',
        timeseries: [{ metadatavalues: [], data }],
        errorCode: 'Success',
      };
    });
    return {
      status: 200,
      body: {
        cost: 0,
        timespan: `${new Date(startMs).toISOString().replace('.000Z', 'Z')}/${new Date(endMs).toISOString().replace('.000Z', 'Z')}`,
        interval: grainText.toUpperCase(),
        value,
        namespace: `${params.namespace}/${params.type}`,
      },
    };
  }

  /** The one-minute samples of the curve in `[from, to)`. */
  function samplesIn(metric: ScriptedAzureMetricSeed, from: number, to: number): number[] {
    const out: number[] = [];
    for (let at = Math.ceil(from / 60_000) * 60_000; at < to; at += 60_000) {
      let value: number | null | undefined;
      for (const point of metric.points) if (startedAt + point.afterMs <= at) value = point.value;
      if (value !== null && value !== undefined) out.push(value);
    }
    return out;
  }
}

function aggregate(values: number[], aggregation: Aggregation): number {
  switch (aggregation) {
    case 'minimum':
      return Math.min(...values);
    case 'maximum':
      return Math.max(...values);
    case 'total':
      return values.reduce((a, b) => a + b, 0);
    case 'count':
      return values.length;
    default:
      return values.reduce((a, b) => a + b, 0) / values.length;
  }
}

function badRequest(message: string): EmulatorResponse {
  return armError(400, 'BadRequest', message);
}
