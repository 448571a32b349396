import type { DescribeAlarmsCommandOutput, MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { attempt, type SignalSample, type SignalSourceV1, type SignalStatus } from '@failover/core';
import { awsSend } from '../aws-call.js';
import type { AwsClients } from '../aws-clients.js';
import { readCallOptions } from './aws-signal-read.js';

/** Options of `aws.alarmSource`. */
export interface CloudWatchAlarmSourceOptions {
  id: string;
  /** The region the alarms live in. */
  region: string;
  /** The alarms, by name (at most 100): each is a vantage point (`<region>/<name>`). */
  alarmNames: readonly string[];
}

const provider = 'aws.cloudwatch';

const statusOf: Record<string, SignalStatus> = { OK: 'up', ALARM: 'down', INSUFFICIENT_DATA: 'unknown' };

/**
 * CloudWatch metric alarms as a signal: one DescribeAlarms for the named
 * alarms; each is a sample (`ALARM` is `down`, `OK` `up`, `INSUFFICIENT_DATA`
 * `unknown`) at its last state change, from vantage `<region>/<alarm name>`.
 * An alarm that does not exist is an `unknown` sample saying so.
 */
export function createCloudWatchAlarmSource(
  clients: AwsClients,
  options: CloudWatchAlarmSourceOptions,
): SignalSourceV1 {
  const vantage = (name: string) => `${options.region}/${name}`;
  return {
    specificationVersion: 'v1',
    id: options.id,
    kind: 'alarm',
    provider,
    vantagePoints: options.alarmNames.map(vantage),
    read: (query) =>
      attempt(
        async () => {
          const out = await awsSend<DescribeAlarmsCommandOutput, 'cloudwatch'>(
            clients,
            {
              provider,
              service: 'cloudwatch',
              region: options.region,
              operation: 'DescribeAlarms',
              mutating: false,
            },
            (sdk) => new sdk.DescribeAlarmsCommand({ AlarmNames: [...options.alarmNames], MaxRecords: 100 }),
            readCallOptions(clients, query),
          );
          const byName = new Map<string, MetricAlarm>();
          for (const alarm of out.MetricAlarms ?? []) if (alarm.AlarmName) byName.set(alarm.AlarmName, alarm);
          return options.alarmNames.map((name): SignalSample => {
            const alarm = byName.get(name);
            if (!alarm)
              return {
                at: query.at,
                vantage: vantage(name),
                status: 'unknown',
                detail: `No alarm named ${name}.`,
              };
            return {
              at: alarm.StateUpdatedTimestamp?.getTime() ?? query.at,
              vantage: vantage(name),
              status: statusOf[alarm.StateValue ?? ''] ?? 'unknown',
              detail: `${name} is ${alarm.StateValue ?? 'unknown'}${alarm.StateReason ? `: ${alarm.StateReason}` : ''}`,
            };
          });
        },
        { provider, operation: 'DescribeAlarms' },
      ),
  };
}
