import { worstReplicationLag } from '@failover/core';
import type { Emulator } from '@failover/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { awsOn, awsWorld, startAwsEmulator } from './aws-emulator.js';

let emulator: Emulator;
afterEach(async () => {
  await emulator.stop();
});

const ref = { id: 'shop-global' };
const arn = (region: string, id: string) => `arn:aws:rds:${region}:123456789012:cluster:${id}`;

function world() {
  return awsWorld({
    rds: {
      globalClusters: [
        {
          id: 'shop-global',
          members: [
            { id: 'shop-east', region: 'us-east-1', writer: true },
            { id: 'shop-west', region: 'us-west-2', lagMs: 40 },
            { id: 'shop-europe', region: 'eu-west-1', lagMs: 900 },
          ],
        },
      ],
    },
  });
}

describe('Aurora observeReplicationLag', () => {
  it('reports each secondary’s lag with the datapoint’s own time and region, never the writer', async () => {
    emulator = await startAwsEmulator(world());
    const db = awsOn(emulator).databaseFailover();
    const observation = (await db.observeReplicationLag!(ref))._unsafeUnwrap();
    expect(observation.specificationVersion).toBe('v1');
    expect(observation.databaseId).toBe('shop-global');
    const byMember = Object.fromEntries(observation.samples.map((sample) => [sample.memberId, sample]));
    expect(Object.keys(byMember).sort()).toEqual([
      arn('eu-west-1', 'shop-europe'),
      arn('us-west-2', 'shop-west'),
    ]);
    expect(byMember[arn('us-west-2', 'shop-west')]).toMatchObject({ lagMs: 40, region: 'us-west-2' });
    for (const sample of observation.samples) {
      // The metric's timestamp: a minute's datapoint, not later than the observation.
      expect(sample.sampledAt).toBeLessThanOrEqual(observation.observedAt);
      expect(observation.observedAt - sample.sampledAt).toBeLessThan(5 * 60_000);
    }
    expect(worstReplicationLag(observation)?.lagMs).toBe(900);
    expect(worstReplicationLag(observation, { region: 'us-west-2' })?.lagMs).toBe(40);
  });

  it('is absent when the adapter is told not to read CloudWatch', async () => {
    emulator = await startAwsEmulator(world());
    const db = awsOn(emulator).databaseFailover({ replicationLag: false });
    expect(db.capabilities.replicationLag).toBe(false);
    expect(db.observeReplicationLag).toBeUndefined();
  });
});
