import type { EmulatorResponse, EmulatorService, ServiceContext } from '../server/emulator-types.js';
import type { CloudMonitoringSeed, ScriptedTimeSeriesSeed } from './cloud-monitoring-seed.js';
import { googleError, googleFaultResponse, invalid, notFound } from './gcp-error.js';
import { decodeSegment, iso, methodNotAllowed, ok, requireBearer, route } from './gcp-request.js';

const pattern = /^\/v3\/projects\/([^/]+)\/timeSeries\/?$/;
const aligners = new Set(['ALIGN_NONE', 'ALIGN_MEAN', 'ALIGN_MAX', 'ALIGN_MIN', 'ALIGN_SUM', 'ALIGN_COUNT']);

/**
 * Cloud Monitoring v3 `projects.timeSeries.list` at `/gcp/monitoring`, over
 * time series scripted in the seed (`gcp.monitoring.series`). The filter is a
 * conjunction (`AND`) of `metric.type`, `resource.type`, `metric.labels.<k>`
 * and `resource.labels.<k>` equalities; `interval.endTime` is required, points
 * come newest first, and an answer with no series is `{}` (the API omits empty
 * fields). With `aggregation.alignmentPeriod` and a `perSeriesAligner`
 * (`ALIGN_MEAN`, `ALIGN_MAX`, `ALIGN_MIN`, `ALIGN_SUM`, `ALIGN_COUNT`), points
 * are aligned to the period ending at each multiple of it.
 */
export function createCloudMonitoringService(
  context: ServiceContext,
  seed: CloudMonitoringSeed = {},
): EmulatorService {
  const startedAt = context.clock.now();
  const series = seed.series ?? [];
  return {
    id: 'gcp.monitoring',
    cloud: 'gcp',
    mount: '/gcp/monitoring',
    errorResponse: googleFaultResponse,
    route(request) {
      const unauthenticated = requireBearer(request);
      if (unauthenticated) return unauthenticated;
      const match = pattern.exec(request.path);
      if (!match) return notFound(`The requested URL ${request.path} was not found on this server.`);
      const project = decodeSegment(match[1]!);
      if (project === undefined) return invalid('The request path is not valid percent-encoding.');
      if (request.method !== 'GET') return methodNotAllowed(request.method);
      // Cloud Monitoring is global: no region to black out.
      return route('projects.timeSeries.list', false, () =>
        list(project, request.query, context.clock.now()),
      );
    },
  };

  function list(project: string, query: URLSearchParams, now: number): EmulatorResponse {
    const filter = query.get('filter');
    if (!filter) return badRequest('Field filter had an invalid value: a filter is required.');
    const conditions = parseFilter(filter);
    if (typeof conditions === 'string')
      return badRequest(`Field filter had an invalid value of "${filter}": ${conditions}`);
    const endText = query.get('interval.endTime');
    if (!endText) return badRequest('Field interval.endTime had an invalid value: it is required.');
    const endMs = Date.parse(endText);
    const startText = query.get('interval.startTime');
    const startMs = startText ? Date.parse(startText) : endMs;
    if (Number.isNaN(endMs) || Number.isNaN(startMs))
      return badRequest('Field interval had an invalid timestamp.');
    if (startMs > endMs) return badRequest('Field interval.startTime must not be after interval.endTime.');
    const periodText = query.get('aggregation.alignmentPeriod');
    const aligner = query.get('aggregation.perSeriesAligner') ?? (periodText ? 'ALIGN_MEAN' : 'ALIGN_NONE');
    if (!aligners.has(aligner))
      return badRequest(`Field aggregation.perSeriesAligner had an invalid value of "${aligner}".`);
    let periodMs: number | undefined;
    if (periodText) {
      const seconds = /^(\d+)s$/.exec(periodText);
      if (!seconds || Number(seconds[1]) < 60) {
        return badRequest(
          `Field aggregation.alignmentPeriod had an invalid value of "${periodText}": it must be at least 60s.`,
        );
      }
      periodMs = Number(seconds[1]) * 1000;
    }
    const matching = series.filter((s) => s.project === project && conditions.every((c) => c(s)));
    const timeSeries = matching
      .map((s) => render(s, points(s, startMs, endMs, now), aligner, periodMs, endMs))
      .filter((s) => s.points.length > 0);
    return ok(timeSeries.length > 0 ? { timeSeries } : {});
  }

  function points(s: ScriptedTimeSeriesSeed, startMs: number, endMs: number, now: number) {
    const interval = s.intervalMs ?? 60_000;
    const first = s.points[0];
    if (!first) return [];
    const out: Array<{ at: number; value: number }> = [];
    const from = Math.max(startMs, startedAt + first.afterMs);
    for (let at = Math.ceil(from / interval) * interval; at <= endMs && at <= now; at += interval) {
      let value: number | null | undefined;
      for (const point of s.points) if (point.afterMs <= at - startedAt) value = point.value;
      if (value !== null && value !== undefined) out.push({ at, value });
    }
    return out;
  }
}

function render(
  s: ScriptedTimeSeriesSeed,
  raw: Array<{ at: number; value: number }>,
  aligner: string,
  periodMs: number | undefined,
  endMs: number,
) {
  let shaped: Array<{ start: number; end: number; value: number }>;
  if (periodMs === undefined || aligner === 'ALIGN_NONE') {
    shaped = raw.map((p) => ({ start: p.at, end: p.at, value: p.value }));
  } else {
    const buckets = new Map<number, number[]>();
    for (const p of raw) {
      // A point belongs to the period ending at the next multiple of the period at or after it.
      const end = Math.min(Math.ceil(p.at / periodMs) * periodMs, Math.ceil(endMs / periodMs) * periodMs);
      buckets.set(end, [...(buckets.get(end) ?? []), p.value]);
    }
    shaped = [...buckets].map(([end, values]) => ({
      start: end - periodMs,
      end,
      value: reduce(values, aligner),
    }));
  }
  shaped.sort((a, b) => b.end - a.end);
  const valueType = aligner === 'ALIGN_COUNT' ? 'INT64' : (s.valueType ?? 'DOUBLE');
  return {
    metric: { labels: { ...s.metricLabels }, type: s.metricType },
    resource: { type: s.resourceType, labels: { project_id: s.project, ...s.resourceLabels } },
    metricKind: 'GAUGE',
    valueType,
    points: shaped.map((p) => ({
      interval: { startTime: iso(p.start), endTime: iso(p.end) },
      value: valueType === 'INT64' ? { int64Value: String(Math.round(p.value)) } : { doubleValue: p.value },
    })),
    ...(s.unit !== undefined && { unit: s.unit }),
  };
}

function reduce(values: number[], aligner: string): number {
  switch (aligner) {
    case 'ALIGN_MAX':
      return Math.max(...values);
    case 'ALIGN_MIN':
      return Math.min(...values);
    case 'ALIGN_SUM':
      return values.reduce((a, b) => a + b, 0);
    case 'ALIGN_COUNT':
      return values.length;
    default:
      return values.reduce((a, b) => a + b, 0) / values.length;
  }
}

type Condition = (s: ScriptedTimeSeriesSeed) => boolean;

/** `a = "x" AND b = "y"`; anything else is a message saying what is not supported. */
function parseFilter(filter: string): Condition[] | string {
  const conditions: Condition[] = [];
  let hasMetricType = false;
  for (const clause of filter.split(/\s+AND\s+/)) {
    const match = /^\s*([a-z_.]+[a-zA-Z0-9_.]*)\s*=\s*"([^"]*)"\s*$/.exec(clause);
    if (!match) return `the emulator supports only AND-ed equalities, not "${clause.trim()}".`;
    const [, key, value] = match as unknown as [string, string, string];
    if (key === 'metric.type') {
      hasMetricType = true;
      conditions.push((s) => s.metricType === value);
    } else if (key === 'resource.type') conditions.push((s) => s.resourceType === value);
    else if (key.startsWith('metric.labels.')) {
      const label = key.slice('metric.labels.'.length);
      conditions.push((s) => s.metricLabels?.[label] === value);
    } else if (key.startsWith('resource.labels.')) {
      const label = key.slice('resource.labels.'.length);
      conditions.push((s) => (label === 'project_id' ? s.project : s.resourceLabels?.[label]) === value);
    } else return `unknown field "${key}".`;
  }
  if (!hasMetricType) return 'a metric.type is required.';
  return conditions;
}

function badRequest(message: string): EmulatorResponse {
  return googleError(400, message, { reason: 'badRequest', status: 'INVALID_ARGUMENT' });
}
