// Reprotect of RDS instances through the real SDK on the emulator: after PromoteReadReplica
// broke replication, a read replica of the promoted writer is created back in the source
// region, once, whatever happens to the answer, and never over something else of that name.
import { databaseReprotectResource, type FailoverPlan, runPlan } from '@failover/core';
import type { Emulator } from '@failover/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { awsOn, awsWorld, mutations, startAwsEmulator } from './aws-emulator.js';

let emulator: Emulator;
afterEach(async () => {
  expect(emulator.requests.list().filter((entry) => entry.internalError)).toEqual([]);
  await emulator.stop();
});

const ref = { id: 'aegis-db' };
const wait = { timeoutMs: 60 * 60_000 };
const spec = {
  region: 'us-east-1',
  replicaId: 'aegis-db-east',
  writer: { region: 'us-west-2', memberId: 'aegis-db-replica' },
};
const creates = () =>
  emulator.requests
    .list({ mutating: true })
    .filter((entry) => entry.operation === 'CreateDBInstanceReadReplica');

/** The seed world after a forced failover: aegis-db-replica (us-west-2) promoted, writing alone. */
async function promoted(timeScale = 0) {
  emulator = await startAwsEmulator(awsWorld(), undefined, timeScale);
  const db = awsOn(emulator).rdsInstanceFailover();
  const ensured = (
    await db.ensureWriter(ref, { region: 'us-west-2', mode: 'forced', memberId: 'aegis-db-replica' })
  )._unsafeUnwrap();
  (await db.waitForWriter(ensured.handle!, wait))._unsafeUnwrap();
  return { db, before: mutations(emulator) };
}

describe('RDS instance reprotect', () => {
  it('creates the replica once, cross-region from the writer ARN; a second ensure makes no call', async () => {
    const { db } = await promoted();
    expect((await db.observeReplica(ref, spec))._unsafeUnwrap()).toMatchObject({
      state: 'absent',
      writerId: 'aegis-db-replica',
    });
    const ensured = (await db.ensureReplica(ref, spec))._unsafeUnwrap();
    expect(ensured).toMatchObject({ changed: true, before: { state: 'absent' } });
    expect(ensured.handle).toMatchObject({ operation: 'CreateDBInstanceReadReplica', id: 'aegis-db-east' });
    const done = (await db.waitForReplica(ensured.handle!, wait))._unsafeUnwrap();
    expect(done).toMatchObject({
      state: 'replicating',
      replicatesFrom: 'arn:aws:rds:us-west-2:123456789012:db:aegis-db-replica',
      rawStatus: 'available',
    });
    expect(creates()).toHaveLength(1);
    expect(creates()[0]).toMatchObject({ region: 'us-east-1' });

    const again = (await db.ensureReplica(ref, spec))._unsafeUnwrap();
    expect(again).toMatchObject({ changed: false, before: { state: 'replicating' } });
    expect(creates()).toHaveLength(1);
    // The writer lists its new replica: the way back is protected.
    const writer = (
      await awsOn(emulator, { region: 'us-west-2' })
        .rdsInstanceFailover()
        .describe({ id: 'aegis-db-replica' })
    )._unsafeUnwrap();
    expect(writer.members.map((member) => [member.id, member.role])).toEqual([
      ['aegis-db-replica', 'writer'],
      ['arn:aws:rds:us-east-1:123456789012:db:aegis-db-east', 'reader'],
    ]);
  });

  it('a lost answer (applied, then a 500) is found by describing: still one replica', async () => {
    const { db } = await promoted();
    emulator.faults.add({ fault: 'applied-then-500', operation: 'CreateDBInstanceReadReplica', times: 1 });
    const ensured = (await db.ensureReplica(ref, spec))._unsafeUnwrap();
    expect(ensured.changed).toBe(true);
    expect((await db.waitForReplica(ensured.handle!, wait))._unsafeUnwrap().state).toBe('replicating');
    // A re-run while it is still creating would wait on it too; now there is nothing to do.
    expect((await db.ensureReplica(ref, spec))._unsafeUnwrap().changed).toBe(false);
    expect(creates()).toHaveLength(1);
  });

  it('a re-run while the replica is still being created waits on it instead of creating another', async () => {
    const { db } = await promoted();
    (await db.ensureReplica(ref, spec))._unsafeUnwrap();
    const resumed = (await db.ensureReplica(ref, spec))._unsafeUnwrap();
    expect(resumed).toMatchObject({ changed: true, before: { state: 'creating' } });
    expect((await db.waitForReplica(resumed.handle!, wait))._unsafeUnwrap().state).toBe('replicating');
    expect(creates()).toHaveLength(1);
  });

  it('refuses an existing instance of that name that is not a replica of the writer, and deletes nothing', async () => {
    const { db, before } = await promoted();
    // The old source is still there, standing alone: it is no replica of the promoted writer.
    const foreign = { ...spec, replicaId: 'aegis-db' };
    expect((await db.observeReplica(ref, foreign))._unsafeUnwrap()).toMatchObject({ state: 'foreign' });
    const refused = (await db.ensureReplica(ref, foreign))._unsafeUnwrapErr();
    expect(refused).toMatchObject({ kind: 'precondition-failed', provider: 'aws.rds' });
    expect(refused.message).toContain('never deleted');
    expect(mutations(emulator)).toBe(before);
    expect((await db.describe(ref))._unsafeUnwrap().members[0]).toMatchObject({ status: 'available' });
  });

  it('while the original region is still dark, nothing is created and the error is retryable; once back, one replica', async () => {
    const { db, before } = await promoted();
    const lift = emulator.blackouts.add({ cloud: 'aws', region: 'us-east-1' });
    const dark = (await db.ensureReplica(ref, spec))._unsafeUnwrapErr();
    expect(dark).toMatchObject({ kind: 'unavailable', retryable: true });
    expect(mutations(emulator)).toBe(before);
    lift();
    const ensured = (await db.ensureReplica(ref, spec))._unsafeUnwrap();
    expect((await db.waitForReplica(ensured.handle!, wait))._unsafeUnwrap().state).toBe('replicating');
    expect(creates()).toHaveLength(1);
  });

  it('a throttled create is sent again and succeeds: one replica, no failure', async () => {
    // The default retry policy: no retry settings given.
    const { db } = await promoted();
    emulator.faults.add({ fault: 'throttle', operation: 'CreateDBInstanceReadReplica', times: 1 });
    const ensured = (await db.ensureReplica(ref, spec))._unsafeUnwrap();
    expect(ensured.changed).toBe(true);
    expect((await db.waitForReplica(ensured.handle!, wait))._unsafeUnwrap().state).toBe('replicating');
    expect(creates().map((entry) => entry.status)).toEqual([400, 200]);
  });

  it('refuses a writer that still replicates, and a designation RDS does not have', async () => {
    emulator = await startAwsEmulator();
    const db = awsOn(emulator).rdsInstanceFailover();
    expect((await db.ensureReplica(ref, spec))._unsafeUnwrapErr().kind).toBe('precondition-failed');
    expect((await db.ensureReplica(ref, { ...spec, designate: true }))._unsafeUnwrapErr().kind).toBe(
      'invalid-input',
    );
    expect(mutations(emulator)).toBe(0);
  });

  it('as a plan step: the dry-run shows the replica to create and sends no mutating request', async () => {
    // The executor sleeps beside its calls (deadlines): a scaled clock, not a manual one.
    const { db, before } = await promoted(1000);
    const plan: FailoverPlan = {
      version: 1,
      id: 'reprotect-aegis',
      name: 'Reprotect aegis-db',
      sourceRegion: 'us-west-2',
      targetRegion: 'us-east-1',
      steps: [
        {
          id: 'reprotect',
          kind: 'action',
          action: {
            type: 'resource',
            provider: 'rds-reprotect',
            resource: { database: ref, ...spec },
            desired: { state: 'replicating' },
          },
        },
      ],
    };
    const providers = { rds: db, 'rds-reprotect': databaseReprotectResource(db) };
    const dry = (await runPlan(plan, { providers, time: emulator.clock, dryRun: true }))._unsafeUnwrap();
    expect(dry.status, JSON.stringify(dry.steps)).toBe('succeeded');
    expect(dry.diffs?.reprotect).toMatchObject({
      type: 'resource',
      wouldChange: true,
      differences: [{ path: 'state', from: 'absent', to: 'replicating' }],
    });
    expect(mutations(emulator)).toBe(before);
  });
});
