import { afterEach, describe, expect, it } from 'vitest';
import { type AwsReplayServer, awsOnReplay, query, startAwsReplayServer } from './aws-replay-server.js';

// aws.rds (instance failover) against answers in the shapes of the Amazon RDS
// API reference (docs.aws.amazon.com/AmazonRDS/latest/APIReference):
// DescribeDBInstances and RebootDBInstance, both answered with the DBInstance
// data type (DBInstanceStatus, MultiAZ, AvailabilityZone,
// SecondaryAvailabilityZone, ReadReplicaDBInstanceIdentifiers). Element names
// follow the RDS Smithy model as the SDK reads it (<DBInstance>,
// <ReadReplicaDBInstanceIdentifier>). Identifiers, zones and statuses are ours,
// written in those shapes; they are not copied from a published example.

const ns = 'http://rds.amazonaws.com/doc/2014-10-31/';
const replicaArn = 'arn:aws:rds:us-west-2:111122223333:db:aegis-db-replica';

interface InstanceView {
  id: string;
  status: string;
  zone: string;
  standby?: string;
  replicas?: string[];
  source?: string;
}
const instance = (view: InstanceView) => `
      <DBInstance>
        <DBInstanceIdentifier>${view.id}</DBInstanceIdentifier>
        <DBInstanceClass>db.r6g.large</DBInstanceClass>
        <Engine>postgres</Engine>
        <DBInstanceStatus>${view.status}</DBInstanceStatus>
        <AvailabilityZone>${view.zone}</AvailabilityZone>
        <MultiAZ>${view.standby !== undefined}</MultiAZ>${
          view.standby
            ? `\n        <SecondaryAvailabilityZone>${view.standby}</SecondaryAvailabilityZone>`
            : ''
        }
        <ReadReplicaDBInstanceIdentifiers>${(view.replicas ?? [])
          .map((id) => `<ReadReplicaDBInstanceIdentifier>${id}</ReadReplicaDBInstanceIdentifier>`)
          .join('')}</ReadReplicaDBInstanceIdentifiers>${
          view.source
            ? `\n        <ReadReplicaSourceDBInstanceIdentifier>${view.source}</ReadReplicaSourceDBInstanceIdentifier>`
            : ''
        }
        <DBInstanceArn>arn:aws:rds:${view.zone.slice(0, -1)}:111122223333:db:${view.id}</DBInstanceArn>
      </DBInstance>`;
const describe_ = (view: InstanceView) => `<DescribeDBInstancesResponse xmlns="${ns}">
  <DescribeDBInstancesResult>
    <DBInstances>${instance(view)}
    </DBInstances>
  </DescribeDBInstancesResult>
  <ResponseMetadata><RequestId>9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d</RequestId></ResponseMetadata>
</DescribeDBInstancesResponse>`;
const reboot = (view: InstanceView) => `<RebootDBInstanceResponse xmlns="${ns}">
  <RebootDBInstanceResult>
    <DBInstance>${instance(view).replace(/^\s*<DBInstance>|<\/DBInstance>\s*$/g, '')}</DBInstance>
  </RebootDBInstanceResult>
  <ResponseMetadata><RequestId>1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e</RequestId></ResponseMetadata>
</RebootDBInstanceResponse>`;

const primary = (status: string, zone: string, standby: string) => ({
  id: 'aegis-db',
  status,
  zone,
  standby,
  replicas: [replicaArn],
});
const replica = {
  id: 'aegis-db-replica',
  status: 'available',
  zone: 'us-west-2a',
  source: 'arn:aws:rds:us-east-1:111122223333:db:aegis-db',
};

/** The primary's answer in us-east-1 and the replica's in us-west-2, as the adapter asks for them. */
const primaryAnswer = (view: InstanceView) =>
  query('/rds', 'DescribeDBInstances', 'us-east-1', describe_(view));
const replicaAnswer = () => query('/rds', 'DescribeDBInstances', 'us-west-2', describe_(replica));
const beforeView = primary('available', 'us-east-1a', 'us-east-1b');
const rebootingView = primary('rebooting', 'us-east-1a', 'us-east-1b');
const afterView = primary('available', 'us-east-1b', 'us-east-1a');

let server: AwsReplayServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

function rdsOn(replay: AwsReplayServer) {
  return awsOnReplay(replay).rdsInstanceFailover();
}

describe('aws.rds instance failover replayed', () => {
  it('reads primary, standby and cross-region replica; a planned move to the standby zone is RebootDBInstance ForceFailover', async () => {
    server = await startAwsReplayServer([
      // describe
      primaryAnswer(beforeView),
      replicaAnswer(),
      // ensureWriter observes again
      primaryAnswer(beforeView),
      replicaAnswer(),
      query('/rds', 'RebootDBInstance', 'us-east-1', reboot(rebootingView)),
      // waitForWriter: rebooting, then available in the other zone, then the topology
      primaryAnswer(rebootingView),
      primaryAnswer(afterView),
      primaryAnswer(afterView),
      replicaAnswer(),
    ]);
    const db = rdsOn(server);
    const ref = { id: 'aegis-db' };
    expect((await db.describe(ref))._unsafeUnwrap()).toEqual({
      id: 'aegis-db',
      members: [
        {
          id: 'aegis-db@us-east-1a',
          region: 'us-east-1',
          zone: 'us-east-1a',
          role: 'writer',
          status: 'available',
          rawStatus: 'available',
        },
        {
          id: 'aegis-db@us-east-1b',
          region: 'us-east-1',
          zone: 'us-east-1b',
          role: 'reader',
          status: 'available',
          rawStatus: 'available',
        },
        {
          id: replicaArn,
          region: 'us-west-2',
          zone: 'us-west-2a',
          role: 'reader',
          status: 'available',
          rawStatus: 'available',
        },
      ],
      failoverInProgress: false,
      rawStatus: 'available',
    });
    const desired = { region: 'us-east-1', mode: 'planned' as const, memberId: 'aegis-db@us-east-1b' };
    const ensured = (await db.ensureWriter(ref, desired))._unsafeUnwrap();
    expect(ensured).toMatchObject({
      changed: true,
      handle: { operation: 'RebootDBInstance', detail: { kind: 'multi-az', zone: 'us-east-1b' } },
    });
    const after = (await db.waitForWriter(ensured.handle!, { timeoutMs: 1_800_000 }))._unsafeUnwrap();
    expect(after.members.slice(0, 2).map((m) => [m.id, m.role])).toEqual([
      ['aegis-db@us-east-1b', 'writer'],
      ['aegis-db@us-east-1a', 'reader'],
    ]);

    expect(server.unmatched).toEqual([]);
    expect(server.unused()).toEqual([]);
    const source = 'us-east-1 DescribeDBInstances aegis-db';
    const readReplica = 'us-west-2 DescribeDBInstances aegis-db-replica';
    expect(server.requests.map((r) => `${r.region} ${r.form.Action} ${r.form.DBInstanceIdentifier}`)).toEqual(
      [
        source,
        readReplica, // in the replica's own region, by the id from its ARN
        source, // ensure observes again before it acts
        readReplica,
        'us-east-1 RebootDBInstance aegis-db',
        source, // rebooting
        source, // available in us-east-1b: done
        source, // the topology after
        readReplica,
      ],
    );
    expect(server.requests[4]!.form).toEqual({
      Action: 'RebootDBInstance',
      Version: '2014-10-31',
      DBInstanceIdentifier: 'aegis-db',
      ForceFailover: 'true',
    });
  });
});
