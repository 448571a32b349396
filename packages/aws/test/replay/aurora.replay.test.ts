import { afterEach, describe, expect, it } from 'vitest';
import {
  type AwsReplayServer,
  awsJson,
  awsOnReplay,
  query,
  startAwsReplayServer,
} from './aws-replay-server.js';

// aws.aurora against answers in the shapes of the Amazon RDS API reference
// (docs.aws.amazon.com/AmazonRDS/latest/APIReference: DescribeGlobalClusters,
// DescribeDBClusters, SwitchoverGlobalCluster — each answered with the
// GlobalCluster / DBCluster data types, FailoverState while a switchover runs)
// and of the CloudWatch API reference (GetMetricData: MetricDataResults with
// Id, Timestamps, Values, StatusCode). Element names follow the RDS Smithy model
// as the SDK reads it (list members <GlobalClusterMember>, <DBCluster>,
// <DBClusterMember>; Readers as <member>). Identifiers, ARNs and values are
// ours, written in those shapes; they are not copied from a published example.

const ns = 'http://rds.amazonaws.com/doc/2014-10-31/';
const globalId = 'ecommerce-global';
const east = 'arn:aws:rds:us-east-1:111122223333:cluster:ecommerce-primary';
const west = 'arn:aws:rds:us-west-2:111122223333:cluster:ecommerce-secondary';

const member = (arn: string, writer: boolean, readers: string[]) => `
          <GlobalClusterMember>
            <DBClusterArn>${arn}</DBClusterArn>
            <Readers>${readers.map((reader) => `<member>${reader}</member>`).join('')}</Readers>
            <IsWriter>${writer}</IsWriter>
            <GlobalWriteForwardingStatus>disabled</GlobalWriteForwardingStatus>${
              writer ? '' : '\n            <SynchronizationStatus>connected</SynchronizationStatus>'
            }
          </GlobalClusterMember>`;
const globalCluster = (
  writer: string,
  status: string,
  failover?: { status: string; from: string; to: string },
) => `
      <GlobalClusterIdentifier>${globalId}</GlobalClusterIdentifier>
      <GlobalClusterResourceId>cluster-4c6b1b4b3a7c4e1f</GlobalClusterResourceId>
      <GlobalClusterArn>arn:aws:rds::111122223333:global-cluster:${globalId}</GlobalClusterArn>
      <Status>${status}</Status>
      <Engine>aurora-postgresql</Engine>
      <EngineVersion>16.4</EngineVersion>
      <StorageEncrypted>true</StorageEncrypted>
      <DeletionProtection>false</DeletionProtection>
      <GlobalClusterMembers>${member(east, writer === east, writer === east ? [west] : [])}${member(
        west,
        writer === west,
        writer === west ? [east] : [],
      )}
      </GlobalClusterMembers>${
        failover
          ? `
      <FailoverState>
        <Status>${failover.status}</Status>
        <FromDbClusterArn>${failover.from}</FromDbClusterArn>
        <ToDbClusterArn>${failover.to}</ToDbClusterArn>
        <IsDataLossAllowed>false</IsDataLossAllowed>
      </FailoverState>`
          : ''
      }`;
const describeGlobal = (
  writer: string,
  status = 'available',
  failover?: Parameters<typeof globalCluster>[2],
) =>
  `<DescribeGlobalClustersResponse xmlns="${ns}">
  <DescribeGlobalClustersResult>
    <GlobalClusters>
      <GlobalClusterMember>${globalCluster(writer, status, failover)}
      </GlobalClusterMember>
    </GlobalClusters>
  </DescribeGlobalClustersResult>
  <ResponseMetadata><RequestId>5e4d3c2b-1a09-4f8e-9d7c-6b5a49382716</RequestId></ResponseMetadata>
</DescribeGlobalClustersResponse>`;
const describeCluster = (arn: string, writerInstance: boolean) => {
  const id = arn.split(':').at(-1)!;
  return `<DescribeDBClustersResponse xmlns="${ns}">
  <DescribeDBClustersResult>
    <DBClusters>
      <DBCluster>
        <DBClusterIdentifier>${id}</DBClusterIdentifier>
        <DBClusterArn>${arn}</DBClusterArn>
        <Status>available</Status>
        <Engine>aurora-postgresql</Engine>
        <EngineVersion>16.4</EngineVersion>
        <MultiAZ>false</MultiAZ>
        <GlobalClusterIdentifier>${globalId}</GlobalClusterIdentifier>
        <DBClusterMembers>
          <DBClusterMember>
            <DBInstanceIdentifier>${id}-1</DBInstanceIdentifier>
            <IsClusterWriter>${writerInstance}</IsClusterWriter>
            <DBClusterParameterGroupStatus>in-sync</DBClusterParameterGroupStatus>
            <PromotionTier>1</PromotionTier>
          </DBClusterMember>
        </DBClusterMembers>
      </DBCluster>
    </DBClusters>
  </DescribeDBClustersResult>
  <ResponseMetadata><RequestId>0f1e2d3c-4b5a-4697-8877-665544332211</RequestId></ResponseMetadata>
</DescribeDBClustersResponse>`;
};
const switchoverAnswer = `<SwitchoverGlobalClusterResponse xmlns="${ns}">
  <SwitchoverGlobalClusterResult>
    <GlobalCluster>${globalCluster(east, 'switching-over', { status: 'pending', from: east, to: west })}
    </GlobalCluster>
  </SwitchoverGlobalClusterResult>
  <ResponseMetadata><RequestId>7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d</RequestId></ResponseMetadata>
</SwitchoverGlobalClusterResponse>`;
/** AuroraGlobalDBReplicationLag of the secondary: the newest datapoint (40 ms) listed second. */
const lagAnswer = {
  MetricDataResults: [
    {
      Id: 'lag0',
      Label: 'AuroraGlobalDBReplicationLag',
      Timestamps: [1765062000, 1765062060],
      Values: [55, 40],
      StatusCode: 'Complete',
    },
  ],
  Messages: [],
};

let server: AwsReplayServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

function auroraOn(replay: AwsReplayServer) {
  return awsOnReplay(replay, { startAt: 1765062090_000 }).databaseFailover();
}

const summary = (replay: AwsReplayServer) =>
  replay.requests.map((r) => `${r.region} ${r.form.Action ?? r.target}`);

describe('aws.aurora replayed', () => {
  it('describes the global cluster: members, regional status and the secondary’s newest lag', async () => {
    server = await startAwsReplayServer([
      query('/rds', 'DescribeGlobalClusters', 'us-east-1', describeGlobal(east)),
      query('/rds', 'DescribeDBClusters', 'us-east-1', describeCluster(east, true)),
      query('/rds', 'DescribeDBClusters', 'us-west-2', describeCluster(west, false)),
      awsJson('/monitoring', 'GetMetricData', 'us-west-2', lagAnswer),
    ]);
    const db = auroraOn(server);
    expect((await db.describe({ id: globalId }))._unsafeUnwrap()).toEqual({
      id: globalId,
      members: [
        { id: east, region: 'us-east-1', role: 'writer', status: 'available', rawStatus: 'available' },
        {
          id: west,
          region: 'us-west-2',
          role: 'reader',
          status: 'available',
          rawStatus: 'available',
          replicationLagMs: 40,
        },
      ],
      failoverInProgress: false,
      rawStatus: 'available',
    });
    expect(server.unmatched).toEqual([]);
    expect(server.unused()).toEqual([]);
    expect(summary(server)[0]).toBe('us-east-1 DescribeGlobalClusters');
    expect(summary(server).sort()).toEqual([
      'us-east-1 DescribeDBClusters',
      'us-east-1 DescribeGlobalClusters',
      'us-west-2 DescribeDBClusters',
      'us-west-2 GetMetricData',
    ]);
    const [global, ...clusters] = server.requests.filter((r) => r.mount === '/rds');
    expect(global!.form).toEqual({
      Action: 'DescribeGlobalClusters',
      Version: '2014-10-31',
      GlobalClusterIdentifier: globalId,
    });
    expect(clusters.map((r) => r.form.DBClusterIdentifier).sort()).toEqual([
      'ecommerce-primary',
      'ecommerce-secondary',
    ]);
    const metric = JSON.parse(server.requests.find((r) => r.target === 'GetMetricData')!.body);
    // The lag metric of the secondary cluster, by its identifier, over the last five minutes of the clock.
    expect(metric).toEqual({
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
      StartTime: 1765061790,
      EndTime: 1765062090,
      ScanBy: 'TimestampDescending',
    });
  });

  it('planned: SwitchoverGlobalCluster to the secondary’s ARN, sent in its region, then waits for the new writer', async () => {
    server = await startAwsReplayServer([
      query('/rds', 'DescribeGlobalClusters', 'us-west-2', describeGlobal(east)),
      query('/rds', 'DescribeDBClusters', 'us-east-1', describeCluster(east, true)),
      query('/rds', 'DescribeDBClusters', 'us-west-2', describeCluster(west, false)),
      query('/rds', 'SwitchoverGlobalCluster', 'us-west-2', switchoverAnswer),
      query(
        '/rds',
        'DescribeGlobalClusters',
        'us-west-2',
        describeGlobal(east, 'switching-over', { status: 'failing-over', from: east, to: west }),
      ),
      query('/rds', 'DescribeGlobalClusters', 'us-west-2', describeGlobal(west)),
      query('/rds', 'DescribeDBClusters', 'us-east-1', describeCluster(east, false)),
      query('/rds', 'DescribeDBClusters', 'us-west-2', describeCluster(west, true)),
    ]);
    const db = auroraOn(server);
    const ensured = (
      await db.ensureWriter({ id: globalId }, { region: 'us-west-2', mode: 'planned' })
    )._unsafeUnwrap();
    expect(ensured).toMatchObject({
      changed: true,
      handle: {
        operation: 'SwitchoverGlobalCluster',
        id: globalId,
        detail: { strategy: 'switchover', targetArn: west, targetRegion: 'us-west-2' },
      },
    });
    const topology = (await db.waitForWriter(ensured.handle!, { timeoutMs: 3_600_000 }))._unsafeUnwrap();
    expect(topology.members.map((m) => [m.region, m.role, m.status])).toEqual([
      ['us-east-1', 'reader', 'available'],
      ['us-west-2', 'writer', 'available'],
    ]);
    expect(server.unmatched).toEqual([]);
    expect(server.unused()).toEqual([]);
    // Observed, acted on and polled in the target region; each member's cluster read in its own.
    expect(summary(server)).toEqual([
      'us-west-2 DescribeGlobalClusters',
      expect.stringMatching(/DescribeDBClusters$/),
      expect.stringMatching(/DescribeDBClusters$/),
      'us-west-2 SwitchoverGlobalCluster',
      'us-west-2 DescribeGlobalClusters', // still switching over: no cluster reads
      'us-west-2 DescribeGlobalClusters',
      expect.stringMatching(/DescribeDBClusters$/),
      expect.stringMatching(/DescribeDBClusters$/),
    ]);
    expect(
      server.requests
        .filter((r) => r.form.Action === 'DescribeDBClusters')
        .map((r) => `${r.region} ${r.form.DBClusterIdentifier}`)
        .sort(),
    ).toEqual([
      'us-east-1 ecommerce-primary',
      'us-east-1 ecommerce-primary',
      'us-west-2 ecommerce-secondary',
      'us-west-2 ecommerce-secondary',
    ]);
    const switchover = server.requests.find((r) => r.form.Action === 'SwitchoverGlobalCluster')!;
    expect(switchover.form).toEqual({
      Action: 'SwitchoverGlobalCluster',
      Version: '2014-10-31',
      GlobalClusterIdentifier: globalId,
      TargetDbClusterIdentifier: west,
    });
  });
});
