import { writerRegion } from '@failover/core';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type AzureWorld, startAzureWorld } from './azure-emulator.js';

// A 500 on the failover may mean "applied, answer lost" or "never applied": the group's
// GET cannot tell them apart. The adapter first waits on it as if applied (never sending
// it twice while it may run), then, when the writer has not moved after a few expected
// durations, gives up with a retryable not-found (no operation behind the handle), so the step's
// next attempt observes and ensures again, which sends it again.

let world: AzureWorld;
beforeEach(async () => {
  world = await startAzureWorld();
});
afterEach(() => world.stop());

const fog = { id: 'aegis-rg/aegis-sql/aegis-fog' };
const desired = { region: 'West US', mode: 'planned' as const };

it('a failover answered 500 and never applied is sent again after the wait gives up, not waited on until the deadline', async () => {
  const sql = world.azure.databaseFailover();
  world.emulator.faults.add({ fault: 'server-error', operation: 'FailoverGroups_Failover', times: 1 });

  const refused = await sql.ensureWriter(fog, desired);
  expect(refused.isErr() && refused.error.retryable).toBe(true);

  // The retry remembers its own unanswered failover: it waits on it, sending nothing.
  const remembered = (await sql.ensureWriter(fog, desired))._unsafeUnwrap();
  expect(remembered.changed).toBe(true);
  expect(world.emulator.requests.list({ operation: 'FailoverGroups_Failover' })).toHaveLength(1);

  const startedWaiting = world.emulator.clock.now();
  const gaveUp = await sql.waitForWriter(remembered.handle!, { timeoutMs: 20 * 60_000 });
  expect(gaveUp.isErr()).toBe(true);
  const error = gaveUp._unsafeUnwrapErr();
  expect(error).toMatchObject({ kind: 'not-found', retryable: true, operation: 'waitForWriter' });
  expect(error.message).toMatch(/most likely never applied/);
  // Well before the step's 20-minute deadline: four expected durations of a planned failover.
  expect(world.emulator.clock.now() - startedWaiting).toBeLessThan(6 * 60_000);

  // The step's next attempt sends the failover again, and this time it completes.
  const resent = (await sql.ensureWriter(fog, desired))._unsafeUnwrap();
  expect(world.emulator.requests.list({ operation: 'FailoverGroups_Failover' })).toHaveLength(2);
  const after = (await sql.waitForWriter(resent.handle!, { timeoutMs: 20 * 60_000 }))._unsafeUnwrap();
  expect(writerRegion(after)).toBe('westus');
});
