import type { EmulatorResponse, EmulatorService, ServiceContext } from '../server/emulator-types.js';
import { awsJsonError, awsJsonResponse, requestId } from './aws-responses.js';
import { type AwsWorld, authorize, isResponse, xmlAuthCodes } from './aws-world.js';
import {
  alignStart,
  type Datapoint,
  isPercentile,
  isSupportedStatistic,
  type MetricSelector,
  metricSamples,
  periods,
  statistic,
} from './cloudwatch-metrics.js';
import {
  CloudWatchError,
  checkPeriod,
  invalid,
  isObject,
  missing,
  readBoolean,
  readInteger,
  readJsonObject,
  readList,
  readMetric,
  readString,
  readTimestamp,
  readUnit,
  serialization,
} from './cloudwatch-request.js';
import { CloudWatchScript } from './cloudwatch-script.js';
import type { RdsState } from './rds-state.js';

const targetPrefix = 'GraniteServiceVersion20100801.';

/** The awsJson shape id of each Query-era error code CloudWatch answers with. */
const errorTypes: Record<string, string> = {
  InvalidParameterValue: 'com.amazonaws.cloudwatch#InvalidParameterValueException',
  InvalidParameterCombination: 'com.amazonaws.cloudwatch#InvalidParameterCombinationException',
  MissingParameter: 'com.amazonaws.cloudwatch#MissingRequiredParameterException',
  InvalidNextToken: 'com.amazonaws.cloudwatch#InvalidNextToken',
  InternalServiceError: 'com.amazonaws.cloudwatch#InternalServiceFault',
  ValidationError: 'com.amazonaws.cloudwatch#ValidationException',
  Throttling: 'com.amazon.coral.availability#ThrottlingException',
  ServiceUnavailable: 'com.amazon.coral.availability#ServiceUnavailableException',
  SerializationException: 'com.amazon.coral.service#SerializationException',
  UnknownOperationException: 'com.amazon.coral.service#UnknownOperationException',
  MissingAuthenticationToken: 'com.amazon.coral.service#MissingAuthenticationTokenException',
  IncompleteSignature: 'com.amazon.coral.service#IncompleteSignatureException',
  SignatureDoesNotMatch: 'com.amazon.coral.service#InvalidSignatureException',
};

/** Most datapoints one GetMetricData answer carries; the rest come with a NextToken. */
const maxDatapointsPerCall = 100_800;
/** Most datapoints one GetMetricStatistics call may ask for. */
const maxStatisticsDatapoints = 1_440;

type Handler = (input: Record<string, unknown>, region: string, now: number) => unknown;

/**
 * CloudWatch over awsJson 1.0 (`X-Amz-Target: GraniteServiceVersion20100801.<Op>`,
 * Query-compatible errors) at `/aws/monitoring`, signed for `monitoring`:
 * GetMetricData and GetMetricStatistics. The only metric with data is Aurora's
 * `AuroraGlobalDBReplicationLag` (namespace `AWS/RDS`, dimension
 * `DBClusterIdentifier`, milliseconds), one sample a minute per secondary
 * cluster of a global database, in the cluster's region, drawn from the RDS
 * state: the member's seeded `lagMs` while it replicates, nothing while it is
 * the writer, waits for a resync or has left the global cluster. Metrics and
 * alarms scripted in the seed (`aws.cloudwatch`) are served beside it, with
 * DescribeAlarms (see `CloudWatchScript`).
 */
export function createCloudWatchService(
  context: ServiceContext,
  world: AwsWorld,
  state: RdsState,
  script: CloudWatchScript = new CloudWatchScript(context.clock.now(), world.accountId),
): EmulatorService {
  const id = () => requestId(context.random);
  const error = (status: number, code: string, message: string): EmulatorResponse =>
    awsJsonError(status, errorTypes[code] ?? `com.amazonaws.cloudwatch#${code}`, code, message, { id: id() });

  const handlers: Record<string, Handler> = {
    GetMetricData: getMetricData,
    GetMetricStatistics: getMetricStatistics,
    DescribeAlarms: (input, region, now) => script.describeAlarms(input, region, now),
  };

  const service: EmulatorService = {
    id: 'aws.cloudwatch',
    cloud: 'aws',
    mount: '/aws/monitoring',
    route(request) {
      const auth = authorize(request, world, 'monitoring', xmlAuthCodes, error);
      if (isResponse(auth)) return auth;
      const target = request.headers['x-amz-target'];
      if (request.method !== 'POST' || request.path !== '/' || typeof target !== 'string') {
        return error(
          400,
          'UnknownOperationException',
          'The emulator speaks the CloudWatch JSON protocol only: POST / with an X-Amz-Target header.',
        );
      }
      const operation = target.startsWith(targetPrefix) ? target.slice(targetPrefix.length) : '';
      const handler = handlers[operation];
      if (!handler) {
        return error(
          400,
          'UnknownOperationException',
          `The emulator does not implement the operation ${target}.`,
        );
      }
      let input: Record<string, unknown>;
      try {
        input = readJsonObject(request.body);
      } catch (thrown) {
        if (thrown instanceof CloudWatchError) return error(thrown.status, thrown.code, thrown.message);
        throw thrown;
      }
      const { region } = auth;
      return {
        operation,
        mutating: false,
        region,
        handle: () => {
          const now = context.clock.now();
          state.settle(now);
          try {
            return awsJsonResponse(handler(input, region, now), id());
          } catch (thrown) {
            if (thrown instanceof CloudWatchError) return error(thrown.status, thrown.code, thrown.message);
            throw thrown;
          }
        },
      };
    },
    errorResponse(kind, detail) {
      if (kind === 'throttled') return error(400, 'Throttling', detail.message);
      if (kind === 'server-error') return error(500, 'InternalServiceError', detail.message);
      return error(400, 'InvalidParameterValue', detail.message);
    },
  };

  function getMetricData(input: Record<string, unknown>, region: string, now: number) {
    const queries = readList(input, 'MetricDataQueries', 'metricDataQueries', { required: true, max: 500 })!;
    const startMs = readTimestamp(input, 'StartTime', 'startTime');
    const endMs = readTimestamp(input, 'EndTime', 'endTime');
    const scanBy = readString(input, 'ScanBy', 'scanBy') ?? 'TimestampDescending';
    if (scanBy !== 'TimestampDescending' && scanBy !== 'TimestampAscending')
      throw invalid(
        'scanBy',
        scanBy,
        'Member must satisfy enum value set: [TimestampDescending, TimestampAscending]',
      );
    const maxDatapoints = Math.min(
      readInteger(input, 'MaxDatapoints', 'maxDatapoints', { min: 1 }) ?? maxDatapointsPerCall,
      maxDatapointsPerCall,
    );
    const offset = readNextToken(readString(input, 'NextToken', 'nextToken'));
    if (startMs >= endMs) {
      throw new CloudWatchError(
        400,
        'InvalidParameterValue',
        'The parameter StartTime must be less than the parameter EndTime.',
      );
    }
    const parsed = queries.map((query, index) => readQuery(query, index));
    const ids = new Set<string>();
    for (const query of parsed) {
      if (ids.has(query.id)) {
        throw new CloudWatchError(
          400,
          'InvalidParameterValue',
          `The value ${query.id} for parameter MetricDataQueries.member.Id is not unique.`,
        );
      }
      ids.add(query.id);
    }
    const alignedStart = alignStart(startMs, now);
    let skip = offset;
    let room = maxDatapoints;
    let returned = 0;
    const results = parsed
      .filter((query) => query.returnData)
      .map((query) => {
        const points = aggregate(
          [
            ...metricSamples(state, region, query.metric, alignedStart, endMs, now),
            ...script.samples(region, query.metric, alignedStart, endMs, now),
          ],
          alignedStart,
          query.period * 1000,
          query.stat,
        );
        if (scanBy === 'TimestampDescending') points.reverse();
        const from = Math.min(skip, points.length);
        skip -= from;
        const page = points.slice(from, from + room);
        room -= page.length;
        returned += page.length;
        const complete = from + page.length >= points.length;
        return {
          Id: query.id,
          Label: query.label ?? query.metric.metricName,
          Timestamps: page.map((point) => point.at / 1000),
          Values: page.map((point) => point.value),
          StatusCode: complete ? 'Complete' : 'PartialData',
          Messages: [],
        };
      });
    const more = results.some((result) => result.StatusCode === 'PartialData');
    return {
      MetricDataResults: results,
      Messages: [],
      ...(more && { NextToken: writeNextToken(offset + returned) }),
    };
  }

  function getMetricStatistics(input: Record<string, unknown>, region: string, now: number) {
    const metric = readMetric(input, 'getMetricStatisticsInput', '', {
      namespace: 'Namespace',
      metricName: 'MetricName',
      dimensions: 'Dimensions',
    });
    const startMs = readTimestamp(input, 'StartTime', 'startTime');
    const endMs = readTimestamp(input, 'EndTime', 'endTime');
    const period = readInteger(input, 'Period', 'period', { required: true, min: 1 })!;
    const unit = readUnit(input, 'Unit', 'unit');
    const statistics = readStatistics(input);
    const extended = (readList(input, 'ExtendedStatistics', 'extendedStatistics', { max: 10 }) ?? []).map(
      (value, index) => {
        if (typeof value !== 'string' || !isPercentile(value)) {
          throw new CloudWatchError(
            400,
            'InvalidParameterValue',
            `The value ${String(value)} for parameter ExtendedStatistics.member.${index + 1} is not supported.`,
          );
        }
        return value;
      },
    );
    if (statistics.length === 0 && extended.length === 0) {
      throw new CloudWatchError(
        400,
        'InvalidParameterCombination',
        'At least one of the parameters Statistics and ExtendedStatistics must be specified.',
      );
    }
    if (statistics.length > 0 && extended.length > 0) {
      throw new CloudWatchError(
        400,
        'InvalidParameterCombination',
        'The parameters Statistics and ExtendedStatistics are mutually exclusive.',
      );
    }
    checkPeriod(period, 'Period');
    if (startMs >= endMs) {
      throw new CloudWatchError(
        400,
        'InvalidParameterValue',
        'The parameter StartTime must be less than the parameter EndTime.',
      );
    }
    const alignedStart = alignStart(startMs, now);
    const requested = Math.ceil((endMs - alignedStart) / (period * 1000));
    if (requested > maxStatisticsDatapoints) {
      throw new CloudWatchError(
        400,
        'InvalidParameterCombination',
        `You have requested up to ${requested} datapoints, which exceeds the limit of ${maxStatisticsDatapoints}. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`,
      );
    }
    const selector: MetricSelector = { ...metric, ...(unit !== undefined && { unit }) };
    const samples = [
      ...metricSamples(state, region, selector, alignedStart, endMs, now),
      ...script.samples(region, selector, alignedStart, endMs, now),
    ];
    const datapoints = periods(samples, alignedStart, period * 1000).map(({ at, values }) => ({
      Timestamp: at / 1000,
      ...Object.fromEntries(statistics.map((stat) => [stat, statistic(values, stat)])),
      ...(extended.length > 0 && {
        ExtendedStatistics: Object.fromEntries(extended.map((stat) => [stat, statistic(values, stat)])),
      }),
      Unit: 'Milliseconds',
    }));
    return { Label: metric.metricName, Datapoints: datapoints };
  }

  return service;
}

interface MetricQuery {
  id: string;
  label?: string;
  returnData: boolean;
  metric: MetricSelector;
  period: number;
  stat: string;
}

function readQuery(value: unknown, index: number): MetricQuery {
  const path = `metricDataQueries.${index + 1}.member`;
  const param = `MetricDataQueries.member.${index + 1}`;
  if (!isObject(value)) throw serialization(`Expected a query object at '${path}'.`);
  const id = readString(value, 'Id', `${path}.id`, {
    required: true,
    max: 255,
    pattern: /^[a-z][a-zA-Z0-9_]*$/,
  })!;
  const label = readString(value, 'Label', `${path}.label`);
  const returnData = readBoolean(value, 'ReturnData', `${path}.returnData`) ?? true;
  const expression = readString(value, 'Expression', `${path}.expression`, { max: 2048 });
  const stat = value.MetricStat;
  if (expression !== undefined && stat !== undefined) {
    throw new CloudWatchError(
      400,
      'InvalidParameterCombination',
      `${param} must have exactly one of MetricStat or Expression.`,
    );
  }
  if (expression !== undefined) {
    throw new CloudWatchError(
      400,
      'InvalidParameterValue',
      `${param}.Expression: the emulator does not evaluate metric math; query the metric with MetricStat.`,
    );
  }
  if (stat === undefined || stat === null) {
    throw new CloudWatchError(
      400,
      'InvalidParameterCombination',
      `${param} must have exactly one of MetricStat or Expression.`,
    );
  }
  if (!isObject(stat)) throw serialization(`Expected a MetricStat object at '${path}.metricStat'.`);
  const metricValue = stat.Metric;
  if (metricValue === undefined || metricValue === null) throw missing(`${param}.MetricStat.Metric`);
  if (!isObject(metricValue)) throw serialization(`Expected a Metric object at '${path}.metricStat.metric'.`);
  const metric = readMetric(metricValue, `${path}.metricStat.metric`, `${param}.MetricStat.Metric.`, {
    namespace: 'Namespace',
    metricName: 'MetricName',
    dimensions: 'Dimensions',
  });
  const period = readInteger(stat, 'Period', `${path}.metricStat.period`, { required: true, min: 1 })!;
  checkPeriod(period, `${param}.MetricStat.Period`);
  const statName = readString(stat, 'Stat', `${path}.metricStat.stat`, { required: true })!;
  if (!isSupportedStatistic(statName)) {
    throw new CloudWatchError(
      400,
      'InvalidParameterValue',
      `The value ${statName} for parameter ${param}.MetricStat.Stat is not supported.`,
    );
  }
  const unit = readUnit(stat, 'Unit', `${path}.metricStat.unit`);
  return {
    id,
    ...(label !== undefined && { label }),
    returnData,
    metric: { ...metric, ...(unit !== undefined && { unit }) },
    period,
    stat: statName,
  };
}

function readStatistics(input: Record<string, unknown>): string[] {
  const list = readList(input, 'Statistics', 'statistics', { max: 5 }) ?? [];
  const allowed = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'];
  return list.map((value, index) => {
    if (typeof value !== 'string' || !allowed.includes(value))
      throw invalid(
        `statistics.${index + 1}.member`,
        value,
        `Member must satisfy enum value set: [${allowed.join(', ')}]`,
      );
    return value;
  });
}

function aggregate(samples: Datapoint[], alignedStart: number, periodMs: number, stat: string): Datapoint[] {
  return periods(samples, alignedStart, periodMs).map(({ at, values }) => ({
    at,
    value: statistic(values, stat),
  }));
}

/** NextToken: how many datapoints earlier pages carried, opaque to callers. */
function writeNextToken(offset: number): string {
  return Buffer.from(`emulator-page:${offset}`).toString('base64');
}

function readNextToken(token: string | undefined): number {
  if (token === undefined) return 0;
  const match = /^emulator-page:(\d{1,9})$/.exec(Buffer.from(token, 'base64').toString('utf8'));
  if (!match)
    throw new CloudWatchError(400, 'InvalidNextToken', 'The service couldn’t process the NextToken.');
  return Number(match[1]);
}
