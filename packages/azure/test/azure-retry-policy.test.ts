// The adapter's own retries of each ARM request, on the injected clock and inside the
// call's deadline: reads on throttling and 5xx, mutations only on throttling.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AzureWorld, startAzureWorld } from './azure-emulator.js';

let world: AzureWorld;
beforeEach(async () => {
  world = await startAzureWorld();
});
afterEach(() => world.stop());

const fog = { id: 'aegis-rg/aegis-sql/aegis-fog' };
const statuses = (operation: string) =>
  world.emulator.requests.list({ operation }).map((entry) => entry.status);

describe('azure request retries', () => {
  it('retries a throttled and a failed read on the emulator clock, each 429 for at least its Retry-After', async () => {
    const sql = world.freshAzure({ retry: { random: () => 0.5 } }).databaseFailover();
    world.emulator.faults.add({
      fault: 'throttle',
      operation: 'FailoverGroups_Get',
      times: 2,
      retryAfterSeconds: 4,
    });
    world.emulator.faults.add({ fault: 'server-error', operation: 'FailoverGroups_Get', times: 1 });
    const before = world.emulator.clock.now();
    expect((await sql.describe(fog)).isOk()).toBe(true);
    // The failed tries, then the answer (describe reads the group from each of its servers).
    expect(statuses('FailoverGroups_Get').slice(0, 4)).toEqual([429, 429, 500, 200]);
    expect(world.emulator.clock.now() - before).toBeGreaterThanOrEqual(8_000);
  });

  it('stops before the deadline with the last error rather than sleep past it', async () => {
    const sql = world.freshAzure({ retry: {} }).databaseFailover();
    world.emulator.faults.add({
      fault: 'throttle',
      operation: 'FailoverGroups_Get',
      rate: 1,
      retryAfterSeconds: 10,
    });
    const deadlineAt = world.emulator.clock.now() + 25_000;
    const error = (await sql.describe(fog, { deadlineAt }))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'throttled', retryable: true });
    expect(statuses('FailoverGroups_Get')).toEqual([429, 429, 429]);
    expect(world.emulator.clock.now()).toBeLessThanOrEqual(deadlineAt);
  });

  it('sends a throttled mutation again, never one that failed otherwise (it may have been applied)', async () => {
    const sql = world.freshAzure({ retry: {} }).databaseFailover();
    world.emulator.faults.add({ fault: 'server-error', operation: 'FailoverGroups_Failover', times: 1 });
    expect((await sql.ensureWriter(fog, { region: 'westus', mode: 'planned' })).isErr()).toBe(true);
    expect(statuses('FailoverGroups_Failover')).toEqual([500]);

    const fresh = world.freshAzure({ retry: {} }).databaseFailover();
    world.emulator.faults.add({
      fault: 'throttle',
      operation: 'FailoverGroups_Failover',
      times: 1,
      retryAfterSeconds: 1,
    });
    const ensured = await fresh.ensureWriter(fog, { region: 'westus', mode: 'planned' });
    expect(ensured.isOk(), ensured.isErr() ? ensured.error.message : '').toBe(true);
    expect(statuses('FailoverGroups_Failover')).toEqual([500, 429, 202]);
  });
});
