import { databaseReprotectResource, type FailoverPlan, runPlan, writerRegion } from '@failover/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createGcp } from '../src/index.js';
import { type GcpWorld, startGcpWorld } from './gcp-emulator-world.js';
import { unwrap } from './unwrap.js';

// Cloud SQL reprotect through the real client on the emulator: after promoteReplica broke
// replication (aegis-db-read in us-west1 now writes alone), a replica of it is created back
// in us-east1 (instances.insert), once, and designated as its DR replica (instances.patch),
// so that a planned switchover can take the writer back.

let world: GcpWorld | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

const wait = { timeoutMs: 3_600_000 };
const spec = {
  region: 'us-east1',
  replicaId: 'aegis-db-east',
  writer: { region: 'us-west1', memberId: 'aegis-db-read' },
};
const ref = { id: 'aegis-db' };
const sqlMutations = (w: GcpWorld) =>
  w.emulator.requests.list({ service: 'gcp.sqladmin', mutating: true }).map((entry) => entry.operation);
/** The HTTP status of each instances.insert the emulator received, in order. */
const insertStatuses = (w: GcpWorld) =>
  w.emulator.requests
    .list({ service: 'gcp.sqladmin', operation: 'instances.insert' })
    .map((entry) => entry.status);

/** The runbook world after a forced failover to us-west1: aegis-db-read promoted, standing alone. */
async function promoted(timeScale = 0) {
  world = await startGcpWorld({ timeScale });
  const sql = world.gcp.databaseFailover();
  const ensured = unwrap(await sql.ensureWriter(ref, { region: 'us-west1', mode: 'forced' }));
  unwrap(await sql.waitForWriter(ensured.handle!, wait));
  return { sql, w: world };
}

describe('gcp.sql reprotect', () => {
  it('creates the replica once from the promoted writer, designates it, and a planned switchover goes back', async () => {
    const { sql, w } = await promoted();
    expect(unwrap(await sql.observeReplica(ref, spec))).toMatchObject({
      state: 'absent',
      writerId: 'aegis-db-read',
    });
    const created = unwrap(await sql.ensureReplica(ref, spec));
    expect(created.handle).toMatchObject({ operation: 'instances.insert' });
    expect(unwrap(await sql.waitForReplica(created.handle!, wait))).toMatchObject({
      state: 'replicating',
      replicatesFrom: 'aegis-db-read',
      designated: false,
    });
    expect(unwrap(await sql.ensureReplica(ref, spec)).changed).toBe(false);

    const designated = unwrap(await sql.ensureReplica(ref, { ...spec, designate: true }));
    expect(designated.handle).toMatchObject({ operation: 'instances.patch' });
    expect(unwrap(await sql.waitForReplica(designated.handle!, wait))).toMatchObject({ designated: true });
    expect(unwrap(await sql.ensureReplica(ref, { ...spec, designate: true })).changed).toBe(false);
    expect(sqlMutations(w)).toEqual(['instances.promoteReplica', 'instances.insert', 'instances.patch']);

    // Protected again: the writer can go back without data loss.
    const back = unwrap(
      await sql.ensureWriter({ id: 'aegis-db-read' }, { region: 'us-east1', mode: 'planned' }),
    );
    expect(back.handle).toMatchObject({ operation: 'instances.switchover' });
    const topology = unwrap(await sql.waitForWriter(back.handle!, wait));
    expect(writerRegion(topology)).toBe('us-east1');
    expect(topology.members.find((member) => member.role === 'writer')?.id).toBe('aegis-db-east');
  });

  it('a switch-back through the old primary, which stands alone in us-east1, is refused rather than a no-op', async () => {
    const { sql, w } = await promoted();
    const created = unwrap(await sql.ensureReplica(ref, spec));
    unwrap(await sql.waitForReplica(created.handle!, wait));
    const before = sqlMutations(w).length;
    // Without memberId the old primary reads as "the writer in us-east1" already.
    expect(unwrap(await sql.ensureWriter(ref, { region: 'us-east1', mode: 'planned' })).changed).toBe(false);
    // With it (what the generated switch-back names), the old primary is not the writer asked for.
    const refused = await sql.ensureWriter(ref, {
      region: 'us-east1',
      mode: 'planned',
      memberId: 'aegis-db-east',
    });
    expect(refused.isErr() && refused.error.kind).toBe('precondition-failed');
    expect(sqlMutations(w)).toHaveLength(before);
  });

  it('a lost answer (applied, then a 500) is found by reading the replica: still one insert', async () => {
    const { sql, w } = await promoted();
    w.emulator.faults.add({
      fault: 'applied-then-500',
      service: 'gcp.sqladmin',
      operation: 'instances.insert',
      times: 1,
    });
    const ensured = unwrap(await sql.ensureReplica(ref, spec));
    expect(ensured.changed).toBe(true);
    expect(unwrap(await sql.waitForReplica(ensured.handle!, wait)).state).toBe('replicating');
    expect(unwrap(await sql.ensureReplica(ref, spec)).changed).toBe(false);
    expect(sqlMutations(w).filter((operation) => operation === 'instances.insert')).toHaveLength(1);
  });

  it('a designation whose answer was lost is found by reading the writer: one patch', async () => {
    const { sql, w } = await promoted();
    const created = unwrap(await sql.ensureReplica(ref, spec));
    unwrap(await sql.waitForReplica(created.handle!, wait));
    w.emulator.faults.add({
      fault: 'applied-then-500',
      service: 'gcp.sqladmin',
      operation: 'instances.patch',
      times: 1,
    });
    const designated = unwrap(await sql.ensureReplica(ref, { ...spec, designate: true }));
    expect(designated.changed).toBe(true);
    expect(unwrap(await sql.waitForReplica(designated.handle!, wait)).designated).toBe(true);
    expect(unwrap(await sql.ensureReplica(ref, { ...spec, designate: true })).changed).toBe(false);
    expect(sqlMutations(w).filter((operation) => operation === 'instances.patch')).toHaveLength(1);
  });

  it('a throttled insert is sent again and succeeds: one replica, no failure', async () => {
    const { w } = await promoted();
    const sql = createGcp({ ...w.settings, retry: {} }).databaseFailover();
    w.emulator.faults.add({
      fault: 'throttle',
      service: 'gcp.sqladmin',
      operation: 'instances.insert',
      times: 1,
    });
    const ensured = unwrap(await sql.ensureReplica(ref, spec));
    expect(ensured.changed).toBe(true);
    expect(unwrap(await sql.waitForReplica(ensured.handle!, wait)).state).toBe('replicating');
    expect(insertStatuses(w)).toEqual([429, 200]);
  });

  it('while the original region is dark, the insert is refused as retryable and creates nothing; once back, one replica', async () => {
    const { sql, w } = await promoted();
    const lift = w.emulator.blackouts.add({ cloud: 'gcp', region: 'us-east1', mode: 'unavailable' });
    expect((await sql.ensureReplica(ref, spec))._unsafeUnwrapErr()).toMatchObject({ retryable: true });
    expect(insertStatuses(w)).toEqual([503]);
    lift();
    expect(unwrap(await sql.observeReplica(ref, spec)).state).toBe('absent');
    const ensured = unwrap(await sql.ensureReplica(ref, spec));
    expect(unwrap(await sql.waitForReplica(ensured.handle!, wait)).state).toBe('replicating');
    expect(insertStatuses(w)).toEqual([503, 200]);
  });

  it('a re-run while the replica is being created waits on it', async () => {
    const { sql, w } = await promoted();
    unwrap(await sql.ensureReplica(ref, spec));
    const resumed = unwrap(await sql.ensureReplica(ref, spec));
    expect(resumed).toMatchObject({
      changed: true,
      before: { state: 'creating', rawStatus: 'PENDING_CREATE' },
    });
    expect(unwrap(await sql.waitForReplica(resumed.handle!, wait)).state).toBe('replicating');
    expect(sqlMutations(w).filter((operation) => operation === 'instances.insert')).toHaveLength(1);
  });

  it('refuses an instance of that name that is not a replica of the writer, and deletes nothing', async () => {
    const { sql, w } = await promoted();
    const before = sqlMutations(w).length;
    // aegis-db-dr replicates from the old primary, not from the promoted writer.
    const foreign = { ...spec, region: 'us-central1', replicaId: 'aegis-db-dr' };
    expect(unwrap(await sql.observeReplica(ref, foreign))).toMatchObject({
      state: 'foreign',
      replicatesFrom: 'aegis-db',
    });
    const refused = await sql.ensureReplica(ref, foreign);
    expect(refused.isErr() && refused.error).toMatchObject({
      kind: 'precondition-failed',
      provider: 'gcp.sql',
    });
    expect(sqlMutations(w)).toHaveLength(before);
  });

  it('the emulator answers an insert of a name in use as Cloud SQL does: 409 instanceAlreadyExists', async () => {
    world = await startGcpWorld();
    const response = await fetch(
      `${world.emulator.endpoint('gcp.sqladmin')}/v1/projects/aegis-prod/instances`,
      {
        method: 'POST',
        headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'aegis-db-dr', region: 'us-east1', masterInstanceName: 'aegis-db' }),
      },
    );
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({
      error: {
        code: 409,
        message: 'The Cloud SQL instance already exists.',
        errors: [{ reason: 'instanceAlreadyExists' }],
      },
    });
  });

  it('as a plan step: the dry-run shows the replica to create and sends no mutating request', async () => {
    const { sql, w } = await promoted(1000);
    const before = w.mutating();
    const plan: FailoverPlan = {
      version: 1,
      id: 'reprotect-aegis',
      name: 'Reprotect aegis-db',
      sourceRegion: 'us-west1',
      targetRegion: 'us-east1',
      steps: [
        {
          id: 'reprotect',
          kind: 'action',
          action: {
            type: 'resource',
            provider: 'sql-reprotect',
            resource: { database: ref, ...spec },
            desired: { state: 'replicating' },
          },
        },
      ],
    };
    const providers = { sql, 'sql-reprotect': databaseReprotectResource(sql) };
    const dry = unwrap(await runPlan(plan, { providers, time: w.emulator.clock, dryRun: true }));
    expect(dry.status, JSON.stringify(dry.steps)).toBe('succeeded');
    expect(dry.diffs?.reprotect).toMatchObject({
      wouldChange: true,
      differences: [{ path: 'state', from: 'absent', to: 'replicating' }],
    });
    expect(w.mutating()).toBe(before);
  });
});
