// A forced failover of a SQL failover group through its West US server while East US is dark:
// the partner's copy is read for 30 s, not until the step's deadline, and the failover runs
// on the surviving server (issue 11).
import { writerRegion } from '@failover/core';
import { afterEach, expect, it } from 'vitest';
import { type AzureWorld, startAzureWorld } from './azure-emulator.js';

let world: AzureWorld;
afterEach(() => world.stop());

it('fails over through the surviving server with the partner dark, reading the partner for 30 s only', async () => {
  world = await startAzureWorld();
  world.emulator.blackouts.add({ cloud: 'azure', region: 'eastus' });
  // No cap on tries: only time bounds the retries, as in production.
  const sql = world.freshAzure({ retry: {} }).databaseFailover();
  const clock = world.emulator.clock;
  const started = clock.now();
  const ensured = (
    await sql.ensureWriter(
      { id: 'aegis-dr-rg/aegis-dr-sql/aegis-fog' },
      { region: 'westus', mode: 'forced' },
      { deadlineAt: started + 20 * 60_000 },
    )
  )._unsafeUnwrap();
  expect(clock.now() - started).toBeLessThanOrEqual(30_000);
  expect(ensured.changed).toBe(true);
  expect(
    world.emulator.requests.list({ mutating: true }).map((entry) => [entry.operation, entry.region]),
  ).toEqual([['FailoverGroups_ForceFailoverAllowDataLoss', 'westus']]);
  expect(world.emulator.requests.list().filter((entry) => entry.fault === 'blackout').length).toBeGreaterThan(
    0,
  );
  const topology = (await sql.waitForWriter(ensured.handle!, { timeoutMs: 30 * 60_000 }))._unsafeUnwrap();
  expect(writerRegion(topology)).toBe('westus');
});
