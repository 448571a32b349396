import {
  CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
  GetMetricStatisticsCommand,
  type MetricDataQuery,
  paginateGetMetricData,
} from '@aws-sdk/client-cloudwatch';
import {
  FailoverGlobalClusterCommand,
  RemoveFromGlobalClusterCommand,
  SwitchoverGlobalClusterCommand,
} from '@aws-sdk/client-rds';
import { afterEach, describe, expect, it } from 'vitest';
import { type AwsSeed, type Emulator, startEmulator } from '../src/index.js';
import { awsSeed, credentials, fastRetries, rds } from './aws-clients.js';

let emulator: Emulator;
afterEach(async () => {
  expect(emulator.requests.list().filter((entry) => entry.internalError)).toEqual([]);
  await emulator.stop();
});

const minute = 60_000;

async function start(seed: AwsSeed = awsSeed()) {
  emulator = await startEmulator({ timeScale: 0, seed: { aws: seed } });
  return { east: cloudWatch('us-east-1'), west: cloudWatch('us-west-2') };
}

function cloudWatch(region: string, maxAttempts = 3) {
  return new CloudWatchClient({
    region,
    endpoint: emulator.endpoint('aws.cloudwatch'),
    credentials,
    retryStrategy: fastRetries(maxAttempts),
  });
}

const lagOf = (cluster: string, id = 'lag', stat = 'Maximum'): MetricDataQuery => ({
  Id: id,
  MetricStat: {
    Metric: {
      Namespace: 'AWS/RDS',
      MetricName: 'AuroraGlobalDBReplicationLag',
      Dimensions: [{ Name: 'DBClusterIdentifier', Value: cluster }],
    },
    Period: 60,
    Stat: stat,
  },
});

/** The last `minutes` minutes up to the emulator's now. */
function window(minutes: number): Pick<GetMetricDataCommandInput, 'StartTime' | 'EndTime'> {
  const now = emulator.clock.now();
  return { StartTime: new Date(now - minutes * minute), EndTime: new Date(now + 1) };
}

async function lagSeries(client: CloudWatchClient, cluster: string, minutes: number) {
  const out = await client.send(
    new GetMetricDataCommand({
      MetricDataQueries: [lagOf(cluster)],
      ...window(minutes),
      ScanBy: 'TimestampAscending',
    }),
  );
  const result = out.MetricDataResults![0]!;
  return result.Timestamps!.map((at, index) => [at.getTime(), result.Values![index]] as const);
}

describe('CloudWatch AuroraGlobalDBReplicationLag', () => {
  it('serves the secondary’s lag once a minute, newest first, through the real client', async () => {
    const { west } = await start();
    const now = emulator.clock.now();
    const out = await west.send(
      new GetMetricDataCommand({ MetricDataQueries: [lagOf('ecommerce-secondary')], ...window(5) }),
    );
    expect(out.MetricDataResults).toEqual([
      {
        Id: 'lag',
        Label: 'AuroraGlobalDBReplicationLag',
        StatusCode: 'Complete',
        Messages: [],
        Timestamps: [0, 1, 2, 3, 4, 5].map((back) => new Date(now - back * minute)),
        Values: [40, 40, 40, 40, 40, 40],
      },
    ]);
    expect(out.Messages).toEqual([]);
    expect(emulator.requests.list()).toEqual([
      expect.objectContaining({
        service: 'aws.cloudwatch',
        operation: 'GetMetricData',
        mutating: false,
        region: 'us-west-2',
        status: 200,
      }),
    ]);
    // The manual clock drives it: ten minutes later there are ten more samples.
    emulator.clock.advance(10 * minute);
    expect(await lagSeries(west, 'ecommerce-secondary', 15)).toHaveLength(16);
  });

  it('has no data for the writer, for the secondary asked in another region, or for other metrics and units', async () => {
    const { east, west } = await start();
    const empty = async (client: CloudWatchClient, query: MetricDataQuery) =>
      (await client.send(new GetMetricDataCommand({ MetricDataQueries: [query], ...window(5) })))
        .MetricDataResults![0];
    const stat = lagOf('ecommerce-secondary').MetricStat!;
    const cases: Array<[CloudWatchClient, MetricDataQuery]> = [
      [east, lagOf('ecommerce-primary')],
      [east, lagOf('ecommerce-secondary')],
      [west, lagOf('no-such-cluster')],
      [
        west,
        { Id: 'q', MetricStat: { ...stat, Metric: { ...stat.Metric, MetricName: 'AuroraReplicaLag' } } },
      ],
      [west, { Id: 'q', MetricStat: { ...stat, Metric: { ...stat.Metric, Dimensions: [] } } }],
      [west, { Id: 'q', MetricStat: { ...stat, Unit: 'Seconds' } }],
    ];
    for (const [client, query] of cases) {
      expect(await empty(client, query)).toMatchObject({
        StatusCode: 'Complete',
        Timestamps: [],
        Values: [],
      });
    }
    expect(await empty(west, { Id: 'q', MetricStat: { ...stat, Unit: 'Milliseconds' } })).toMatchObject({
      Values: [40, 40, 40, 40, 40, 40],
    });
  });

  it('answers one query per secondary in one request, with each statistic and label', async () => {
    const { west } = await start(
      awsSeed({
        rds: {
          globalClusters: [
            {
              id: 'g',
              members: [
                { id: 'a', region: 'us-east-1', writer: true },
                { id: 'b', region: 'us-west-2', lagMs: 25 },
                { id: 'c', region: 'us-west-2', lagMs: 130 },
              ],
            },
          ],
        },
      }),
    );
    const out = await west.send(
      new GetMetricDataCommand({
        MetricDataQueries: [
          lagOf('b', 'b'),
          { ...lagOf('c', 'c', 'p99'), Label: 'lag of c' },
          { ...lagOf('c', 'hidden'), ReturnData: false },
          {
            ...lagOf('c', 'count', 'SampleCount'),
            MetricStat: { ...lagOf('c').MetricStat!, Period: 300, Stat: 'SampleCount' },
          },
        ],
        ...window(10),
      }),
    );
    expect(out.MetricDataResults?.map((result) => [result.Id, result.Label, result.Values?.[0]])).toEqual([
      ['b', 'AuroraGlobalDBReplicationLag', 25],
      ['c', 'lag of c', 130],
      ['count', 'AuroraGlobalDBReplicationLag', expect.any(Number)],
    ]);
    // Five-minute periods hold five one-minute samples (the newest period is still filling).
    const counts = out.MetricDataResults![2]!.Values!;
    expect(counts.slice(1)).toEqual(counts.slice(1).map(() => 5));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(11);
    expect(emulator.requests.count({ service: 'aws.cloudwatch' })).toBe(1);
  });

  it('follows the RDS state: a switchover moves the metric to the old writer, a forced failover after its resync, a detach ends it', async () => {
    const { east, west } = await start(
      awsSeed({
        rds: {
          globalClusters: [
            {
              id: 'g',
              members: [
                { id: 'a', region: 'us-east-1', writer: true, lagMs: 15 },
                { id: 'b', region: 'us-west-2', lagMs: 40 },
              ],
            },
          ],
        },
      }),
    );
    const started = emulator.clock.now();
    await rds(emulator, 'us-west-2').send(
      new SwitchoverGlobalClusterCommand({ GlobalClusterIdentifier: 'g', TargetDbClusterIdentifier: 'b' }),
    );
    emulator.clock.advance(10 * minute);
    // The switchover took 90 s + 40 ms of lag: b replicated until then, a from then on.
    const switchedAt = started + 90_040;
    expect((await lagSeries(west, 'b', 15)).every(([at]) => at < switchedAt)).toBe(true);
    const a = await lagSeries(east, 'a', 15);
    expect(a.length).toBeGreaterThan(0);
    expect(a.every(([at, value]) => at >= switchedAt && value === 15)).toBe(true);

    await rds(emulator, 'us-east-1').send(
      new FailoverGlobalClusterCommand({
        GlobalClusterIdentifier: 'g',
        TargetDbClusterIdentifier: 'a',
        AllowDataLoss: true,
      }),
    );
    const failedOverAt = emulator.clock.now() + 60_000;
    emulator.clock.advance(3 * minute);
    // The old writer b waits 5 minutes for its resync: no lag yet.
    expect((await lagSeries(west, 'b', 2)).length).toBe(0);
    emulator.clock.advance(10 * minute);
    const b = await lagSeries(west, 'b', 10);
    expect(b.length).toBeGreaterThan(0);
    expect(b.every(([at]) => at >= failedOverAt + 300_000)).toBe(true);

    await rds(emulator, 'us-west-2').send(
      new RemoveFromGlobalClusterCommand({ GlobalClusterIdentifier: 'g', DbClusterIdentifier: 'b' }),
    );
    const detachedAt = emulator.clock.now();
    emulator.clock.advance(5 * minute);
    const history = await lagSeries(west, 'b', 20);
    expect(history.length).toBeGreaterThan(0);
    expect(history.every(([at]) => at <= detachedAt)).toBe(true);
  });

  it('GetMetricStatistics gives the basic and extended statistics per period', async () => {
    const { west } = await start();
    const out = await west.send(
      new GetMetricStatisticsCommand({
        Namespace: 'AWS/RDS',
        MetricName: 'AuroraGlobalDBReplicationLag',
        Dimensions: [{ Name: 'DBClusterIdentifier', Value: 'ecommerce-secondary' }],
        ...window(3),
        Period: 60,
        Statistics: ['Average', 'Maximum'],
      }),
    );
    expect(out.Label).toBe('AuroraGlobalDBReplicationLag');
    expect(out.Datapoints).toHaveLength(4);
    expect(out.Datapoints![0]).toEqual({
      Timestamp: expect.any(Date),
      Average: 40,
      Maximum: 40,
      Unit: 'Milliseconds',
    });
    const extended = await west.send(
      new GetMetricStatisticsCommand({
        Namespace: 'AWS/RDS',
        MetricName: 'AuroraGlobalDBReplicationLag',
        Dimensions: [{ Name: 'DBClusterIdentifier', Value: 'ecommerce-secondary' }],
        ...window(3),
        Period: 300,
        ExtendedStatistics: ['p99'],
      }),
    );
    expect(extended.Datapoints?.map((point) => point.ExtendedStatistics)).toContainEqual({ p99: 40 });

    const tooMany = await west
      .send(
        new GetMetricStatisticsCommand({
          Namespace: 'AWS/RDS',
          MetricName: 'AuroraGlobalDBReplicationLag',
          ...window(2 * 1440),
          Period: 60,
          Statistics: ['Maximum'],
        }),
      )
      .catch((error: unknown) => error);
    expect(tooMany).toMatchObject({
      name: 'InvalidParameterCombinationException',
      Code: 'InvalidParameterCombination',
    });
  });

  it('pages datapoints with MaxDatapoints and NextToken', async () => {
    const { west } = await start();
    const pages = [];
    for await (const page of paginateGetMetricData(
      { client: west, pageSize: 4 },
      { MetricDataQueries: [lagOf('ecommerce-secondary')], ...window(9) },
    )) {
      pages.push(page.MetricDataResults![0]!);
    }
    expect(pages.map((page) => [page.StatusCode, page.Values?.length])).toEqual([
      ['PartialData', 4],
      ['PartialData', 4],
      ['Complete', 2],
    ]);
    const timestamps = pages.flatMap((page) => page.Timestamps!.map((at) => at.getTime()));
    expect(timestamps).toEqual([...timestamps].sort((a, b) => b - a));
    expect(new Set(timestamps).size).toBe(10);
    const bad = await west
      .send(new GetMetricDataCommand({ MetricDataQueries: [lagOf('x')], ...window(1), NextToken: 'nope' }))
      .catch((error: unknown) => error);
    expect(bad).toMatchObject({ name: 'InvalidNextToken', $metadata: { httpStatusCode: 400 } });
  });
});

describe('CloudWatch errors', () => {
  const reject = (client: CloudWatchClient, input: Partial<GetMetricDataCommandInput>) =>
    client
      .send(
        new GetMetricDataCommand({
          MetricDataQueries: [lagOf('ecommerce-secondary')],
          ...window(5),
          ...input,
        }),
      )
      .then(
        () => {
          throw new Error('expected an error');
        },
        (error: {
          name: string;
          Code?: string;
          message: string;
          $fault?: string;
          $metadata: { httpStatusCode?: number };
        }) => ({
          name: error.name,
          code: error.Code,
          status: error.$metadata.httpStatusCode,
          fault: error.$fault,
          message: error.message,
        }),
      );

  it('rejects invalid queries with CloudWatch’s own codes, read by the SDK from x-amzn-query-error', async () => {
    const { west } = await start();
    const stat = lagOf('ecommerce-secondary').MetricStat!;
    expect(
      await reject(west, { MetricDataQueries: [{ ...lagOf('x'), MetricStat: { ...stat, Period: 45 } }] }),
    ).toMatchObject({
      name: 'InvalidParameterValueException',
      code: 'InvalidParameterValue',
      status: 400,
      fault: 'client',
    });
    const now = emulator.clock.now();
    expect(await reject(west, { StartTime: new Date(now), EndTime: new Date(now - minute) })).toMatchObject({
      code: 'InvalidParameterValue',
      message: 'The parameter StartTime must be less than the parameter EndTime.',
    });
    expect(await reject(west, { MetricDataQueries: [lagOf('a', 'same'), lagOf('b', 'same')] })).toMatchObject(
      {
        code: 'InvalidParameterValue',
      },
    );
    expect(await reject(west, { MetricDataQueries: [lagOf('a', 'Upper')] })).toMatchObject({
      name: 'ValidationException',
      code: 'ValidationError',
    });
    expect(
      await reject(west, { MetricDataQueries: [{ ...lagOf('a'), MetricStat: { ...stat, Stat: 'Median' } }] }),
    ).toMatchObject({
      code: 'InvalidParameterValue',
    });
    expect(
      await reject(west, { MetricDataQueries: [{ Id: 'm', Expression: 'SUM(METRICS())' }] }),
    ).toMatchObject({
      code: 'InvalidParameterValue',
    });
    expect(await reject(west, { MetricDataQueries: [{ Id: 'm' }] })).toMatchObject({
      code: 'InvalidParameterCombination',
    });
    expect(
      await reject(west, {
        MetricDataQueries: [{ Id: 'm', MetricStat: { ...stat, Metric: { MetricName: 'x' } } }],
      }),
    ).toMatchObject({ name: 'MissingRequiredParameterException', code: 'MissingParameter' });
    expect(await reject(west, { MetricDataQueries: [], StartTime: undefined })).toMatchObject({
      code: 'ValidationError',
    });
    expect(emulator.requests.list().every((entry) => !entry.mutating && entry.status === 400)).toBe(true);
  });

  it('renders injected throttling and 5xx in the CloudWatch shape, and retries them in the SDK', async () => {
    const { west } = await start();
    emulator.faults.add({ fault: 'throttle', service: 'aws.cloudwatch', times: 1 });
    const retried = await west.send(
      new GetMetricDataCommand({ MetricDataQueries: [lagOf('ecommerce-secondary')], ...window(1) }),
    );
    expect(retried.$metadata.attempts).toBe(2);
    expect(emulator.requests.list().map((entry) => [entry.operation, entry.status, entry.fault])).toEqual([
      ['GetMetricData', 400, 'throttle'],
      ['GetMetricData', 200, undefined],
    ]);

    emulator.faults.add({ fault: 'throttle', service: 'aws.cloudwatch', times: 1 });
    expect(await reject(cloudWatch('us-west-2', 1), {})).toMatchObject({
      name: 'Throttling',
      code: 'Throttling',
      status: 400,
      message: 'Rate exceeded',
    });
    emulator.faults.add({ fault: 'server-error', service: 'aws.cloudwatch', times: 1 });
    expect(await reject(cloudWatch('us-west-2', 1), {})).toMatchObject({
      name: 'InternalServiceFault',
      code: 'InternalServiceError',
      status: 500,
      fault: 'server',
    });
  });

  it('answers a region that is down with 503, and malformed or unsigned requests in the awsJson shape', async () => {
    const { west } = await start(awsSeed({ unreachableRegions: ['us-west-2'] }));
    expect(await reject(west, {})).toMatchObject({ code: 'ServiceUnavailable', status: 503 });

    const raw = async (headers: Record<string, string>, body: string) => {
      const response = await fetch(`${emulator.endpoint('aws.cloudwatch')}/`, {
        method: 'POST',
        headers,
        body,
      });
      return {
        status: response.status,
        queryError: response.headers.get('x-amzn-query-error'),
        contentType: response.headers.get('content-type'),
        body: (await response.json()) as { __type: string; message: string },
      };
    };
    const signed = {
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/monitoring/aws4_request, SignedHeaders=host, Signature=abc',
      'content-type': 'application/x-amz-json-1.0',
    };
    const target = { 'x-amz-target': 'GraniteServiceVersion20100801.GetMetricData' };
    expect(await raw({ ...signed, ...target }, '{"MetricDataQueries": ')).toMatchObject({
      status: 400,
      queryError: 'SerializationException;Sender',
      contentType: 'application/x-amz-json-1.0',
      body: { __type: 'com.amazon.coral.service#SerializationException' },
    });
    expect(
      await raw({ ...signed, ...target }, '{"MetricDataQueries": "all", "StartTime": 1, "EndTime": 2}'),
    ).toMatchObject({
      status: 400,
      body: { __type: 'com.amazon.coral.service#SerializationException' },
    });
    expect(await raw({ ...signed, ...target }, '{"StartTime": "yesterday"}')).toMatchObject({ status: 400 });
    expect(await raw(signed, '{}')).toMatchObject({
      status: 400,
      body: { __type: 'com.amazon.coral.service#UnknownOperationException' },
    });
    expect(
      await raw({ ...signed, 'x-amz-target': 'GraniteServiceVersion20100801.PutMetricData' }, '{}'),
    ).toMatchObject({
      status: 400,
      body: { __type: 'com.amazon.coral.service#UnknownOperationException' },
    });
    expect(await raw({ ...target }, '{}')).toMatchObject({
      status: 403,
      queryError: 'MissingAuthenticationToken;Sender',
    });
    expect(
      await raw(
        { ...signed, ...target, authorization: signed.authorization.replace('/monitoring/', '/rds/') },
        '{}',
      ),
    ).toMatchObject({ status: 403, body: { __type: 'com.amazon.coral.service#InvalidSignatureException' } });
    expect(emulator.requests.list().every((entry) => entry.status < 500 || entry.status === 503)).toBe(true);
  });
});
