/** CloudWatch data scripted by a test: metric curves and alarm state timelines, replayed on the emulator clock. */
export interface CloudWatchSeed {
  metrics?: ScriptedMetricSeed[];
  alarms?: ScriptedAlarmSeed[];
}

/**
 * A metric whose datapoints follow a curve: from `afterMs` after the emulator
 * started, the metric reads `value` until the next point (`null`: nothing is
 * published, a gap). Before the first point there is no data.
 */
export interface ScriptedMetricSeed {
  region: string;
  namespace: string;
  metricName: string;
  /** The exact dimension set a query must name. Default none. */
  dimensions?: Record<string, string>;
  /** A CloudWatch unit (`Percent`, `Count`, `Milliseconds`); a query filtering on another unit gets nothing. */
  unit?: string;
  points: Array<{ afterMs: number; value: number | null }>;
  /** One datapoint per interval. Default 60 000 (standard resolution). */
  intervalMs?: number;
}

/** The CloudWatch alarm states a metric alarm can be in. */
export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** A metric alarm whose state follows a timeline (from `afterMs` after the emulator started). Default state: `OK`. */
export interface ScriptedAlarmSeed {
  region: string;
  name: string;
  description?: string;
  namespace: string;
  metricName: string;
  dimensions?: Record<string, string>;
  /** Default `Average`. */
  statistic?: 'SampleCount' | 'Average' | 'Sum' | 'Minimum' | 'Maximum';
  /** Default 60. */
  periodSeconds?: number;
  /** Default 1. */
  evaluationPeriods?: number;
  threshold: number;
  /** Default `GreaterThanOrEqualToThreshold`. */
  comparisonOperator?:
    | 'GreaterThanOrEqualToThreshold'
    | 'GreaterThanThreshold'
    | 'LessThanThreshold'
    | 'LessThanOrEqualToThreshold';
  states?: Array<{ afterMs: number; value: AlarmStateValue; reason?: string }>;
}
