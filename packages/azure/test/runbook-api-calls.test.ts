import { type ApiCall, resolveDnsDesiredState, writerRegion } from '@failover/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type AzureWorld, startAzureWorld } from './azure-emulator.js';

let world: AzureWorld;
beforeAll(async () => {
  world = await startAzureWorld();
});
afterAll(() => world.stop());

/**
 * The Azure part of the seed runbook (001) as the executor runs it: observe,
 * act, wait for each adapter. Counts what the emulator received and what the
 * adapters reported through onApiCall, and prints both.
 */
it('fails the seed runbook over and counts the API calls per adapter', async () => {
  const reported: ApiCall[] = [];
  const onApiCall = (call: ApiCall) => reported.push(call);
  const wait = { timeoutMs: 30 * 60_000, onApiCall };
  const rows: Array<[string, number, number]> = [];
  const measure = async (name: string, steps: () => Promise<void>) => {
    const before = world.emulator.requests.count();
    const beforeMutating = world.mutatingCalls();
    await steps();
    rows.push([name, world.emulator.requests.count() - before, world.mutatingCalls() - beforeMutating]);
  };

  // 1. Fence traffic: disable the primary Traffic Manager endpoint.
  const dns = world.azure.dnsProvider();
  const tm = { zone: 'aegis-rg', name: 'aegis-tm' };
  await measure('azure.trafficmanager (disable primary endpoint)', async () => {
    const current = (await dns.getRecordSet(tm, { onApiCall }))._unsafeUnwrap();
    const desired = resolveDnsDesiredState(current, {
      targets: { 'primary-endpoint': { enabled: false } },
    })._unsafeUnwrap();
    const ensured = (await dns.ensureRecordSet(tm, desired, { onApiCall }))._unsafeUnwrap();
    (await dns.waitForChange(ensured.handle!, wait))._unsafeUnwrap();
  });

  // 2. Promote the database: planned failover of aegis-fog to West US.
  const sql = world.azure.databaseFailover();
  const fog = { id: 'aegis-rg/aegis-sql/aegis-fog' };
  await measure('azure.sql (planned failover-group failover)', async () => {
    (await sql.describe(fog, { onApiCall }))._unsafeUnwrap();
    const ensured = (
      await sql.ensureWriter(fog, { region: 'westus', mode: 'planned' }, { onApiCall })
    )._unsafeUnwrap();
    expect(writerRegion((await sql.waitForWriter(ensured.handle!, wait))._unsafeUnwrap())).toBe('westus');
  });

  // 3. Scale the DR node pool: az aks nodepool scale --node-count 6.
  const aks = world.azure.clusterScaler();
  const pool = { cluster: 'aegis-dr-rg/aegis-dr-aks', pool: 'agentpool' };
  await measure('azure.aks (scale agentpool 2 -> 6)', async () => {
    (await aks.describePool(pool, { onApiCall }))._unsafeUnwrap();
    const ensured = (await aks.ensureSize(pool, { desired: 6 }, { onApiCall }))._unsafeUnwrap();
    expect((await aks.waitForPool(ensured.handle!, wait))._unsafeUnwrap().ready).toBe(6);
  });

  expect(reported.length).toBe(world.emulator.requests.count());
  const table = rows
    .map(([name, calls, mutating]) => `  ${name}: ${calls} API calls (${mutating} mutating)`)
    .join('\n');
  const byOperation = new Map<string, number>();
  for (const call of reported) byOperation.set(call.operation, (byOperation.get(call.operation) ?? 0) + 1);
  console.log(
    `Azure failover of the seed runbook, on the emulator (observe + act + wait, default poll intervals):\n${table}\n  total: ${reported.length}\n  by operation: ${JSON.stringify(Object.fromEntries(byOperation))}`,
  );
  expect(rows.map(([, , mutating]) => mutating)).toEqual([1, 1, 1]);
});
