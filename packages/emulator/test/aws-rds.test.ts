import {
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeGlobalClustersCommand,
  FailoverGlobalClusterCommand,
  type GlobalCluster,
  PromoteReadReplicaCommand,
  paginateDescribeDBInstances,
  RebootDBInstanceCommand,
  RemoveFromGlobalClusterCommand,
  SwitchoverGlobalClusterCommand,
} from '@aws-sdk/client-rds';
import { afterEach, describe, expect, it } from 'vitest';
import { type AwsSeed, type Emulator, startEmulator } from '../src/index.js';
import { awsSeed, rds } from './aws-clients.js';

let emulator: Emulator;
afterEach(async () => {
  expect(emulator.requests.list().filter((entry) => entry.internalError)).toEqual([]);
  await emulator.stop();
});

async function start(seed: AwsSeed = awsSeed()) {
  emulator = await startEmulator({ timeScale: 0, seed: { aws: seed } });
  return { east: rds(emulator, 'us-east-1'), west: rds(emulator, 'us-west-2') };
}

const primaryArn = 'arn:aws:rds:us-east-1:123456789012:cluster:ecommerce-primary';
const secondaryArn = 'arn:aws:rds:us-west-2:123456789012:cluster:ecommerce-secondary';

const writerOf = (global: GlobalCluster | undefined) =>
  global?.GlobalClusterMembers?.filter((member) => member.IsWriter).map((member) => member.DBClusterArn);

async function describeGlobal(client: ReturnType<typeof rds>) {
  return (
    await client.send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: 'ecommerce-global' }))
  ).GlobalClusters?.[0];
}

describe('RDS Aurora global clusters', () => {
  it('describes the global cluster, its members and the regional clusters in their regions', async () => {
    const { east, west } = await start();
    const global = await describeGlobal(west);
    expect(global).toMatchObject({
      GlobalClusterIdentifier: 'ecommerce-global',
      Status: 'available',
      Engine: 'aurora-postgresql',
      GlobalClusterArn: 'arn:aws:rds::123456789012:global-cluster:ecommerce-global',
    });
    expect(global?.GlobalClusterMembers).toEqual([
      expect.objectContaining({
        DBClusterArn: primaryArn,
        IsWriter: true,
        Readers: [secondaryArn],
        SynchronizationStatus: 'connected',
      }),
      expect.objectContaining({ DBClusterArn: secondaryArn, IsWriter: false, Readers: [] }),
    ]);
    expect(global?.FailoverState).toBeUndefined();

    const primary = (
      await east.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'ecommerce-primary' }))
    ).DBClusters?.[0];
    expect(primary).toMatchObject({
      Status: 'available',
      DBClusterArn: primaryArn,
      GlobalClusterIdentifier: 'ecommerce-global',
    });
    expect(primary?.DBClusterMembers).toEqual([
      expect.objectContaining({ DBInstanceIdentifier: 'ecommerce-primary-1', IsClusterWriter: true }),
      expect.objectContaining({ DBInstanceIdentifier: 'ecommerce-primary-2', IsClusterWriter: false }),
    ]);
    expect(primary?.Endpoint).toMatch(
      /^ecommerce-primary\.cluster-[a-z0-9]+\.us-east-1\.rds\.amazonaws\.com$/,
    );
    const byArn = (await west.send(new DescribeDBClustersCommand({ DBClusterIdentifier: secondaryArn })))
      .DBClusters?.[0];
    expect(byArn?.DBClusterMembers?.every((member) => !member.IsClusterWriter)).toBe(true);
  });

  it('answers unknown global clusters and clusters asked in the wrong region with 404 faults', async () => {
    const { east } = await start();
    const global = await east
      .send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: 'nope' }))
      .catch((error) => error);
    expect(global.name).toBe('GlobalClusterNotFoundFault');
    expect(global.$metadata.httpStatusCode).toBe(404);
    const cluster = await east
      .send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'ecommerce-secondary' }))
      .catch((error) => error);
    expect(cluster.name).toBe('DBClusterNotFoundFault');
    const switchover = await east
      .send(
        new SwitchoverGlobalClusterCommand({
          GlobalClusterIdentifier: 'nope',
          TargetDbClusterIdentifier: secondaryArn,
        }),
      )
      .catch((error) => error);
    expect(switchover.name).toBe('GlobalClusterNotFoundFault');
    expect(emulator.requests.list({ mutating: true }).map((entry) => entry.status)).toEqual([404]);
  });

  it('switches over without data loss: switching-over, one operation at a time, then the writer moves', async () => {
    const { west } = await start();
    const started = await west.send(
      new SwitchoverGlobalClusterCommand({
        GlobalClusterIdentifier: 'ecommerce-global',
        TargetDbClusterIdentifier: secondaryArn,
      }),
    );
    expect(started.GlobalCluster).toMatchObject({
      Status: 'switching-over',
      FailoverState: {
        Status: 'pending',
        FromDbClusterArn: primaryArn,
        ToDbClusterArn: secondaryArn,
        IsDataLossAllowed: false,
      },
    });
    const again = await west
      .send(
        new FailoverGlobalClusterCommand({
          GlobalClusterIdentifier: 'ecommerce-global',
          TargetDbClusterIdentifier: secondaryArn,
          AllowDataLoss: true,
        }),
      )
      .catch((error) => error);
    expect(again.name).toBe('InvalidGlobalClusterStateFault');

    await emulator.clock.sleep(30_000);
    expect((await describeGlobal(west))?.FailoverState?.Status).toBe('switching-over');
    expect(writerOf(await describeGlobal(west))).toEqual([primaryArn]);
    await emulator.clock.sleep(60_040); // 90 s switchover + 40 ms of lag
    const done = await describeGlobal(west);
    expect(done?.Status).toBe('available');
    expect(done?.FailoverState).toBeUndefined();
    expect(writerOf(done)).toEqual([secondaryArn]);
    expect(done?.GlobalClusterMembers?.map((member) => member.SynchronizationStatus)).toEqual([
      'connected',
      'connected',
    ]);
    const secondary = (
      await west.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'ecommerce-secondary' }))
    ).DBClusters?.[0];
    expect(secondary).toMatchObject({
      Status: 'available',
      DBClusterMembers: [expect.objectContaining({ IsClusterWriter: true })],
    });

    const back = await west
      .send(
        new SwitchoverGlobalClusterCommand({
          GlobalClusterIdentifier: 'ecommerce-global',
          TargetDbClusterIdentifier: secondaryArn,
        }),
      )
      .catch((error) => error);
    expect(back.name).toBe('InvalidParameterValue');
    expect(back.message).toContain('already the primary');
  });

  it('fails over with AllowDataLoss; the old primary needs a resync; without it FailoverGlobalCluster is a switchover', async () => {
    const { west } = await start();
    const failover = await west.send(
      new FailoverGlobalClusterCommand({
        GlobalClusterIdentifier: 'ecommerce-global',
        TargetDbClusterIdentifier: secondaryArn,
        AllowDataLoss: true,
      }),
    );
    expect(failover.GlobalCluster).toMatchObject({
      Status: 'failing-over',
      FailoverState: { IsDataLossAllowed: true },
    });
    const target = (
      await west.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'ecommerce-secondary' }))
    ).DBClusters?.[0];
    expect(target?.Status).toBe('failing-over');
    await emulator.clock.sleep(60_000);
    const done = await describeGlobal(west);
    expect(writerOf(done)).toEqual([secondaryArn]);
    expect(
      done?.GlobalClusterMembers?.find((member) => member.DBClusterArn === primaryArn)?.SynchronizationStatus,
    ).toBe('pending-resync');
    await emulator.clock.sleep(300_000);
    expect(
      (await describeGlobal(west))?.GlobalClusterMembers?.map((member) => member.SynchronizationStatus),
    ).toEqual(['connected', 'connected']);

    const planned = await west.send(
      new FailoverGlobalClusterCommand({
        GlobalClusterIdentifier: 'ecommerce-global',
        TargetDbClusterIdentifier: primaryArn,
      }),
    );
    expect(planned.GlobalCluster).toMatchObject({
      Status: 'switching-over',
      FailoverState: { IsDataLossAllowed: false },
    });
    const both = await west
      .send(
        new FailoverGlobalClusterCommand({
          GlobalClusterIdentifier: 'ecommerce-global',
          TargetDbClusterIdentifier: primaryArn,
          AllowDataLoss: true,
          Switchover: true,
        }),
      )
      .catch((error) => error);
    expect(both.name).toBe('InvalidParameterCombination');
  });

  it('with the primary region down: its endpoint answers 503, a switchover is refused, a forced failover and a detach work', async () => {
    const { east, west } = await start(awsSeed({ unreachableRegions: ['us-east-1'] }));
    const down = await east.send(new DescribeDBClustersCommand({})).catch((error) => error);
    expect(down.name).toBe('ServiceUnavailable');
    expect(down.$metadata).toMatchObject({ httpStatusCode: 503, attempts: 3 });

    const switchover = await west
      .send(
        new SwitchoverGlobalClusterCommand({
          GlobalClusterIdentifier: 'ecommerce-global',
          TargetDbClusterIdentifier: secondaryArn,
        }),
      )
      .catch((error) => error);
    expect(switchover.name).toBe('InvalidGlobalClusterStateFault');
    expect(switchover.message).toContain('unreachable');

    const detach = await west.send(
      new RemoveFromGlobalClusterCommand({
        GlobalClusterIdentifier: 'ecommerce-global',
        DbClusterIdentifier: secondaryArn,
      }),
    );
    expect(detach.GlobalCluster?.GlobalClusterMembers?.map((member) => member.DBClusterArn)).toEqual([
      primaryArn,
    ]);
    const promoting = (
      await west.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'ecommerce-secondary' }))
    ).DBClusters?.[0];
    expect(promoting?.Status).toBe('promoting');
    expect(promoting?.GlobalClusterIdentifier).toBeUndefined();
    await emulator.clock.sleep(30_000);
    const standalone = (
      await west.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'ecommerce-secondary' }))
    ).DBClusters?.[0];
    expect(standalone).toMatchObject({
      Status: 'available',
      DBClusterMembers: [expect.objectContaining({ IsClusterWriter: true })],
    });

    const removeWriter = await west
      .send(
        new RemoveFromGlobalClusterCommand({
          GlobalClusterIdentifier: 'ecommerce-global',
          DbClusterIdentifier: secondaryArn,
        }),
      )
      .catch((error) => error);
    expect(removeWriter.name).toBe('InvalidParameterValue');
  });

  it('forced failover works while the old primary is unreachable', async () => {
    const { west } = await start(awsSeed({ unreachableRegions: ['us-east-1'] }));
    await west.send(
      new FailoverGlobalClusterCommand({
        GlobalClusterIdentifier: 'ecommerce-global',
        TargetDbClusterIdentifier: secondaryArn,
        AllowDataLoss: true,
      }),
    );
    await emulator.clock.sleep(60_000);
    expect(writerOf(await describeGlobal(west))).toEqual([secondaryArn]);
  });

  it('never finishes a stuck switchover', async () => {
    const { west } = await start();
    emulator.faults.add({ fault: 'stuck', operation: 'SwitchoverGlobalCluster', times: 1 });
    await west.send(
      new SwitchoverGlobalClusterCommand({
        GlobalClusterIdentifier: 'ecommerce-global',
        TargetDbClusterIdentifier: secondaryArn,
      }),
    );
    await emulator.clock.sleep(7 * 24 * 3600_000);
    expect((await describeGlobal(west))?.Status).toBe('switching-over');
  });
});

describe('RDS instances', () => {
  it('forces a Multi-AZ failover with RebootDBInstance ForceFailover: rebooting, then the zones swap', async () => {
    const { east } = await start();
    const before = (await east.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'aegis-db' })))
      .DBInstances?.[0];
    expect(before).toMatchObject({
      DBInstanceStatus: 'available',
      MultiAZ: true,
      AvailabilityZone: 'us-east-1a',
      SecondaryAvailabilityZone: 'us-east-1b',
      ReadReplicaDBInstanceIdentifiers: ['arn:aws:rds:us-west-2:123456789012:db:aegis-db-replica'],
    });
    const reboot = await east.send(
      new RebootDBInstanceCommand({ DBInstanceIdentifier: 'aegis-db', ForceFailover: true }),
    );
    expect(reboot.DBInstance?.DBInstanceStatus).toBe('rebooting');
    const busy = await east
      .send(new RebootDBInstanceCommand({ DBInstanceIdentifier: 'aegis-db' }))
      .catch((error) => error);
    expect(busy.name).toBe('InvalidDBInstanceStateFault');
    await emulator.clock.sleep(90_000);
    const after = (await east.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'aegis-db' })))
      .DBInstances?.[0];
    expect(after).toMatchObject({
      DBInstanceStatus: 'available',
      AvailabilityZone: 'us-east-1b',
      SecondaryAvailabilityZone: 'us-east-1a',
    });

    const single = await east
      .send(new RebootDBInstanceCommand({ DBInstanceIdentifier: 'reports-db', ForceFailover: true }))
      .catch((error) => error);
    expect(single.name).toBe('InvalidParameterCombination');
    const missing = await east
      .send(new RebootDBInstanceCommand({ DBInstanceIdentifier: 'nope' }))
      .catch((error) => error);
    expect(missing.name).toBe('DBInstanceNotFoundFault');
    expect(missing.$metadata.httpStatusCode).toBe(404);
  });

  it('promotes a cross-region read replica into a standalone instance', async () => {
    const { east, west } = await start();
    const replica = (
      await west.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'aegis-db-replica' }))
    ).DBInstances?.[0];
    expect(replica).toMatchObject({
      ReadReplicaSourceDBInstanceIdentifier: 'arn:aws:rds:us-east-1:123456789012:db:aegis-db',
      StatusInfos: [expect.objectContaining({ StatusType: 'read replication', Status: 'replicating' })],
    });
    const promoted = await west.send(
      new PromoteReadReplicaCommand({ DBInstanceIdentifier: 'aegis-db-replica' }),
    );
    expect(promoted.DBInstance?.DBInstanceStatus).toBe('modifying');
    await emulator.clock.sleep(120_000);
    const standalone = (
      await west.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'aegis-db-replica' }))
    ).DBInstances?.[0];
    expect(standalone?.DBInstanceStatus).toBe('available');
    expect(standalone?.ReadReplicaSourceDBInstanceIdentifier).toBeUndefined();
    const source = (await east.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'aegis-db' })))
      .DBInstances?.[0];
    expect(source?.ReadReplicaDBInstanceIdentifiers).toEqual([]);
    const notReplica = await west
      .send(new PromoteReadReplicaCommand({ DBInstanceIdentifier: 'aegis-db-replica' }))
      .catch((error) => error);
    expect(notReplica.name).toBe('InvalidDBInstanceStateFault');
    expect(notReplica.message).toBe('DB Instance is not a read replica.');
  });

  it('paginates DescribeDBInstances with MaxRecords and Marker through the SDK paginator', async () => {
    const seed = awsSeed();
    for (let i = 0; i < 45; i++) seed.rds!.instances!.push({ id: `db-${i}`, region: 'eu-west-1' });
    await start(seed);
    const client = rds(emulator, 'eu-west-1');
    const pages = [];
    for await (const page of paginateDescribeDBInstances({ client, pageSize: 20 }, {}))
      pages.push(page.DBInstances?.length);
    expect(pages).toEqual([20, 20, 5]);
    const bad = await client.send(new DescribeDBInstancesCommand({ MaxRecords: 5 })).catch((error) => error);
    expect(bad.name).toBe('InvalidParameterValue');
  });
});

describe('RDS protocol', () => {
  it('throttles with Throttling 400, which the SDK retries', async () => {
    const { west } = await start();
    emulator.faults.add({ fault: 'throttle', operation: 'DescribeGlobalClusters', times: 2 });
    const global = await describeGlobal(west);
    expect(global?.GlobalClusterIdentifier).toBe('ecommerce-global');
    expect(
      emulator.requests.list({ operation: 'DescribeGlobalClusters' }).map((entry) => entry.status),
    ).toEqual([400, 400, 200]);
  });

  it('answers bad Query requests with XML errors: unsigned, no Action, unknown Action, missing parameter', async () => {
    await start();
    const post = (body: string, signed = true) =>
      fetch(emulator.endpoint('aws.rds'), {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(signed && {
            authorization:
              'AWS4-HMAC-SHA256 Credential=AKIDEMULATOR0000/20260101/us-west-2/rds/aws4_request, SignedHeaders=host, Signature=abc',
          }),
        },
        body,
      });
    const unsigned = await post('Action=DescribeGlobalClusters&Version=2014-10-31', false);
    expect(unsigned.status).toBe(403);
    expect(await unsigned.text()).toContain('<Code>MissingAuthenticationToken</Code>');
    const noAction = await post('Version=2014-10-31');
    expect(noAction.status).toBe(400);
    expect(await noAction.text()).toContain('<Code>MissingAction</Code>');
    const unknown = await post('Action=DeleteEverything&Version=2014-10-31');
    expect(await unknown.text()).toContain('<Code>InvalidAction</Code>');
    const missing = await post(
      'Action=SwitchoverGlobalCluster&Version=2014-10-31&GlobalClusterIdentifier=ecommerce-global',
    );
    const text = await missing.text();
    expect(missing.status).toBe(400);
    expect(text).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<ErrorResponse xmlns="http:\/\/rds.amazonaws.com\/doc\/2014-10-31\/"><Error><Type>Sender<\/Type><Code>MissingParameter<\/Code>/,
    );
    expect(text).toContain('TargetDbClusterIdentifier');
    expect(emulator.requests.list({ operation: 'SwitchoverGlobalCluster' })[0]?.region).toBe('us-west-2');
  });
});
