// Replication lag of an Azure SQL failover group. ARM reports no lag figure, so the adapter
// reads it through a user-supplied lag reader: here geoReplicationLagQuery over an in-test
// SQL function that answers as sys.dm_geo_replication_link_status does on the primary
// (NULL, 0, 12 s, a failed connection). The group itself, its roles and its failovers are the
// emulator's, through the real @azure/arm-sql client.
import {
  approval,
  approveSteps,
  createReplicationLagSource,
  database,
  definePlan,
  dns,
  type FailoverPlan,
  runPlan,
} from '@failover/core';
import { createDeterministicClock, startEmulator } from '@failover/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type AzureSqlQueryRequest,
  createAzure,
  createEmulatorHttpClient,
  geoReplicationLagQuery,
  geoReplicationLagSql,
} from '../src/index.js';
import {
  type AzureWorld,
  fakeCredential,
  runbookSeed,
  startAzureWorld,
  subscriptionId,
} from './azure-emulator.js';

/** The world of the adapter's own cases (a manual clock); the plan runs start their own. */
let world: AzureWorld;
afterEach(async () => {
  await world?.stop();
  world = undefined as unknown as AzureWorld;
});

const fog = { id: 'aegis-rg/aegis-sql/aegis-fog' };
const drServerId = /\/resourceGroups\/aegis-dr-rg\/providers\/Microsoft\.Sql\/servers\/aegis-dr-sql$/;

/** One DMV row as `mssql` returns it: lag in seconds (or NULL), last_replication a Date. */
interface DmvRow {
  partner_server: string;
  partner_database: string;
  last_replication: Date | null;
  replication_lag_sec: number | null;
  replication_state_desc: string;
  role_desc: 'PRIMARY' | 'SECONDARY';
}

/**
 * The user's SQL function, in the test: answers each database's DMV rows from `rows`
 * (a function of the database and the server asked), or throws what it says; records
 * every query it was asked to run.
 */
function fakeSql(rows: (database: string, server: string) => DmvRow[] | Error) {
  const asked: AzureSqlQueryRequest[] = [];
  const query = async (request: AzureSqlQueryRequest) => {
    asked.push(request);
    const answer = rows(request.parameters.database, request.target.server);
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { asked, reader: geoReplicationLagQuery(query) };
}

const link = (
  partner: string,
  database: string,
  lagSec: number | null,
  lastReplication: Date | null,
): DmvRow => ({
  partner_server: partner,
  partner_database: database,
  last_replication: lastReplication,
  replication_lag_sec: lagSec,
  replication_state_desc: 'CATCH_UP',
  role_desc: 'PRIMARY',
});

describe('azure.sql replication lag', () => {
  it('without a lag reader: no lag capability, and the lag is unknown (no lag reader configured), never zero', async () => {
    world = await startAzureWorld();
    const sql = world.azure.databaseFailover();
    expect(sql.capabilities.replicationLag).toBe(false);
    const observed = await sql.observeReplicationLag!(fog);
    expect(observed._unsafeUnwrapErr()).toMatchObject({ kind: 'unsupported', retryable: false });
    expect(observed._unsafeUnwrapErr().message).toContain('unknown: no lag reader configured');
    // The lag signal source says the same, instead of reporting no sample as if all were well.
    const source = createReplicationLagSource({ id: 'lag', database: sql, ref: fog });
    const read = await source.read({ at: world.emulator.clock.now(), timeoutMs: 10_000 });
    expect(read._unsafeUnwrapErr().message).toContain('no lag reader configured');
    const topology = (await sql.describe(fog))._unsafeUnwrap();
    expect(topology.members.every((member) => member.replicationLagMs === undefined)).toBe(true);
  });

  it('reads every database of the group on its primary: the worst lag, as of the oldest last_replication', async () => {
    world = await startAzureWorld();
    const now = world.emulator.clock.now();
    const { asked, reader } = fakeSql((db) =>
      db === 'orders'
        ? [link('aegis-dr-sql', 'orders', 12, new Date(now - 3_000))]
        : [link('aegis-dr-sql', 'inventory', 0, new Date(now - 1_000))],
    );
    const sql = world.azure.databaseFailover({ lagReader: reader });
    expect(sql.capabilities.replicationLag).toBe(true);

    const observation = (await sql.observeReplicationLag!(fog))._unsafeUnwrap();
    expect(observation.samples).toEqual([
      {
        memberId: expect.stringMatching(drServerId),
        aliases: ['aegis-dr-sql'],
        region: 'westus',
        lagMs: 12_000,
        sampledAt: now - 3_000,
      },
    ]);
    // Asked on the primary (aegis-sql in East US), in each database, the name bound as a parameter.
    expect(
      asked.map(({ target, parameters }) => [
        target.resourceGroup,
        target.server,
        target.region,
        target.database,
        parameters.database,
      ]),
    ).toEqual([
      ['aegis-rg', 'aegis-sql', 'eastus', 'orders', 'orders'],
      ['aegis-rg', 'aegis-sql', 'eastus', 'inventory', 'inventory'],
    ]);
    expect(asked[0]!.sql).toBe(geoReplicationLagSql);
    expect(asked[0]!.sql).toContain('FROM sys.dm_geo_replication_link_status');
    expect(asked[0]!.sql).toContain('@database');
    expect(asked[0]!.target.failoverGroup).toBe('aegis-fog');
    // The caller's deadline reaches the SQL function, to size the driver's timeouts from.
    asked.length = 0;
    await sql.observeReplicationLag!(fog, { deadlineAt: now + 7_000 });
    expect(asked.map((request) => request.deadlineAt)).toEqual([now + 7_000, now + 7_000]);

    // describe carries it too (what replication-lag checks read), and the lag source samples it.
    const topology = (await sql.describe(fog))._unsafeUnwrap();
    expect(topology.members.find((member) => member.role === 'reader')?.replicationLagMs).toBe(12_000);
    const source = createReplicationLagSource({ id: 'lag', database: sql, ref: fog });
    const samples = (await source.read({ at: now, timeoutMs: 10_000 }))._unsafeUnwrap();
    expect(samples).toEqual([expect.objectContaining({ at: now - 3_000, value: 12_000, unit: 'ms' })]);
    // Reading the lag changed nothing in Azure.
    expect(world.mutatingCalls()).toBe(0);
  });

  it('a NULL replication_lag_sec is unknown: no sample, and describe leaves the lag unset', async () => {
    world = await startAzureWorld();
    const now = world.emulator.clock.now();
    const { reader } = fakeSql((db) =>
      db === 'orders'
        ? [link('aegis-dr-sql', 'orders', null, null)]
        : [link('aegis-dr-sql', 'inventory', 0, new Date(now))],
    );
    const sql = world.azure.databaseFailover({ lagReader: reader });
    expect((await sql.observeReplicationLag!(fog))._unsafeUnwrap().samples).toEqual([]);
    const topology = (await sql.describe(fog))._unsafeUnwrap();
    expect(topology.members.every((member) => member.replicationLagMs === undefined)).toBe(true);
  });

  it('a lag of 0 s is a sample of 0 ms (in sync), not unknown', async () => {
    world = await startAzureWorld();
    const now = world.emulator.clock.now();
    const { reader } = fakeSql((db) => [link('aegis-dr-sql', db, 0, new Date(now))]);
    const sql = world.azure.databaseFailover({ lagReader: reader });
    expect((await sql.observeReplicationLag!(fog))._unsafeUnwrap().samples).toEqual([
      expect.objectContaining({ region: 'westus', lagMs: 0, sampledAt: now }),
    ]);
  });

  it('a SQL function that throws is a retryable unavailable error, redacted; describe still answers, without lag', async () => {
    world = await startAzureWorld();
    const refused = Object.assign(
      new Error(
        'Failed to connect to aegis-sql.database.windows.net:1433 (Server=aegis-sql;Password=hunter2)',
      ),
      { code: 'ESOCKET' },
    );
    const { reader } = fakeSql(() => refused);
    const sql = world.azure.databaseFailover({ lagReader: reader });
    const error = (await sql.observeReplicationLag!(fog))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'unavailable', retryable: true, provider: 'azure.sql' });
    expect(error.message).toContain('ESOCKET');
    expect(error.message).not.toContain('hunter2');
    const topology = (await sql.describe(fog))._unsafeUnwrap();
    expect(topology.members).toHaveLength(2);
    expect(topology.members.every((member) => member.replicationLagMs === undefined)).toBe(true);
  });

  it('follows the primary: after a planned failover the DMV is read on aegis-dr-sql in West US', async () => {
    world = await startAzureWorld();
    const { asked, reader } = fakeSql((db, server) => [
      link(
        server === 'aegis-sql' ? 'aegis-dr-sql' : 'aegis-sql',
        db,
        2,
        new Date(world.emulator.clock.now()),
      ),
    ]);
    const sql = world.azure.databaseFailover({ lagReader: reader });
    const ensured = (await sql.ensureWriter(fog, { region: 'westus', mode: 'planned' }))._unsafeUnwrap();
    await sql.waitForWriter(ensured.handle!, { timeoutMs: 30 * 60_000 });
    asked.length = 0;
    const observation = (await sql.observeReplicationLag!(fog))._unsafeUnwrap();
    expect(asked.map((request) => `${request.target.server}@${request.target.region}`)).toEqual([
      'aegis-dr-sql@westus',
      'aegis-dr-sql@westus',
    ]);
    expect(observation.samples).toEqual([expect.objectContaining({ region: 'eastus', lagMs: 2_000 })]);
  });

  it("with the primary's region dark the DMV cannot be read: the lag is an error, not a number", async () => {
    world = await startAzureWorld();
    const { reader } = fakeSql((_db, server) =>
      server === 'aegis-sql' && world.emulator.blackouts.list().some((b) => b.region === 'eastus')
        ? Object.assign(new Error('Connection lost - read ETIMEDOUT'), { code: 'ETIMEOUT' })
        : [link('aegis-dr-sql', 'orders', 1, new Date(world.emulator.clock.now()))],
    );
    world.emulator.blackouts.add({ cloud: 'azure', region: 'eastus' });
    // Through the surviving server: ARM answers there, the primary's database does not.
    const sql = world.freshAzure({ retry: {} }).databaseFailover({ lagReader: reader });
    const error = (
      await sql.observeReplicationLag!({ id: 'aegis-dr-rg/aegis-dr-sql/aegis-fog' })
    )._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'unavailable', retryable: true });
    expect(error.message).toContain('aegis-sql/orders');
  });
});

/** Fence Traffic Manager's primary endpoint, approve, then force the writer to West US. */
function forcedPlan(rpoMs: number, memberId?: string): FailoverPlan {
  return definePlan({
    id: 'azure-rpo',
    name: 'Azure SQL forced failover under an RPO',
    sourceRegion: 'eastus',
    targetRegion: 'westus',
    objectives: { rpoMs },
  })
    .step(
      dns.fence('fence', {
        provider: 'tm',
        record: { zone: 'aegis-rg', name: 'aegis-tm' },
        target: 'primary-endpoint',
      }),
    )
    .step(approval('approve', 'Force the failover group to West US?', { timeoutMs: 60_000 }))
    .after('fence')
    .step(
      database.ensureWriter('promote', {
        provider: 'sql',
        database: fog,
        region: 'westus',
        mode: 'forced',
        frontedBy: ['aegis-tm'],
        ...(memberId && { memberId }),
      }),
    )
    .after('approve')
    .toPlan();
}

describe('objectives.rpoMs on an Azure SQL forced failover', () => {
  const stops: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(stops.splice(0).map((stop) => stop()));
  });

  /**
   * The plan run on the emulator with a deterministic clock (the executor's step timers and
   * the adapters' waits share it; it moves only when nothing is in flight).
   */
  async function run(rpoMs: number, lagSec: number | null | 'no reader', memberId?: string) {
    const clock = createDeterministicClock({ watchProcess: true });
    const emulator = await startEmulator({
      clock,
      seed: { azure: runbookSeed() },
      durations: { 'azure.sql.forcedFailover': 20_000, 'azure.trafficmanager.probe': 30_000 },
    });
    stops.push(async () => {
      clock.dispose();
      await emulator.stop();
    });
    const azure = createAzure({
      subscriptionId,
      credential: fakeCredential,
      httpClient: createEmulatorHttpClient(emulator.url),
      time: clock,
      retryOptions: { maxRetries: 0 },
    });
    const { reader } = fakeSql((db) => [
      link('aegis-dr-sql', db, lagSec === 'no reader' ? null : lagSec, new Date(clock.now())),
    ]);
    const providers = {
      tm: azure.dnsProvider(),
      sql: azure.databaseFailover(lagSec === 'no reader' ? {} : { lagReader: reader }),
    };
    const ran = (
      await runPlan(forcedPlan(rpoMs, memberId), {
        providers,
        time: clock,
        approver: approveSteps(['approve']),
      })
    )._unsafeUnwrap();
    const again = async () =>
      (
        await runPlan(forcedPlan(rpoMs, memberId), {
          providers,
          time: clock,
          approver: approveSteps(['approve']),
          dryRun: true,
        })
      )._unsafeUnwrap();
    return {
      again,
      ran,
      promote: ran.steps.find((step) => step.stepId === 'promote')!,
      forced: emulator.requests.count({ operation: 'FailoverGroups_ForceFailoverAllowDataLoss' }),
    };
  }

  it('refuses the promotion when the lag read from the DMV exceeds the RPO, and sends no failover', async () => {
    const { promote, forced } = await run(5_000, 12);
    expect(promote.status).toBe('failed');
    expect(promote.error).toMatchObject({ kind: 'precondition-failed' });
    expect(promote.error?.message).toContain('would lose up to 12000 ms of writes');
    expect(forced).toBe(0);
  });

  it('promotes within the RPO and keeps the lag it read as the data-loss window', async () => {
    const { promote, forced, ran } = await run(5_000, 2);
    expect(promote.status).toBe('succeeded');
    expect(promote.evidence).toMatchObject({ type: 'data-loss-window', lagMs: 2_000 });
    expect(forced).toBe(1);
    expect(ran.report.rpo).toMatchObject({ achievedMs: 2_000, objectiveMs: 5_000, met: true });
  });

  it('reads the lag of a partner named by its server name, not its ARM id: the gate refuses at 12 s, and a promoted one is in sync', async () => {
    // memberId 'aegis-dr-sql' names the partner the adapter reports as an ARM id (with the
    // name as an alias): the lag sample and the writer are still that member.
    const refused = await run(5_000, 12, 'aegis-dr-sql');
    expect(refused.promote.status).toBe('failed');
    expect(refused.promote.error?.message).toContain('would lose up to 12000 ms of writes');
    expect(refused.forced).toBe(0);

    const promoted = await run(5_000, 2, 'aegis-dr-sql');
    expect(promoted.promote.status).toBe('succeeded');
    expect(promoted.promote.evidence).toMatchObject({ type: 'data-loss-window', lagMs: 2_000 });
    expect(promoted.forced).toBe(1);
    // Once promoted, the same step (named by server) is in sync: a dry-run shows no change.
    const dry = await promoted.again();
    expect(dry.steps.find((step) => step.stepId === 'promote')?.diff).toMatchObject({ wouldChange: false });
  });

  it('without a lag reader the RPO cannot be checked: core warns, naming the missing reader, and the report shows the RPO unmet', async () => {
    // Core's gate lets an unknown lag through with a warning (the outage may have taken the
    // measurement with it); the warning and the report say why it is unknown.
    const { promote, ran } = await run(5_000, 'no reader');
    const warnings = promote.warnings?.join('\n') ?? '';
    expect(warnings).toContain('no lag reader configured');
    expect(warnings).toContain('the RPO of 5000 ms cannot be checked');
    // No window is recorded as known: the promotion went ahead with its data loss unmeasured.
    expect(promote.evidence).toBeUndefined();
    expect(ran.report.rpo).toMatchObject({ met: false });
  });
});
