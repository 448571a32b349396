import { DescribeGlobalClustersCommand, RDSClient } from '@aws-sdk/client-rds';
import { databaseMatches, writerRegion } from '@failover/core';
import type { Emulator } from '@failover/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { awsOn, awsWorld, credentials, mutations, startAwsEmulator } from './aws-emulator.js';
import { awsThrough, rdsAction, startLostAnswerProxy } from './lost-answer-proxy.js';

let emulator: Emulator;
afterEach(async () => {
  expect(emulator.requests.list().filter((entry) => entry.internalError)).toEqual([]);
  await emulator.stop();
});

const ref = { id: 'ecommerce-global' };
const primaryArn = 'arn:aws:rds:us-east-1:123456789012:cluster:ecommerce-primary';
const secondaryArn = 'arn:aws:rds:us-west-2:123456789012:cluster:ecommerce-secondary';
const wait = { timeoutMs: 30 * 60_000 };

async function rawGlobal() {
  const client = new RDSClient({
    region: 'us-west-2',
    endpoint: emulator.endpoint('aws.rds'),
    credentials,
    maxAttempts: 1,
  });
  return (
    await client.send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: 'ecommerce-global' }))
  ).GlobalClusters![0]!;
}

describe('Aurora global database', () => {
  it('describes members with each regional cluster’s status and each secondary’s lag: one DescribeGlobalClusters, one DescribeDBClusters per region, one GetMetricData per secondary region', async () => {
    emulator = await startAwsEmulator();
    const db = awsOn(emulator).databaseFailover();
    expect((await db.describe(ref))._unsafeUnwrap()).toEqual({
      id: 'ecommerce-global',
      members: [
        { id: primaryArn, region: 'us-east-1', role: 'writer', status: 'available', rawStatus: 'available' },
        {
          id: secondaryArn,
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
    expect(
      emulator.requests
        .list()
        .map((entry) => [entry.operation, entry.region])
        .sort(),
    ).toEqual([
      ['DescribeDBClusters', 'us-east-1'],
      ['DescribeDBClusters', 'us-west-2'],
      ['DescribeGlobalClusters', 'us-east-1'],
      ['GetMetricData', 'us-west-2'],
    ]);
    expect(emulator.requests.list()[0]?.operation).toBe('DescribeGlobalClusters');
  });

  it('planned = SwitchoverGlobalCluster without data loss, sent to the target region', async () => {
    emulator = await startAwsEmulator();
    const db = awsOn(emulator).databaseFailover();
    const ensured = (await db.ensureWriter(ref, { region: 'us-west-2', mode: 'planned' }))._unsafeUnwrap();
    expect(ensured.handle).toMatchObject({
      operation: 'SwitchoverGlobalCluster',
      id: 'ecommerce-global',
      detail: { strategy: 'switchover', targetArn: secondaryArn, targetRegion: 'us-west-2' },
    });
    expect(
      emulator.requests.list({ mutating: true }).map((entry) => [entry.operation, entry.region]),
    ).toEqual([['SwitchoverGlobalCluster', 'us-west-2']]);
    expect((await rawGlobal()).FailoverState).toMatchObject({
      IsDataLossAllowed: false,
      ToDbClusterArn: secondaryArn,
    });

    // Switching over to the same member: the operation in flight is waited on, not a conflict.
    const same = (await db.ensureWriter(ref, { region: 'us-west-2', mode: 'planned' }))._unsafeUnwrap();
    expect(same).toMatchObject({ changed: true, handle: { detail: { targetArn: secondaryArn } } });
    // Towards another state (back to us-east-1) it is a retryable conflict.
    const busy = (await db.ensureWriter(ref, { region: 'us-east-1', mode: 'planned' }))._unsafeUnwrapErr();
    expect(busy).toMatchObject({ kind: 'conflict', retryable: true });
    expect(mutations(emulator)).toBe(1);

    const started = emulator.clock.now();
    const topology = (await db.waitForWriter(ensured.handle!, wait))._unsafeUnwrap();
    expect(emulator.clock.now() - started).toBeGreaterThanOrEqual(90_040);
    expect(writerRegion(topology)).toBe('us-west-2');
    expect(topology.members.map((member) => member.status)).toEqual(['available', 'available']);
  });

  it('forced = FailoverGlobalCluster with AllowDataLoss; the old writer then waits for a resync', async () => {
    emulator = await startAwsEmulator();
    const db = awsOn(emulator).databaseFailover();
    const ensured = (await db.ensureWriter(ref, { region: 'us-west-2', mode: 'forced' }))._unsafeUnwrap();
    expect(ensured.handle).toMatchObject({
      operation: 'FailoverGlobalCluster',
      detail: { strategy: 'failover' },
    });
    expect((await rawGlobal()).FailoverState).toMatchObject({ IsDataLossAllowed: true });
    const topology = (await db.waitForWriter(ensured.handle!, wait))._unsafeUnwrap();
    expect(writerRegion(topology)).toBe('us-west-2');
    expect(topology.members.find((member) => member.region === 'us-east-1')).toMatchObject({
      role: 'reader',
      status: 'modifying',
      rawStatus: 'available (pending-resync)',
    });
    // Moving back at once is refused: the old writer is not in sync yet.
    expect(
      (await db.ensureWriter(ref, { region: 'us-east-1', mode: 'planned' }))._unsafeUnwrapErr(),
    ).toMatchObject({ kind: 'precondition-failed' });
    expect(mutations(emulator)).toBe(1);
  });

  it('with the primary region down: planned is refused, a default forced failover works', async () => {
    emulator = await startAwsEmulator(awsWorld({ unreachableRegions: ['us-east-1'] }));
    const db = awsOn(emulator).databaseFailover({ region: 'us-west-2' });
    const topology = (await db.describe(ref))._unsafeUnwrap();
    expect(topology.members[0]).toMatchObject({
      region: 'us-east-1',
      role: 'writer',
      status: 'unavailable',
      rawStatus: 'unreachable',
    });
    const planned = (await db.ensureWriter(ref, { region: 'us-west-2', mode: 'planned' }))._unsafeUnwrapErr();
    expect(planned).toMatchObject({ kind: 'precondition-failed' });
    expect(planned.message).toContain("Use mode 'forced'");
    expect(mutations(emulator)).toBe(0);
    const forced = (await db.ensureWriter(ref, { region: 'us-west-2', mode: 'forced' }))._unsafeUnwrap();
    expect(writerRegion((await db.waitForWriter(forced.handle!, wait))._unsafeUnwrap())).toBe('us-west-2');
  });

  it("detaches the secondary when asked (forcedStrategy: 'detach'): a standalone writer, and the old writer still claims the role", async () => {
    emulator = await startAwsEmulator(awsWorld({ unreachableRegions: ['us-east-1'] }));
    const db = awsOn(emulator).databaseFailover({ region: 'us-west-2' });
    const desired = {
      region: 'us-west-2',
      mode: 'forced' as const,
      memberId: 'ecommerce-secondary',
      providerOptions: { 'aws.aurora': { forcedStrategy: 'detach' } },
    };
    const ensured = (await db.ensureWriter(ref, desired))._unsafeUnwrap();
    expect(ensured.handle).toMatchObject({
      operation: 'RemoveFromGlobalCluster',
      detail: { strategy: 'detach', targetArn: secondaryArn },
    });
    expect(
      emulator.requests.list({ mutating: true }).map((entry) => [entry.operation, entry.region]),
    ).toEqual([['RemoveFromGlobalCluster', 'us-west-2']]);

    const topology = (await db.waitForWriter(ensured.handle!, wait))._unsafeUnwrap();
    expect(topology.members).toEqual([
      { id: secondaryArn, region: 'us-west-2', role: 'writer', status: 'available', rawStatus: 'available' },
      {
        id: primaryArn,
        region: 'us-east-1',
        role: 'writer',
        status: 'unavailable',
        rawStatus: 'unreachable',
      },
    ]);
    // Two writers: the detach path needs the old primary fenced, which is why plans put a fence first.
    expect(writerRegion(topology)).toBeUndefined();

    const again = (await db.ensureWriter(ref, desired))._unsafeUnwrap();
    expect(again.changed).toBe(false);
    expect(mutations(emulator)).toBe(1);
  });

  for (const mode of ['drop', 'unavailable'] as const) {
    it(`a dark primary region (${mode}) costs the forced path its short read budget, not the step's deadline; then one try per read`, async () => {
      emulator = await startAwsEmulator();
      emulator.blackouts.add({ cloud: 'aws', region: 'us-east-1', mode });
      // No cap on tries: only time bounds the retries, as in production.
      const db = awsOn(emulator, { region: 'us-west-2' }).databaseFailover();
      const darkReads = () => emulator.requests.list().filter((entry) => entry.region === 'us-east-1').length;
      const started = emulator.clock.now();
      const ensured = (
        await db.ensureWriter(
          ref,
          {
            region: 'us-west-2',
            mode: 'forced',
            memberId: 'ecommerce-secondary',
            providerOptions: { 'aws.aurora': { forcedStrategy: 'detach' } },
          },
          { deadlineAt: started + 20 * 60_000 },
        )
      )._unsafeUnwrap();
      // Retried for the 30 s budget, not until the 20-minute deadline.
      expect(emulator.clock.now() - started).toBeLessThanOrEqual(30_000);
      expect(darkReads()).toBeGreaterThan(1);
      expect(ensured.before.members.find((member) => member.region === 'us-east-1')).toMatchObject({
        status: 'unavailable',
        rawStatus: 'unreachable',
      });
      expect(
        emulator.requests.list({ mutating: true }).map((entry) => [entry.operation, entry.region]),
      ).toEqual([['RemoveFromGlobalCluster', 'us-west-2']]);

      // The region is known dark now: the wait's closing read of it is one try.
      const readsBefore = darkReads();
      const topology = (await db.waitForWriter(ensured.handle!, wait))._unsafeUnwrap();
      expect(topology.members[0]).toMatchObject({ region: 'us-west-2', role: 'writer', status: 'available' });
      expect(darkReads() - readsBefore).toBe(1);

      // Back from the dark: the next read is answered and the region is trusted again.
      emulator.blackouts.clear();
      const after = (await db.describe(ref))._unsafeUnwrap();
      expect(after.members.find((member) => member.region === 'us-east-1')?.status).toBe('available');
    });
  }

  it('rejects a missing global cluster, a bad strategy and an unknown member with typed errors and no mutation', async () => {
    emulator = await startAwsEmulator();
    const db = awsOn(emulator).databaseFailover();
    expect((await db.describe({ id: 'no-such-global' }))._unsafeUnwrapErr()).toMatchObject({
      kind: 'not-found',
      provider: 'aws.aurora',
      operation: 'DescribeGlobalClusters',
    });
    expect(
      (
        await db.ensureWriter({ id: 'no-such-global' }, { region: 'us-west-2', mode: 'forced' })
      )._unsafeUnwrapErr().kind,
    ).toBe('not-found');
    const strategy = await db.ensureWriter(ref, {
      region: 'us-west-2',
      mode: 'forced',
      providerOptions: { 'aws.aurora': { forcedStrategy: 'yolo' } },
    });
    expect(strategy._unsafeUnwrapErr()).toMatchObject({
      kind: 'invalid-input',
      path: "providerOptions['aws.aurora'].forcedStrategy",
    });
    const member = await db.ensureWriter(ref, {
      region: 'us-west-2',
      mode: 'planned',
      memberId: 'ecommerce-tertiary',
    });
    expect(member._unsafeUnwrapErr().kind).toBe('precondition-failed');
    expect(
      (await awsOn(emulator, { region: undefined }).databaseFailover().describe(ref))._unsafeUnwrapErr(),
    ).toMatchObject({ kind: 'invalid-input', path: 'region' });
    expect(mutations(emulator)).toBe(0);
  });

  it('times out waiting on a stuck switchover, never ok', async () => {
    emulator = await startAwsEmulator();
    const db = awsOn(emulator).databaseFailover();
    emulator.faults.add({ fault: 'stuck', operation: 'SwitchoverGlobalCluster', times: 1 });
    const ensured = (await db.ensureWriter(ref, { region: 'us-west-2', mode: 'planned' }))._unsafeUnwrap();
    const error = (await db.waitForWriter(ensured.handle!, { timeoutMs: 3_600_000 }))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'timeout', retryable: false, operation: 'waitForWriter' });
    expect(error.message).toContain('switching-over');
  });

  it('a switchover whose answer was lost is waited on: one SwitchoverGlobalCluster, and a retry adopts it', async () => {
    emulator = await startAwsEmulator();
    const proxy = await startLostAnswerProxy(emulator);
    try {
      const db = awsThrough(proxy, emulator).databaseFailover();
      proxy.lose(rdsAction('SwitchoverGlobalCluster'));
      const desired = { region: 'us-west-2', mode: 'planned' as const, memberId: 'ecommerce-secondary' };
      const ensured = (await db.ensureWriter(ref, desired))._unsafeUnwrap();
      expect(proxy.lost).toBe(1);
      expect(ensured).toMatchObject({ changed: true, handle: { operation: 'SwitchoverGlobalCluster' } });
      const retried = (await db.ensureWriter(ref, desired))._unsafeUnwrap();
      expect(retried.handle).toMatchObject({ detail: { targetArn: secondaryArn, strategy: 'switchover' } });
      const topology = (await db.waitForWriter(retried.handle!, wait))._unsafeUnwrap();
      expect(databaseMatches(topology, desired)).toBe(false); // memberId is an id, members are ARNs
      expect(databaseMatches(topology, { ...desired, memberId: secondaryArn })).toBe(true);
      expect(emulator.requests.count({ operation: 'SwitchoverGlobalCluster' })).toBe(1);
    } finally {
      await proxy.stop();
    }
  });

  it('a detach whose answer was lost is waited on, never sent twice', async () => {
    // A long detach, so the retried reads of the dark region do not see it finish before the second ensure.
    emulator = await startAwsEmulator(awsWorld({ unreachableRegions: ['us-east-1'] }), {
      'aurora.detach': 600_000,
    });
    const proxy = await startLostAnswerProxy(emulator);
    try {
      const db = awsThrough(proxy, emulator).databaseFailover({ region: 'us-west-2' });
      proxy.lose(rdsAction('RemoveFromGlobalCluster'));
      const desired = {
        region: 'us-west-2',
        mode: 'forced' as const,
        memberId: 'ecommerce-secondary',
        providerOptions: { 'aws.aurora': { forcedStrategy: 'detach' } },
      };
      const ensured = (await db.ensureWriter(ref, desired))._unsafeUnwrap();
      expect(proxy.lost).toBe(1);
      const again = (await db.ensureWriter(ref, desired))._unsafeUnwrap();
      expect(again).toMatchObject({ changed: true, handle: { operation: 'RemoveFromGlobalCluster' } });
      expect((await db.waitForWriter(ensured.handle!, wait))._unsafeUnwrap().members[0]).toMatchObject({
        id: secondaryArn,
        role: 'writer',
      });
      expect(mutations(emulator)).toBe(1);
    } finally {
      await proxy.stop();
    }
  });

  it('a writer zone is unsupported, in the pre-check and in ensureWriter alike, and never a silent no-op', async () => {
    emulator = await startAwsEmulator();
    const db = awsOn(emulator).databaseFailover();
    const observed = (await db.describe(ref))._unsafeUnwrap();
    const cases = [
      { region: 'us-east-1', mode: 'planned' as const, zone: 'us-east-1b' },
      { region: 'us-west-2', mode: 'planned' as const, memberId: 'ecommerce-tertiary' },
      {
        region: 'us-west-2',
        mode: 'forced' as const,
        providerOptions: { 'aws.aurora': { forcedStrategy: 'x' } },
      },
    ];
    for (const desired of cases) {
      const precheck = (await db.precheckWriter!(ref, desired, observed))._unsafeUnwrapErr();
      const ensure = (await db.ensureWriter(ref, desired))._unsafeUnwrapErr();
      expect({ desired, kind: precheck.kind }).toEqual({ desired, kind: ensure.kind });
    }
    expect(
      (
        await db.precheckWriter!(ref, { region: 'us-east-1', mode: 'planned', zone: 'us-east-1b' }, observed)
      )._unsafeUnwrapErr().kind,
    ).toBe('unsupported');
    expect((await db.precheckWriter!(ref, { region: 'us-west-2', mode: 'planned' }, observed)).isOk()).toBe(
      true,
    );
    expect(mutations(emulator)).toBe(0);
  });

  it('DescribeGlobalClusters: a result for another identifier is not taken as ours', async () => {
    emulator = await startAwsEmulator();
    const proxy = await startLostAnswerProxy(emulator);
    try {
      const db = awsThrough(proxy, emulator).databaseFailover();
      proxy.rewrite(rdsAction('DescribeGlobalClusters'), (body) =>
        body.replaceAll(
          '<GlobalClusterIdentifier>ecommerce-global<',
          '<GlobalClusterIdentifier>other-global<',
        ),
      );
      expect((await db.describe(ref))._unsafeUnwrapErr()).toMatchObject({ kind: 'not-found' });
      expect((await db.describe(ref))._unsafeUnwrap().id).toBe('ecommerce-global');
    } finally {
      await proxy.stop();
    }
  });
});
