import { databaseMatches, writerRegion } from '@failover/core';
import type { Emulator } from '@failover/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { awsOn, awsWorld, mutations, startAwsEmulator } from './aws-emulator.js';
import { awsThrough, rdsAction, startLostAnswerProxy } from './lost-answer-proxy.js';

let emulator: Emulator;
afterEach(async () => {
  expect(emulator.requests.list().filter((entry) => entry.internalError)).toEqual([]);
  await emulator.stop();
});

const ref = { id: 'aegis-db' };
const replicaArn = 'arn:aws:rds:us-west-2:123456789012:db:aegis-db-replica';
const wait = { timeoutMs: 30 * 60_000 };

describe('RDS instance failover', () => {
  it('describes the Multi-AZ primary and standby and the cross-region replica', async () => {
    emulator = await startAwsEmulator();
    const db = awsOn(emulator).rdsInstanceFailover();
    expect((await db.describe(ref))._unsafeUnwrap().members).toEqual([
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
    ]);
  });

  it('forces a Multi-AZ failover by naming the standby zone (RebootDBInstance ForceFailover), idempotently', async () => {
    emulator = await startAwsEmulator();
    const db = awsOn(emulator).rdsInstanceFailover();
    const desired = { region: 'us-east-1', mode: 'planned' as const, memberId: 'aegis-db@us-east-1b' };
    const ensured = (await db.ensureWriter(ref, desired))._unsafeUnwrap();
    expect(ensured.handle).toMatchObject({
      operation: 'RebootDBInstance',
      detail: { kind: 'multi-az', zone: 'us-east-1b' },
    });
    const topology = (await db.waitForWriter(ensured.handle!, wait))._unsafeUnwrap();
    expect(topology.members[0]).toMatchObject({
      id: 'aegis-db@us-east-1b',
      role: 'writer',
      status: 'available',
    });
    expect((await db.ensureWriter(ref, desired))._unsafeUnwrap().changed).toBe(false);
    expect((await db.ensureWriter(ref, { ...desired, memberId: 'us-east-1b' }))._unsafeUnwrap().changed).toBe(
      false,
    );
    expect(emulator.requests.list({ mutating: true }).map((entry) => entry.operation)).toEqual([
      'RebootDBInstance',
    ]);
  });

  it('promotes the cross-region replica only when forced; both writers show until the old one is fenced', async () => {
    emulator = await startAwsEmulator();
    const db = awsOn(emulator).rdsInstanceFailover();
    const planned = (await db.ensureWriter(ref, { region: 'us-west-2', mode: 'planned' }))._unsafeUnwrapErr();
    expect(planned).toMatchObject({ kind: 'precondition-failed' });
    expect(mutations(emulator)).toBe(0);
    const ensured = (await db.ensureWriter(ref, { region: 'us-west-2', mode: 'forced' }))._unsafeUnwrap();
    expect(ensured.handle).toMatchObject({
      operation: 'PromoteReadReplica',
      id: 'aegis-db-replica',
      detail: { kind: 'promote', region: 'us-west-2' },
    });
    const topology = (await db.waitForWriter(ensured.handle!, wait))._unsafeUnwrap();
    expect(
      topology.members.filter((member) => member.role === 'writer').map((member) => member.region),
    ).toEqual(['us-east-1', 'us-west-2']);
    expect(writerRegion(topology)).toBeUndefined();
    // The source no longer lists the promoted replica: naming it keeps the step idempotent.
    expect(
      (
        await db.ensureWriter(ref, { region: 'us-west-2', mode: 'forced', memberId: 'aegis-db-replica' })
      )._unsafeUnwrap().changed,
    ).toBe(false);
    expect(
      (await db.ensureWriter(ref, { region: 'us-west-2', mode: 'forced' }))._unsafeUnwrapErr().kind,
    ).toBe('precondition-failed');
  });

  it('promotes a named replica while the source region is down', async () => {
    emulator = await startAwsEmulator(awsWorld({ unreachableRegions: ['us-east-1'] }));
    const db = awsOn(emulator).rdsInstanceFailover();
    expect((await db.describe(ref))._unsafeUnwrapErr().kind).toBe('unavailable');
    const ensured = (
      await db.ensureWriter(ref, { region: 'us-west-2', mode: 'forced', memberId: replicaArn })
    )._unsafeUnwrap();
    expect(ensured.before.members[0]).toMatchObject({ id: 'aegis-db', status: 'unavailable' });
    const topology = (await db.waitForWriter(ensured.handle!, wait))._unsafeUnwrap();
    expect(topology.members).toEqual([
      {
        id: 'aegis-db',
        region: 'us-east-1',
        role: 'writer',
        status: 'unavailable',
        rawStatus: 'unreachable',
      },
      {
        id: 'aegis-db-replica',
        region: 'us-west-2',
        zone: 'us-west-2a',
        role: 'writer',
        status: 'available',
        rawStatus: 'available',
      },
    ]);
  });

  it('rejects a missing instance and a zone it does not run in', async () => {
    emulator = await startAwsEmulator();
    const db = awsOn(emulator).rdsInstanceFailover();
    expect((await db.describe({ id: 'nope' }))._unsafeUnwrapErr()).toMatchObject({
      kind: 'not-found',
      provider: 'aws.rds',
    });
    expect(
      (
        await db.ensureWriter(ref, { region: 'us-east-1', mode: 'forced', memberId: 'aegis-db@us-east-1c' })
      )._unsafeUnwrapErr().kind,
    ).toBe('precondition-failed');
    expect(mutations(emulator)).toBe(0);
  });
});

describe('RDS instance failover: the whole desired state, lost answers and pre-checks', () => {
  it('a desired zone alone is a Multi-AZ failover, not a no-op; once there it is', async () => {
    emulator = await startAwsEmulator();
    const db = awsOn(emulator).rdsInstanceFailover();
    const desired = { region: 'us-east-1', mode: 'planned' as const, zone: 'us-east-1b' };
    const ensured = (await db.ensureWriter(ref, desired))._unsafeUnwrap();
    expect(ensured.changed).toBe(true);
    expect(ensured.handle).toMatchObject({ operation: 'RebootDBInstance', detail: { zone: 'us-east-1b' } });
    const topology = (await db.waitForWriter(ensured.handle!, wait))._unsafeUnwrap();
    expect(databaseMatches(topology, { ...desired, memberId: 'aegis-db@us-east-1b' })).toBe(true);
    expect(topology.members[0]).toMatchObject({ role: 'writer', zone: 'us-east-1b' });
    expect((await db.ensureWriter(ref, desired))._unsafeUnwrap().changed).toBe(false);
    expect(mutations(emulator)).toBe(1);
  });

  it('a Multi-AZ failover whose answer was lost is waited on, never sent twice', async () => {
    emulator = await startAwsEmulator();
    const proxy = await startLostAnswerProxy(emulator);
    try {
      const db = awsThrough(proxy, emulator).rdsInstanceFailover();
      proxy.lose(rdsAction('RebootDBInstance'));
      const desired = { region: 'us-east-1', mode: 'planned' as const, zone: 'us-east-1b' };
      const ensured = (await db.ensureWriter(ref, desired))._unsafeUnwrap();
      expect(proxy.lost).toBe(1);
      expect(ensured).toMatchObject({ changed: true, handle: { operation: 'RebootDBInstance' } });
      // A second ensure while it reboots adopts the same operation.
      const again = (await db.ensureWriter(ref, desired))._unsafeUnwrap();
      expect(again).toMatchObject({ changed: true, handle: { detail: { adopted: true } } });
      const topology = (await db.waitForWriter(again.handle!, wait))._unsafeUnwrap();
      expect(topology.members[0]).toMatchObject({ role: 'writer', zone: 'us-east-1b' });
      expect(emulator.requests.list({ mutating: true }).map((entry) => entry.operation)).toEqual([
        'RebootDBInstance',
      ]);
    } finally {
      await proxy.stop();
    }
  });

  it('a promotion whose answer was lost is waited on, never sent twice', async () => {
    emulator = await startAwsEmulator();
    const proxy = await startLostAnswerProxy(emulator);
    try {
      const db = awsThrough(proxy, emulator).rdsInstanceFailover();
      proxy.lose(rdsAction('PromoteReadReplica'));
      const desired = { region: 'us-west-2', mode: 'forced' as const, memberId: 'aegis-db-replica' };
      const ensured = (await db.ensureWriter(ref, desired))._unsafeUnwrap();
      expect(proxy.lost).toBe(1);
      expect(ensured.handle).toMatchObject({ operation: 'PromoteReadReplica', id: 'aegis-db-replica' });
      const topology = (await db.waitForWriter(ensured.handle!, wait))._unsafeUnwrap();
      expect(topology.members.at(-1)).toMatchObject({ id: 'aegis-db-replica', role: 'writer' });
      expect(mutations(emulator)).toBe(1);
    } finally {
      await proxy.stop();
    }
  });

  it('the pre-check refuses what ensureWriter would, with the same kind and no mutating call', async () => {
    emulator = await startAwsEmulator();
    const db = awsOn(emulator).rdsInstanceFailover();
    const observed = (await db.describe(ref))._unsafeUnwrap();
    const cases = [
      { region: 'us-east-1', mode: 'planned' as const, zone: 'us-east-1c' },
      { region: 'us-west-2', mode: 'planned' as const },
      { region: 'us-west-2', mode: 'forced' as const, memberId: 'no-such-replica' },
      { region: 'us-west-2', mode: 'forced' as const, zone: 'us-west-2b' },
      { region: 'us-west-2', mode: 'forced' as const, memberId: 'aegis-db@us-east-1b' },
      { region: 'eu-nowhere', mode: 'forced' as const },
    ];
    for (const desired of cases) {
      const precheck = (await db.precheckWriter!(ref, desired, observed))._unsafeUnwrapErr();
      const ensure = (await db.ensureWriter(ref, desired))._unsafeUnwrapErr();
      expect({ desired, kind: precheck.kind }).toEqual({ desired, kind: ensure.kind });
    }
    expect((await db.precheckWriter!(ref, { region: 'us-west-2', mode: 'forced' }, observed)).isOk()).toBe(
      true,
    );
    expect(mutations(emulator)).toBe(0);
  });
});
