import type { Datapoint, MetricSelector } from './cloudwatch-metrics.js';
import { CloudWatchError, invalid, readInteger, readList, readString } from './cloudwatch-request.js';
import type { ScriptedAlarmSeed, ScriptedMetricSeed } from './cloudwatch-script-seed.js';

type Json = Record<string, unknown>;

const stateValues = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];

/**
 * Scripted CloudWatch data: metric curves served by GetMetricData and
 * GetMetricStatistics beside the Aurora lag, and metric alarms served by
 * DescribeAlarms, each following its timeline on the emulator clock, so a test
 * replays an outage curve by moving the clock.
 */
export class CloudWatchScript {
  constructor(
    private readonly startedAt: number,
    private readonly accountId: string,
    private readonly metrics: readonly ScriptedMetricSeed[] = [],
    private readonly alarms: readonly ScriptedAlarmSeed[] = [],
  ) {}

  /** The datapoints in `[startMs, endMs)` published by `now`, ascending. */
  samples(
    region: string,
    selector: MetricSelector,
    startMs: number,
    endMs: number,
    now: number,
  ): Datapoint[] {
    const out: Datapoint[] = [];
    for (const metric of this.metrics) {
      if (!matches(metric, region, selector)) continue;
      const interval = metric.intervalMs ?? 60_000;
      const first = metric.points[0];
      if (!first) continue;
      const from = Math.max(startMs, this.startedAt + first.afterMs);
      for (let at = Math.ceil(from / interval) * interval; at < endMs && at <= now; at += interval) {
        const value = valueAt(metric.points, at - this.startedAt);
        if (value !== null && value !== undefined) out.push({ at, value });
      }
    }
    return out.sort((a, b) => a.at - b.at);
  }

  /** DescribeAlarms over awsJson: by names or prefix, filtered by state, paged by MaxRecords. */
  describeAlarms(input: Json, region: string, now: number): unknown {
    const names = readList(input, 'AlarmNames', 'alarmNames', { max: 100 }) as string[] | undefined;
    const prefix = readString(input, 'AlarmNamePrefix', 'alarmNamePrefix', { max: 255 });
    const state = readString(input, 'StateValue', 'stateValue');
    if (state !== undefined && !stateValues.includes(state)) {
      throw invalid('stateValue', state, `Member must satisfy enum value set: [${stateValues.join(', ')}]`);
    }
    const maxRecords = readInteger(input, 'MaxRecords', 'maxRecords', { min: 1 }) ?? 50;
    if (maxRecords > 100)
      throw invalid('maxRecords', maxRecords, 'Member must have value less than or equal to 100');
    if (names && prefix !== undefined) {
      throw new CloudWatchError(
        400,
        'InvalidParameterCombination',
        'AlarmNamePrefix and AlarmNames cannot be specified together.',
      );
    }
    const offset = Number(readString(input, 'NextToken', 'nextToken') ?? '0');
    if (!Number.isInteger(offset) || offset < 0) {
      throw new CloudWatchError(400, 'InvalidNextToken', 'The service cannot find the next token.');
    }
    const all = this.alarms
      .filter((alarm) => alarm.region === region)
      .filter((alarm) =>
        names ? names.includes(alarm.name) : prefix === undefined || alarm.name.startsWith(prefix),
      )
      .map((alarm) => this.render(alarm, now))
      .filter((alarm) => state === undefined || alarm.StateValue === state)
      .sort((a, b) => a.AlarmName.localeCompare(b.AlarmName));
    const page = all.slice(offset, offset + maxRecords);
    return {
      MetricAlarms: page,
      ...(offset + maxRecords < all.length && { NextToken: String(offset + maxRecords) }),
    };
  }

  private render(alarm: ScriptedAlarmSeed, now: number) {
    const elapsed = now - this.startedAt;
    let current: { afterMs: number; value: string; reason?: string } = { afterMs: 0, value: 'OK' };
    for (const step of alarm.states ?? []) if (step.afterMs <= elapsed) current = step;
    const since = (this.startedAt + current.afterMs) / 1000;
    const reason =
      current.reason ??
      (current.value === 'ALARM'
        ? `Threshold Crossed: ${alarm.evaluationPeriods ?? 1} datapoint(s) were ${describe(alarm)} the threshold (${alarm.threshold}).`
        : current.value === 'OK'
          ? `Threshold Crossed: no datapoints were ${describe(alarm)} the threshold (${alarm.threshold}).`
          : 'Insufficient Data: 1 datapoint was unknown.');
    return {
      AlarmName: alarm.name,
      AlarmArn: `arn:aws:cloudwatch:${alarm.region}:${this.accountId}:alarm:${alarm.name}`,
      ...(alarm.description !== undefined && { AlarmDescription: alarm.description }),
      AlarmConfigurationUpdatedTimestamp: this.startedAt / 1000,
      ActionsEnabled: true,
      OKActions: [],
      AlarmActions: [],
      InsufficientDataActions: [],
      StateValue: current.value,
      StateReason: reason,
      StateUpdatedTimestamp: since,
      StateTransitionedTimestamp: since,
      MetricName: alarm.metricName,
      Namespace: alarm.namespace,
      Statistic: alarm.statistic ?? 'Average',
      Dimensions: Object.entries(alarm.dimensions ?? {}).map(([Name, Value]) => ({ Name, Value })),
      Period: alarm.periodSeconds ?? 60,
      EvaluationPeriods: alarm.evaluationPeriods ?? 1,
      Threshold: alarm.threshold,
      ComparisonOperator: alarm.comparisonOperator ?? 'GreaterThanOrEqualToThreshold',
    };
  }
}

function describe(alarm: ScriptedAlarmSeed): string {
  switch (alarm.comparisonOperator ?? 'GreaterThanOrEqualToThreshold') {
    case 'GreaterThanThreshold':
      return 'greater than';
    case 'LessThanThreshold':
      return 'less than';
    case 'LessThanOrEqualToThreshold':
      return 'less than or equal to';
    default:
      return 'greater than or equal to';
  }
}

function matches(metric: ScriptedMetricSeed, region: string, selector: MetricSelector): boolean {
  if (
    metric.region !== region ||
    metric.namespace !== selector.namespace ||
    metric.metricName !== selector.metricName
  )
    return false;
  if (selector.unit !== undefined && metric.unit !== undefined && selector.unit !== metric.unit) return false;
  const dims = Object.entries(metric.dimensions ?? {});
  if (dims.length !== selector.dimensions.length) return false;
  return selector.dimensions.every((d) => metric.dimensions?.[d.name] === d.value);
}

function valueAt(points: ScriptedMetricSeed['points'], elapsed: number): number | null | undefined {
  let value: number | null | undefined;
  for (const point of points) if (point.afterMs <= elapsed) value = point.value;
  return value;
}
