/** Cloud Monitoring time series scripted by a test, replayed on the emulator clock. */
export interface CloudMonitoringSeed {
  series?: ScriptedTimeSeriesSeed[];
}

/**
 * One time series: from `afterMs` after the emulator started, it reads `value`
 * until the next point (`null`: a gap). Before the first point there is no data.
 */
export interface ScriptedTimeSeriesSeed {
  project: string;
  /** e.g. `loadbalancing.googleapis.com/https/backend_latencies` or a custom metric. */
  metricType: string;
  metricLabels?: Record<string, string>;
  /** e.g. `https_lb_rule`, `cloudsql_database`, `global`. */
  resourceType: string;
  resourceLabels?: Record<string, string>;
  /** Default `DOUBLE` (`INT64` values are written as strings, as the API does). */
  valueType?: 'DOUBLE' | 'INT64';
  /** e.g. `ms`, `1`, `%`. */
  unit?: string;
  points: Array<{ afterMs: number; value: number | null }>;
  /** One point per interval. Default 60 000. */
  intervalMs?: number;
}
