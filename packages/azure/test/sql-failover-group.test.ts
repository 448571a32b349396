import { type ApiCall, writerRegion } from '@failover/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmulatorHttpClient } from '../src/index.js';
import { type AzureWorld, startAzureWorld } from './azure-emulator.js';
import { recordingHttpClient } from './recording-http-client.js';

let world: AzureWorld;
beforeEach(async () => {
  world = await startAzureWorld();
});
afterEach(() => world.stop());

const fog = { id: 'aegis-rg/aegis-sql/aegis-fog' };
const ledger = { id: 'aegis-rg/ledger-sql/ledger-fog' };
const wait = { timeoutMs: 30 * 60_000 };
const roles = (topology: { members: Array<{ id: string; role: string }> }) =>
  Object.fromEntries(topology.members.map((member) => [member.id.split('/').at(-1), member.role]));

describe('azure.sql failover groups', () => {
  it('describes both partner servers with their regions, roles and replication state', async () => {
    const sql = world.azure.databaseFailover();
    const topology = (await sql.describe(fog))._unsafeUnwrap();
    expect(topology.members).toEqual([
      expect.objectContaining({ region: 'eastus', role: 'writer', status: 'available' }),
      expect.objectContaining({
        region: 'westus',
        role: 'reader',
        status: 'available',
        rawStatus: 'CATCH_UP',
      }),
    ]);
    expect(topology.members[1]!.id).toMatch(
      /\/resourceGroups\/aegis-dr-rg\/providers\/Microsoft\.Sql\/servers\/aegis-dr-sql$/,
    );
    const fromDr = (
      await sql.describe({
        id: `/subscriptions/${'0'.repeat(8)}-0000-0000-0000-0000000000aa/resourceGroups/aegis-dr-rg/providers/Microsoft.Sql/servers/aegis-dr-sql/failoverGroups/aegis-fog`,
      })
    )._unsafeUnwrap();
    expect(writerRegion(fromDr)).toBe('eastus');
  });

  it('runs a planned failover on the secondary and observes the role swap', async () => {
    const sql = world.azure.databaseFailover();
    const calls: ApiCall[] = [];
    const ensured = (
      await sql.ensureWriter(
        fog,
        { region: 'West US', mode: 'planned' },
        { onApiCall: (call) => calls.push(call) },
      )
    )._unsafeUnwrap();
    expect(ensured.changed).toBe(true);
    expect(writerRegion(ensured.before)).toBe('eastus');
    const failover = world.emulator.requests.list({ operation: 'FailoverGroups_Failover' });
    expect(failover).toHaveLength(1);
    expect(failover[0]!.path).toContain('/servers/aegis-dr-sql/failoverGroups/aegis-fog/failover');
    expect(ensured.handle).toMatchObject({ provider: 'azure.sql', operation: 'FailoverGroups_Failover' });
    expect(ensured.handle!.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(ensured.handle!.state!).state.status).toBe('running');

    const after = (
      await sql.waitForWriter(ensured.handle!, { ...wait, onApiCall: (call) => calls.push(call) })
    )._unsafeUnwrap();
    expect(writerRegion(after)).toBe('westus');
    expect(roles((await sql.describe(fog))._unsafeUnwrap())).toEqual({
      'aegis-sql': 'reader',
      'aegis-dr-sql': 'writer',
    });
    expect(roles((await sql.describe({ id: 'aegis-dr-rg/aegis-dr-sql/aegis-fog' }))._unsafeUnwrap())).toEqual(
      {
        'aegis-dr-sql': 'writer',
        'aegis-sql': 'reader',
      },
    );
    // Every request the adapter sent was reported, with the REST operation names.
    // (the two describes above read both partners: 4 requests not reported here).
    expect(calls.length).toBe(world.emulator.requests.count() - 4);
    expect(calls.filter((call) => call.mutating).map((call) => call.operation)).toEqual([
      'FailoverGroups_Failover',
    ]);
  });

  it('forces a failover away from a region that is down; a planned one fails with precondition-failed', async () => {
    const sql = world.azure.databaseFailover();
    const planned = (await sql.ensureWriter(ledger, { region: 'westus', mode: 'planned' }))._unsafeUnwrap();
    const refused = await sql.waitForWriter(planned.handle!, wait);
    expect(refused._unsafeUnwrapErr()).toMatchObject({
      kind: 'precondition-failed',
      provider: 'azure.sql',
      retryable: false,
    });
    expect(refused._unsafeUnwrapErr().message).toContain('FailoverGroupFailoverFailed');

    const forced = (await sql.ensureWriter(ledger, { region: 'westus', mode: 'forced' }))._unsafeUnwrap();
    expect(forced.handle!.operation).toBe('FailoverGroups_ForceFailoverAllowDataLoss');
    const after = (await sql.waitForWriter(forced.handle!, wait))._unsafeUnwrap();
    expect(writerRegion(after)).toBe('westus');
    expect(after.rawStatus).toBe('SUSPENDED');
    expect(after.members.find((member) => member.role === 'reader')).toMatchObject({
      region: 'eastus',
      status: 'unavailable',
    });

    // With replication suspended, a planned move back is refused before any request.
    const before = world.mutatingCalls();
    const back = await sql.ensureWriter(ledger, { region: 'eastus', mode: 'planned' });
    expect(back._unsafeUnwrapErr().kind).toBe('precondition-failed');
    expect(world.mutatingCalls()).toBe(before);
  });

  it('sends tryPlannedBeforeForcedFailover through the client pipeline with api-version 2023-08-01', async () => {
    const sent: string[] = [];
    const inner = createEmulatorHttpClient(world.emulator.url);
    const sql = world
      .freshAzure({
        httpClient: {
          sendRequest: (request) => {
            sent.push(`${request.method} ${request.url}`);
            return inner.sendRequest(request);
          },
        },
      })
      .databaseFailover();
    const options = { 'azure.sql': { tryPlannedBeforeForced: true } };

    // The primary answers: the planned path is taken, no data loss, replication keeps up.
    const up = (
      await sql.ensureWriter(fog, { region: 'westus', mode: 'forced', providerOptions: options })
    )._unsafeUnwrap();
    expect(up.handle!.operation).toBe('FailoverGroups_TryPlannedBeforeForcedFailover');
    expect(sent.find((line) => line.startsWith('POST'))).toMatch(
      /^POST https:\/\/management\.azure\.com\/.+\/servers\/aegis-dr-sql\/failoverGroups\/aegis-fog\/tryPlannedBeforeForcedFailover\?api-version=2023-08-01$/,
    );
    const planned = (await sql.waitForWriter(JSON.parse(JSON.stringify(up.handle)), wait))._unsafeUnwrap();
    expect(writerRegion(planned)).toBe('westus');
    expect(planned.rawStatus).toBe('CATCH_UP');

    // The primary is down: it falls back to the forced path.
    const down = (
      await sql.ensureWriter(ledger, { region: 'westus', mode: 'forced', providerOptions: options })
    )._unsafeUnwrap();
    const forced = (await sql.waitForWriter(down.handle!, wait))._unsafeUnwrap();
    expect(writerRegion(forced)).toBe('westus');
    expect(forced.rawStatus).toBe('SUSPENDED');
    expect(
      world.emulator.requests.count({ operation: 'FailoverGroups_TryPlannedBeforeForcedFailover' }),
    ).toBe(2);

    const contradiction = await sql.ensureWriter(fog, {
      region: 'eastus',
      mode: 'planned',
      providerOptions: options,
    });
    expect(contradiction._unsafeUnwrapErr()).toMatchObject({
      kind: 'invalid-input',
      path: 'providerOptions.azure.sql.tryPlannedBeforeForced',
    });
  });

  it('resumes the wait in a new process from the journalled handle, without a second failover', async () => {
    const ensured = (
      await world.azure.databaseFailover().ensureWriter(fog, { region: 'westus', mode: 'planned' })
    )._unsafeUnwrap();
    const journalled = JSON.parse(JSON.stringify(ensured.handle));
    // The first run waits a little, then "crashes" on its deadline.
    const first = await world.azure.databaseFailover().waitForWriter(journalled, { timeoutMs: 10_000 });
    expect(first._unsafeUnwrapErr().kind).toBe('timeout');

    const resumed = (
      await world.freshAzure().databaseFailover().waitForWriter(journalled, wait)
    )._unsafeUnwrap();
    expect(writerRegion(resumed)).toBe('westus');
    expect(world.emulator.requests.count({ operation: 'FailoverGroups_Failover' })).toBe(1);
    // A second ensure is a no-op now.
    const again = (
      await world.azure.databaseFailover().ensureWriter(fog, { region: 'westus', mode: 'planned' })
    )._unsafeUnwrap();
    expect(again).toMatchObject({ changed: false });
  });

  it('409 FailoverGroupBusy is waited out and the desired state observed again, never assumed ours', async () => {
    const sql = world.azure.databaseFailover();
    (await sql.ensureWriter(fog, { region: 'westus', mode: 'planned' }))._unsafeUnwrap();
    // Crash before the handle reached the journal: the next run asks again while it runs.
    const start = world.emulator.clock.now();
    const again = (
      await world.freshAzure().databaseFailover().ensureWriter(fog, { region: 'westus', mode: 'planned' })
    )._unsafeUnwrap();
    // Busy, waited 10 s at a time, looked again: by then the failover is done.
    expect(again.changed).toBe(false);
    expect(world.emulator.clock.now() - start).toBeGreaterThanOrEqual(50_000);
    expect(writerRegion((await sql.describe(fog))._unsafeUnwrap())).toBe('westus');
    const posts = world.emulator.requests.list({ operation: 'FailoverGroups_Failover' });
    expect(posts[0]!.status).toBe(202);
    expect(posts.slice(1).every((entry) => entry.status === 409)).toBe(true);
  });

  it('a group busy past the deadline is a retryable conflict, and the retry acts on what it observes', async () => {
    world.emulator.faults.add({ fault: 'stuck', operation: 'FailoverGroups_Failover', times: 1 });
    const sql = world.azure.databaseFailover();
    (await sql.ensureWriter(fog, { region: 'westus', mode: 'planned' }))._unsafeUnwrap();
    const deadlineAt = world.emulator.clock.now() + 25_000;
    const busy = (
      await sql.ensureWriter(fog, { region: 'westus', mode: 'planned' }, { deadlineAt })
    )._unsafeUnwrapErr();
    expect(busy).toMatchObject({ kind: 'conflict', retryable: true, provider: 'azure.sql' });
    expect(busy.message).toContain('FailoverGroupBusy');
    expect(world.emulator.clock.now()).toBeLessThanOrEqual(deadlineAt);
  });

  it('an applied failover whose 202 was lost is not sent twice as a new failover: the retry waits it out', async () => {
    const recording = recordingHttpClient(createEmulatorHttpClient(world.emulator.url));
    const sql = world.freshAzure({ httpClient: recording }).databaseFailover();
    recording.loseNextAnswer((request) => request.method === 'POST');
    const lost = (await sql.ensureWriter(fog, { region: 'westus', mode: 'planned' }))._unsafeUnwrapErr();
    expect(lost).toMatchObject({ kind: 'unavailable', retryable: true });
    // The retry knows its own failover may be running: it waits on it, sending nothing.
    const retried = (await sql.ensureWriter(fog, { region: 'westus', mode: 'planned' }))._unsafeUnwrap();
    expect(retried.changed).toBe(true);
    expect(retried.handle!.state).toBeUndefined();
    expect(writerRegion((await sql.waitForWriter(retried.handle!, wait))._unsafeUnwrap())).toBe('westus');
    expect(world.emulator.requests.count({ operation: 'FailoverGroups_Failover' })).toBe(1);
  });

  it('reads replicationState from both partners: a SUSPENDED new primary blocks a planned failback whichever server the ref names', async () => {
    const sql = world.azure.databaseFailover();
    const forced = (await sql.ensureWriter(ledger, { region: 'westus', mode: 'forced' }))._unsafeUnwrap();
    (await sql.waitForWriter(forced.handle!, wait))._unsafeUnwrap();
    const oldPrimary = { id: 'aegis-rg/ledger-sql/ledger-fog' };
    const newPrimary = { id: 'aegis-dr-rg/ledger-dr-sql/ledger-fog' };
    for (const ref of [oldPrimary, newPrimary]) {
      const topology = (await sql.describe(ref))._unsafeUnwrap();
      const byServer = Object.fromEntries(
        topology.members.map((member) => [member.id.split('/').at(-1), member.rawStatus]),
      );
      // Per server, as the service reports it.
      expect(byServer).toEqual({ 'ledger-sql': 'CATCH_UP', 'ledger-dr-sql': 'SUSPENDED' });
      expect(topology.rawStatus).toBe('SUSPENDED');
      expect(topology.members.find((member) => member.role === 'reader')!.status).toBe('unavailable');
      const before = world.mutatingCalls();
      const back = await sql.ensureWriter(ref, { region: 'eastus', mode: 'planned' });
      expect(back._unsafeUnwrapErr().kind).toBe('precondition-failed');
      expect(back._unsafeUnwrapErr().message).toContain('SUSPENDED');
      expect(world.mutatingCalls()).toBe(before);
      // The pre-check says the same, with no mutating call.
      expect(
        (await sql.precheckWriter!(ref, { region: 'eastus', mode: 'planned' }, topology))._unsafeUnwrapErr()
          .kind,
      ).toBe('precondition-failed');
      // A forced failover has no such precondition: its pre-check passes.
      expect((await sql.precheckWriter!(ref, { region: 'eastus', mode: 'forced' }, topology)).isOk()).toBe(
        true,
      );
      expect(world.mutatingCalls()).toBe(before);
    }
  });

  it('waits for the Retry-After of the 202 before its first poll', async () => {
    const sql = world.azure.databaseFailover();
    const ensured = (await sql.ensureWriter(fog, { region: 'westus', mode: 'planned' }))._unsafeUnwrap();
    expect(ensured.handle!.detail).toMatchObject({ firstPollAfterMs: 10_000 });
    const accepted = world.emulator.requests.list({ operation: 'FailoverGroups_Failover' })[0]!;
    (await sql.waitForWriter(ensured.handle!, wait))._unsafeUnwrap();
    const polls = world.emulator.requests.list({ operation: 'FailoverGroups_GetAsyncOperation' });
    expect(polls.length).toBeGreaterThan(0);
    expect(polls[0]!.at - accepted.at).toBeGreaterThanOrEqual(10_000);
  });

  it('compares with databaseMatches: a memberId by server name or id, and zone is unsupported', async () => {
    const sql = world.azure.databaseFailover();
    expect(
      (
        await sql.ensureWriter(fog, { region: 'East US', mode: 'planned', memberId: 'aegis-sql' })
      )._unsafeUnwrap(),
    ).toMatchObject({ changed: false });
    const zone = await sql.ensureWriter(fog, { region: 'eastus', mode: 'planned', zone: '1' });
    expect(zone._unsafeUnwrapErr()).toMatchObject({ kind: 'unsupported', path: 'zone' });
    expect(world.mutatingCalls()).toBe(0);
  });

  it('rejects an unknown group, an empty region and bad input with typed errors and no mutation', async () => {
    const sql = world.azure.databaseFailover();
    const unknown = await sql.ensureWriter(
      { id: 'aegis-rg/aegis-sql/no-such-group' },
      { region: 'westus', mode: 'planned' },
    );
    expect(unknown._unsafeUnwrapErr()).toMatchObject({
      kind: 'not-found',
      provider: 'azure.sql',
      operation: 'ensureWriter',
    });
    expect(unknown._unsafeUnwrapErr().message).toContain('FailoverGroups_Get');
    expect(
      (await sql.ensureWriter(fog, { region: 'brazilsouth', mode: 'planned' }))._unsafeUnwrapErr().kind,
    ).toBe('precondition-failed');
    expect((await sql.describe({ id: 'aegis-fog' }))._unsafeUnwrapErr()).toMatchObject({
      kind: 'invalid-input',
      path: 'ref.id',
    });
    expect(
      (
        await world
          .freshAzure({ resourceGroup: 'aegis-rg' })
          .databaseFailover({ server: 'aegis-sql' })
          .describe({ id: 'aegis-fog' })
      ).isOk(),
    ).toBe(true);
    expect(world.mutatingCalls()).toBe(0);
  });

  it('survives 429s: the SDK retries on Retry-After, and a wait honours it on the injected clock', async () => {
    const retrying = world
      .freshAzure({ retryOptions: { maxRetries: 3, retryDelayInMs: 1, maxRetryDelayInMs: 5 } })
      .databaseFailover();
    world.emulator.faults.add({
      fault: 'throttle',
      operation: 'FailoverGroups_Get',
      times: 2,
      retryAfterSeconds: 0,
    });
    expect((await retrying.describe(fog)).isOk()).toBe(true);
    expect(
      world.emulator.requests.list({ operation: 'FailoverGroups_Get' }).map((entry) => entry.status),
    ).toEqual([429, 429, 200, 200]); // the ref's copy of the group (retried), then the partner's

    const sql = world.azure.databaseFailover(); // maxRetries 0: the adapter sees the 429
    world.emulator.faults.add({
      fault: 'throttle',
      operation: 'FailoverGroups_Get',
      times: 1,
      retryAfterSeconds: 7,
    });
    const throttled = (await sql.describe(fog))._unsafeUnwrapErr();
    expect(throttled).toMatchObject({ kind: 'throttled', retryable: true, retryAfterMs: 7_000 });

    const ensured = (await sql.ensureWriter(fog, { region: 'westus', mode: 'planned' }))._unsafeUnwrap();
    world.emulator.faults.add({
      fault: 'throttle',
      operation: 'FailoverGroups_GetAsyncOperation',
      times: 2,
      retryAfterSeconds: 40,
    });
    const start = world.emulator.clock.now();
    const after = (await sql.waitForWriter(ensured.handle!, wait))._unsafeUnwrap();
    expect(writerRegion(after)).toBe('westus');
    expect(world.emulator.clock.now() - start).toBeGreaterThanOrEqual(80_000);
  });

  it('sends tryPlannedBeforeForcedFailover at api-version 2023-02-01-preview, the first that has it', async () => {
    const options = { 'azure.sql': { tryPlannedBeforeForced: true } };
    const preview = world.azure.databaseFailover({ tryPlannedApiVersion: '2023-02-01-preview' });
    const ensured = (
      await preview.ensureWriter(fog, { region: 'westus', mode: 'forced', providerOptions: options })
    )._unsafeUnwrap();
    expect(writerRegion((await preview.waitForWriter(ensured.handle!, wait))._unsafeUnwrap())).toBe('westus');
    const older = world.azure.databaseFailover({ tryPlannedApiVersion: '2022-11-01-preview' });
    const refused = await older.ensureWriter(fog, {
      region: 'eastus',
      mode: 'forced',
      providerOptions: options,
    });
    expect(refused._unsafeUnwrapErr()).toMatchObject({ kind: 'invalid-input' });
    expect(refused._unsafeUnwrapErr().message).toContain('InvalidApiVersionParameter');
  });

  it('polls on the schedule of the expected duration: a 50 s failover is seen within 2 s, in at most 6 polls', async () => {
    const sql = world.azure.databaseFailover();
    const ensured = (await sql.ensureWriter(fog, { region: 'westus', mode: 'planned' }))._unsafeUnwrap();
    const accepted = world.emulator.requests.list({ operation: 'FailoverGroups_Failover' })[0]!;
    (await sql.waitForWriter(ensured.handle!, { ...wait, expectedDurationMs: 50_000 }))._unsafeUnwrap();
    const polls = world.emulator.requests.list({ operation: 'FailoverGroups_GetAsyncOperation' });
    expect(polls.length).toBeLessThanOrEqual(6);
    // The emulator's failover takes 50 s.
    expect(world.emulator.clock.now() - accepted.at).toBeLessThanOrEqual(52_000);
  });
});
