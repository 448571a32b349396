// Issue 11.1: a database step compares its whole desired state (region, member, zone),
// so an in-region (Multi-AZ / HA zone) failover is never a silent no-op, in a run or a dry-run.
import { createVirtualTime, database, definePlan, type FailoverPlan, runPlan } from '@failover/core';
import { createSimulatedWorld } from '@failover/testing';
import { describe, expect, it } from 'vitest';

const orders = { id: 'orders' };

function multiAzWorld() {
  return createSimulatedWorld({ seed: 11, time: createVirtualTime() }).seed({
    databases: [
      {
        id: 'orders',
        members: [
          { id: 'orders-a', region: 'us-east-1', zone: 'us-east-1a', role: 'writer' },
          { id: 'orders-b', region: 'us-east-1', zone: 'us-east-1b', role: 'reader' },
          { id: 'orders-euw1', region: 'eu-west-1', zone: 'eu-west-1a', role: 'reader' },
        ],
      },
    ],
  });
}

function inRegionPlan(fields: { zone?: string; memberId?: string }): FailoverPlan {
  return definePlan({
    id: 'multi-az',
    name: 'Multi-AZ failover',
    sourceRegion: 'us-east-1',
    targetRegion: 'us-east-1',
  })
    .step(
      database.ensureWriter('az-failover', {
        provider: 'db',
        database: orders,
        region: 'us-east-1',
        mode: 'planned',
        ...fields,
      }),
    )
    .build()
    ._unsafeUnwrap();
}

describe('a database step compares region, member and zone', () => {
  it('moves the writer to another zone of the same region, and dry-run says it would', async () => {
    const world = multiAzWorld();
    const options = { providers: { db: world.databaseFailover() }, time: world.time };

    const dry = (
      await runPlan(inRegionPlan({ zone: 'us-east-1b' }), { ...options, dryRun: true })
    )._unsafeUnwrap();
    expect(dry.diffs!['az-failover']).toMatchObject({
      type: 'database',
      wouldChange: true,
      writerZone: { from: 'us-east-1a', to: 'us-east-1b' },
    });
    expect(world.calls({ mutating: true })).toEqual([]);

    const run = (await runPlan(inRegionPlan({ zone: 'us-east-1b' }), options))._unsafeUnwrap();
    expect(run.status).toBe('succeeded');
    expect(run.steps[0]!.changed).toBe(true);
    expect(world.callCounts({ mutating: true })).toEqual({ ensureWriter: 1 });
    const writer = world
      .database('orders')
      .topology()
      .members.find((member) => member.role === 'writer');
    expect(writer).toMatchObject({ id: 'orders-b', region: 'us-east-1', zone: 'us-east-1b' });
  });

  it('moves the writer to the member the plan names in the same region', async () => {
    const world = multiAzWorld();
    const run = (
      await runPlan(inRegionPlan({ memberId: 'orders-b' }), {
        providers: { db: world.databaseFailover() },
        time: world.time,
      })
    )._unsafeUnwrap();
    expect(run.status).toBe('succeeded');
    expect(world.callCounts({ mutating: true })).toEqual({ ensureWriter: 1 });
    expect(
      world
        .database('orders')
        .topology()
        .members.find((m) => m.role === 'writer')?.id,
    ).toBe('orders-b');
  });

  it('changes nothing when the writer already is where the plan asks', async () => {
    const world = multiAzWorld();
    const run = (
      await runPlan(inRegionPlan({ zone: 'us-east-1a' }), {
        providers: { db: world.databaseFailover() },
        time: world.time,
      })
    )._unsafeUnwrap();
    expect(run.status).toBe('succeeded');
    expect(run.steps[0]!.changed).toBe(false);
    expect(world.calls({ mutating: true })).toEqual([]);
  });
});
