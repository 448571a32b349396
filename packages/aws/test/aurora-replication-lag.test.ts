import {
  CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
} from '@aws-sdk/client-cloudwatch';
import {
  type ApiCall,
  check,
  type DatabaseTopology,
  definePlan,
  type FailoverError,
  type Result,
  runPlan,
  validatePlan,
} from '@failover/core';
import type { AwsSeed, Emulator } from '@failover/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { mapAwsError } from '../src/index.js';
import { awsOn, awsWorld, credentials, startAwsEmulator } from './aws-emulator.js';

let emulator: Emulator;
afterEach(async () => {
  expect(emulator.requests.list().filter((entry) => entry.internalError)).toEqual([]);
  await emulator.stop();
});

const ref = { id: 'ecommerce-global' };
const arn = (region: string, id: string) => `arn:aws:rds:${region}:123456789012:cluster:${id}`;
const lagOf = (topology: DatabaseTopology) =>
  Object.fromEntries(topology.members.map((member) => [member.id, member.replicationLagMs]));
const metricCalls = () =>
  emulator.requests
    .list({ service: 'aws.cloudwatch' })
    .map((entry) => [entry.operation, entry.region, entry.status]);

/** A global cluster writing in us-east-1 with secondaries at the given lags. */
function globalWorld(
  secondaries: Array<{ id: string; region: string; lagMs: number }>,
  extra: Partial<AwsSeed> = {},
) {
  return awsWorld({
    rds: {
      globalClusters: [
        {
          id: 'ecommerce-global',
          members: [{ id: 'ecommerce-primary', region: 'us-east-1', writer: true }, ...secondaries],
        },
      ],
    },
    ...extra,
  });
}

describe('Aurora replication lag from CloudWatch', () => {
  it('declares the capability and reports each secondary’s newest AuroraGlobalDBReplicationLag, one GetMetricData per region', async () => {
    emulator = await startAwsEmulator(
      globalWorld([
        { id: 'west-a', region: 'us-west-2', lagMs: 40 },
        { id: 'west-b', region: 'us-west-2', lagMs: 75 },
        { id: 'europe', region: 'eu-west-1', lagMs: 180 },
      ]),
    );
    const db = awsOn(emulator).databaseFailover();
    expect(db.capabilities.replicationLag).toBe(true);
    const reported: ApiCall[] = [];
    const topology = (await db.describe(ref, { onApiCall: (call) => reported.push(call) }))._unsafeUnwrap();
    expect(lagOf(topology)).toEqual({
      [arn('us-east-1', 'ecommerce-primary')]: undefined,
      [arn('us-west-2', 'west-a')]: 40,
      [arn('us-west-2', 'west-b')]: 75,
      [arn('eu-west-1', 'europe')]: 180,
    });
    expect(metricCalls().sort()).toEqual([
      ['GetMetricData', 'eu-west-1', 200],
      ['GetMetricData', 'us-west-2', 200],
    ]);
    expect(reported.filter((call) => call.operation === 'GetMetricData')).toEqual([
      { provider: 'aws.aurora', operation: 'GetMetricData', mutating: false },
      { provider: 'aws.aurora', operation: 'GetMetricData', mutating: false },
    ]);
    expect(reported).toHaveLength(emulator.requests.count());
    // ensureWriter and waitForWriter do not read the metric: only describe does.
    (await db.ensureWriter(ref, { region: 'us-east-1', mode: 'planned' }))._unsafeUnwrap();
    expect(emulator.requests.count({ service: 'aws.cloudwatch' })).toBe(2);
  });

  it('leaves the lag undefined while there is no datapoint: a new secondary before its first sample, an old writer awaiting its resync', async () => {
    emulator = await startAwsEmulator(
      globalWorld([{ id: 'ecommerce-secondary', region: 'us-west-2', lagMs: 40 }]),
    );
    const db = awsOn(emulator).databaseFailover();
    const switched = (await db.ensureWriter(ref, { region: 'us-west-2', mode: 'planned' }))._unsafeUnwrap();
    (await db.waitForWriter(switched.handle!, { timeoutMs: 30 * 60_000 }))._unsafeUnwrap();
    const primary = arn('us-east-1', 'ecommerce-primary');
    const secondary = arn('us-west-2', 'ecommerce-secondary');
    // The switchover ended 90 040 ms in; the old writer's first sample is at the next full minute.
    expect(emulator.clock.now() % 60_000).not.toBe(0);
    expect(lagOf((await db.describe(ref))._unsafeUnwrap())).toEqual({
      [primary]: undefined,
      [secondary]: undefined,
    });
    emulator.clock.advance(60_000);
    expect(lagOf((await db.describe(ref))._unsafeUnwrap())).toEqual({ [primary]: 0, [secondary]: undefined });

    // Forced back: us-west-2 waits five minutes for its resync. The window still holds its
    // datapoints from before it was the writer, but a member awaiting its resync does not
    // replicate: its lag is not read at all.
    const forced = (await db.ensureWriter(ref, { region: 'us-east-1', mode: 'forced' }))._unsafeUnwrap();
    (await db.waitForWriter(forced.handle!, { timeoutMs: 30 * 60_000 }))._unsafeUnwrap();
    const calls = emulator.requests.count({ service: 'aws.cloudwatch' });
    expect(lagOf((await db.describe(ref))._unsafeUnwrap())[secondary]).toBeUndefined();
    expect(emulator.requests.count({ service: 'aws.cloudwatch' })).toBe(calls);
    emulator.clock.advance(6 * 60_000);
    expect(lagOf((await db.describe(ref))._unsafeUnwrap())[secondary]).toBe(40);
  });

  it('asks for the Maximum per minute over the last replicationLagWindowMs (default 5 minutes), through clients.cloudwatch when given', async () => {
    emulator = await startAwsEmulator();
    const inputs: GetMetricDataCommandInput[] = [];
    const cloudwatch = (region: string) => {
      const client = new CloudWatchClient({
        region,
        endpoint: emulator.endpoint('aws.cloudwatch'),
        credentials,
        maxAttempts: 1,
      });
      client.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName === 'GetMetricDataCommand')
            inputs.push(args.input as GetMetricDataCommandInput);
          return next(args);
        },
        { step: 'initialize' },
      );
      return client;
    };
    const aws = awsOn(emulator, { clients: { cloudwatch } });
    const now = emulator.clock.now();
    expect(lagOf((await aws.databaseFailover().describe(ref))._unsafeUnwrap())).toMatchObject({
      [arn('us-west-2', 'ecommerce-secondary')]: 40,
    });
    (await aws.databaseFailover({ replicationLagWindowMs: 120_000 }).describe(ref))._unsafeUnwrap();
    expect(inputs).toEqual([
      {
        MetricDataQueries: [
          {
            Id: 'lag0',
            MetricStat: {
              Metric: {
                Namespace: 'AWS/RDS',
                MetricName: 'AuroraGlobalDBReplicationLag',
                Dimensions: [{ Name: 'DBClusterIdentifier', Value: 'ecommerce-secondary' }],
              },
              Period: 60,
              Stat: 'Maximum',
            },
          },
        ],
        StartTime: new Date(now - 300_000),
        EndTime: new Date(now),
        ScanBy: 'TimestampDescending',
      },
      expect.objectContaining({ StartTime: new Date(now - 120_000), EndTime: new Date(now) }),
    ]);
    expect(
      (await aws.databaseFailover({ replicationLagWindowMs: 30_000 }).describe(ref))._unsafeUnwrapErr(),
    ).toMatchObject({ kind: 'invalid-input', path: 'replicationLagWindowMs' });
    expect(inputs).toHaveLength(2);
  });

  it('never fails describe for the metric: a throttled, refused or unreachable CloudWatch leaves the lag unknown', async () => {
    emulator = await startAwsEmulator(
      globalWorld(
        [
          { id: 'ecommerce-secondary', region: 'us-west-2', lagMs: 40 },
          { id: 'europe', region: 'eu-west-1', lagMs: 60 },
        ],
        { unreachableRegions: ['eu-west-1'] },
      ),
    );
    const db = awsOn(emulator, { retry: { maxAttempts: 2, baseDelayMs: 1_000 } }).databaseFailover();
    const secondary = arn('us-west-2', 'ecommerce-secondary');
    const europe = arn('eu-west-1', 'europe');

    // One throttle is retried by the adapter on the emulator clock; the region that is down is not fatal.
    emulator.faults.add({ fault: 'throttle', service: 'aws.cloudwatch', times: 1 });
    const first = (await db.describe(ref))._unsafeUnwrap();
    expect(lagOf(first)[secondary]).toBe(40);
    expect(first.members.find((member) => member.id === europe)).toMatchObject({ status: 'unavailable' });
    expect(lagOf(first)[europe]).toBeUndefined();

    emulator.faults.add({
      fault: 'throttle',
      service: 'aws.cloudwatch',
      operation: 'GetMetricData',
      times: 10,
    });
    const throttled = (await db.describe(ref))._unsafeUnwrap();
    expect(lagOf(throttled)[secondary]).toBeUndefined();
    expect(throttled.members.map((member) => member.status)).toEqual([
      'available',
      'available',
      'unavailable',
    ]);
    emulator.faults.clear();

    // A wrong endpoint (no CloudWatch there) is a failed read like any other.
    const elsewhere = awsOn(emulator, {
      retry: { maxAttempts: 1 },
      endpoints: {
        rds: emulator.endpoint('aws.rds'),
        cloudwatch: `${emulator.endpoint('aws.rds')}/`,
      },
    }).databaseFailover();
    expect(lagOf((await elsewhere.describe(ref))._unsafeUnwrap())[secondary]).toBeUndefined();
  });

  it('maps CloudWatch’s errors (read from x-amzn-query-error) with the one AWS error mapper', async () => {
    emulator = await startAwsEmulator(awsWorld({ unreachableRegions: ['eu-west-1'] }));
    const db = awsOn(emulator).databaseFailover();
    const kindOf = async (region: string, input: Partial<GetMetricDataCommandInput> = {}) => {
      const client = await db.getCloudWatchClient(region);
      const now = emulator.clock.now();
      const thrown = await client
        .send(
          new GetMetricDataCommand({
            MetricDataQueries: [
              {
                Id: 'lag',
                MetricStat: {
                  Metric: { Namespace: 'AWS/RDS', MetricName: 'AuroraGlobalDBReplicationLag' },
                  Period: 60,
                  Stat: 'Maximum',
                },
              },
            ],
            StartTime: new Date(now - 60_000),
            EndTime: new Date(now),
            ...input,
          }),
        )
        .catch((error: unknown) => error);
      const mapped = mapAwsError(thrown, { provider: 'aws.aurora', operation: 'GetMetricData' });
      return [mapped.kind, mapped.retryable, mapped.retryAfterMs];
    };
    emulator.faults.add({ fault: 'throttle', service: 'aws.cloudwatch', times: 1 });
    expect(await kindOf('us-west-2')).toEqual(['throttled', true, 1_000]);
    emulator.faults.add({ fault: 'server-error', service: 'aws.cloudwatch', times: 1 });
    expect(await kindOf('us-west-2')).toEqual(['unavailable', true, undefined]);
    expect(await kindOf('eu-west-1')).toEqual(['unavailable', true, undefined]);
    const now = emulator.clock.now();
    expect(await kindOf('us-west-2', { StartTime: new Date(now), EndTime: new Date(now - 1) })).toEqual([
      'invalid-input',
      false,
      undefined,
    ]);
    expect(await kindOf('us-west-2', { MetricDataQueries: [{ Id: 'Bad' }] })).toEqual([
      'invalid-input',
      false,
      undefined,
    ]);
  });

  it('replicationLag: false declares no capability and makes no CloudWatch call', async () => {
    emulator = await startAwsEmulator();
    const db = awsOn(emulator).databaseFailover({ replicationLag: false });
    expect(db.capabilities).toEqual({ modes: ['planned', 'forced'], replicationLag: false });
    const topology = (await db.describe(ref))._unsafeUnwrap();
    expect(topology.members.every((member) => member.replicationLagMs === undefined)).toBe(true);
    expect(emulator.requests.count({ service: 'aws.cloudwatch' })).toBe(0);
    expect(await (await db.getCloudWatchClient('us-west-2')).config.region()).toBe('us-west-2');
  });
});

describe('a pre-flight replication-lag check on the Aurora provider', () => {
  const plan = definePlan({
    id: 'aurora-preflight',
    name: 'Aurora pre-flight',
    sourceRegion: 'us-east-1',
    targetRegion: 'us-west-2',
  })
    .step(
      check.replicationLag('replication-lag', {
        provider: 'aurora',
        database: ref,
        region: 'us-west-2',
        maxLagMs: 100,
      }),
    )
    .build()
    ._unsafeUnwrap();

  async function preflight(lagMs: number) {
    // The executor sleeps concurrently: a scaled clock, as for every plan run.
    emulator = await startAwsEmulator(
      globalWorld([{ id: 'ecommerce-secondary', region: 'us-west-2', lagMs }]),
      undefined,
      1_000,
    );
    const providers = { aurora: awsOn(emulator).databaseFailover() };
    expect(validatePlan(plan, { providers }).isOk()).toBe(true);
    return unwrap(await runPlan(plan, { providers, time: emulator.clock }));
  }

  it('validates with the provider (it declares replicationLag) and passes with the secondary 40 ms behind', async () => {
    const result = await preflight(40);
    expect(result.status, JSON.stringify(result.error)).toBe('succeeded');
    expect(result.steps[0]).toMatchObject({ stepId: 'replication-lag', status: 'succeeded' });
    expect(emulator.requests.count({ service: 'aws.cloudwatch' })).toBeGreaterThan(0);
    expect(emulator.requests.count({ mutating: true })).toBe(0);
  });

  it('fails with the secondary 250 ms behind, naming the lag', async () => {
    const result = await preflight(250);
    expect(result.status).toBe('failed');
    expect(result.steps[0]?.status).toBe('failed');
    expect(JSON.stringify(result.steps[0]?.error ?? result.error)).toContain('250 ms');
    expect(emulator.requests.count({ mutating: true })).toBe(0);
  });

  it('is rejected at validation when the provider opts out of reading the lag', async () => {
    emulator = await startAwsEmulator();
    const providers = { aurora: awsOn(emulator).databaseFailover({ replicationLag: false }) };
    const validated = validatePlan(plan, { providers });
    expect(validated.isErr() && validated.error.problems.map((problem) => problem.code)).toEqual([
      'missing-capability',
    ]);
  });
});

function unwrap<T>(result: Result<T, FailoverError>): T {
  if (result.isErr()) throw new Error(`runPlan failed: ${result.error.kind}: ${result.error.message}`);
  return result.value;
}
