// The adapter's own retries of each Google request, at the auth client every request goes
// through: on the injected clock, inside the call's deadline, reads on 429/5xx/resets,
// mutations only on 429, every try reported to onApiCall.
import type { ApiCall } from '@failover/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createGcp } from '../src/index.js';
import { type GcpWorld, startGcpWorld } from './gcp-emulator-world.js';

let world: GcpWorld | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

const db = { id: 'aegis-db' };
const statuses = (w: GcpWorld, operation: string) =>
  w.emulator.requests.list({ operation }).map((entry) => entry.status);

async function retryingWorld() {
  world = await startGcpWorld();
  // The world's own adapter tries once; this one retries, with a seeded jitter.
  const gcp = createGcp({ ...world.settings, retry: { random: () => 0.5 } });
  return { w: world, sql: gcp.databaseFailover() };
}

describe('gcp request retries', () => {
  it('retries a read through 429, 5xx and a reset on the emulator clock, reporting every try', async () => {
    const { w, sql } = await retryingWorld();
    w.emulator.faults.add({ fault: 'throttle', operation: 'instances.get', times: 1, retryAfterSeconds: 3 });
    w.emulator.faults.add({ fault: 'server-error', operation: 'instances.get', times: 1 });
    w.emulator.faults.add({ fault: 'drop', operation: 'instances.get', times: 1 });
    const calls: ApiCall[] = [];
    const before = w.emulator.clock.now();
    expect((await sql.describe(db, { onApiCall: (call) => calls.push(call) })).isOk()).toBe(true);
    expect(statuses(w, 'instances.get').slice(0, 4)).toEqual([429, 503, 0, 200]);
    expect(calls.filter((call) => call.operation === 'instances.get').length).toBe(
      statuses(w, 'instances.get').length,
    );
    expect(w.emulator.clock.now() - before).toBeGreaterThanOrEqual(3_000);
  });

  it('gives up before the deadline with the last error', async () => {
    const { w, sql } = await retryingWorld();
    w.emulator.faults.add({ fault: 'throttle', operation: 'instances.get', rate: 1, retryAfterSeconds: 10 });
    const deadlineAt = w.emulator.clock.now() + 25_000;
    expect((await sql.describe(db, { deadlineAt }))._unsafeUnwrapErr()).toMatchObject({ kind: 'throttled' });
    expect(statuses(w, 'instances.get')).toEqual([429, 429, 429]);
    expect(w.emulator.clock.now()).toBeLessThanOrEqual(deadlineAt);
  });

  it('sends a throttled switchover again, never one that failed with a 503 (it may have been applied)', async () => {
    const { w, sql } = await retryingWorld();
    w.emulator.faults.add({ fault: 'server-error', operation: 'instances.switchover', times: 1 });
    expect((await sql.ensureWriter(db, { region: 'us-central1', mode: 'planned' })).isErr()).toBe(true);
    expect(statuses(w, 'instances.switchover')).toEqual([503]);
    w.emulator.faults.add({
      fault: 'throttle',
      operation: 'instances.switchover',
      times: 1,
      retryAfterSeconds: 1,
    });
    const ensured = await sql.ensureWriter(db, { region: 'us-central1', mode: 'planned' });
    expect(ensured.isOk(), ensured.isErr() ? ensured.error.message : '').toBe(true);
    expect(statuses(w, 'instances.switchover')).toEqual([503, 429, 200]);
  });
});
