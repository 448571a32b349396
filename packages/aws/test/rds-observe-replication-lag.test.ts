import type { Emulator } from '@failover/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { awsOn, awsWorld, startAwsEmulator } from './aws-emulator.js';

let emulator: Emulator;
afterEach(async () => {
  await emulator.stop();
});

const ref = { id: 'orders-db' };
const replicaArn = 'arn:aws:rds:us-west-2:123456789012:db:orders-replica';

function world() {
  return awsWorld({
    rds: {
      instances: [
        {
          id: 'orders-db',
          region: 'us-east-1',
          multiAz: true,
          readReplicas: [
            { id: 'orders-replica', region: 'us-west-2', lagMs: 3_000 },
            { id: 'orders-local', region: 'us-east-1', lagMs: 500 },
          ],
        },
      ],
    },
  });
}

describe('RDS observeReplicationLag', () => {
  it('reports each read replica’s ReplicaLag (seconds on the wire) in ms with its datapoint time; not the Multi-AZ standby', async () => {
    emulator = await startAwsEmulator(world());
    const db = awsOn(emulator).rdsInstanceFailover();
    const observation = (await db.observeReplicationLag!(ref))._unsafeUnwrap();
    expect(observation.databaseId).toBe('orders-db');
    const byMember = Object.fromEntries(observation.samples.map((sample) => [sample.memberId, sample]));
    expect(Object.keys(byMember).sort()).toEqual([replicaArn, 'orders-local']);
    expect(byMember[replicaArn]).toMatchObject({ lagMs: 3_000, region: 'us-west-2' });
    expect(byMember['orders-local']).toMatchObject({ lagMs: 500, region: 'us-east-1' });
    expect(byMember[replicaArn]!.sampledAt).toBeLessThanOrEqual(observation.observedAt);
    // One GetMetricData per region the replicas are in.
    const calls = emulator.requests.list({ service: 'aws.cloudwatch' }).map((entry) => entry.region);
    expect(calls.sort()).toEqual(['us-east-1', 'us-west-2']);
  });
});
