// A forced failover that breaks replication, then the generated failback with reprotect,
// through the real Google clients on the emulator: Cloud SQL's promoteReplica leaves the
// DR instance writing alone, so the failback first re-creates a replica of it back in the
// original region (and designates it as the DR replica), switches the writer back with a
// planned switchover, and only then returns the traffic, 10 → 50 → 100 %.

import {
  approveSteps,
  createMemoryJournal,
  databaseReprotectResource,
  type FailoverPlan,
  failbackPlan,
  runPlan,
  validatePlan,
  writerRegion,
} from '@failover/core';
import { type Emulator, type EmulatorSeed, startEmulator } from '@failover/emulator';
import { createGcp } from '@failover/gcp';
import { afterEach, expect, it } from 'vitest';
import { changedSteps } from './changed-steps.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

const project = 'shop-prod';
const record = { zone: 'shop-zone', name: 'api.shop.example.', type: 'A' };

/** Orders on Cloud SQL (us-east1, a read replica in us-west1) behind a weighted Cloud DNS record. */
const seed: EmulatorSeed = {
  gcp: {
    projects: [
      {
        id: project,
        number: '4242',
        managedZones: [
          {
            name: 'shop-zone',
            dnsName: 'shop.example.',
            recordSets: [
              {
                name: record.name,
                type: 'A',
                ttl: 60,
                routingPolicy: {
                  wrr: {
                    items: [
                      { weight: 100, rrdatas: ['192.0.2.10'] },
                      { weight: 0, rrdatas: ['198.51.100.10'] },
                    ],
                  },
                },
              },
            ],
          },
        ],
        sqlInstances: [
          { name: 'orders', region: 'us-east1' },
          { name: 'orders-west', region: 'us-west1', masterInstanceName: 'orders' },
        ],
      },
    ],
  },
};

/** The failover: approve, fence the writes away from us-east1 (all weight to us-west1), promote. */
const failover: FailoverPlan = {
  version: 1,
  id: 'orders',
  name: 'Orders',
  sourceRegion: 'us-east1',
  targetRegion: 'us-west1',
  steps: [
    {
      id: 'approve',
      kind: 'approval',
      message: 'Promote orders-west, losing what it has not received?',
      timeoutMs: 60_000,
    },
    {
      id: 'fence',
      kind: 'action',
      dependsOn: ['approve'],
      fence: true,
      traffic: true,
      action: {
        type: 'dns',
        provider: 'dns',
        record,
        desired: { weightPercents: { 'wrr-0': 0, 'wrr-1': 100 } },
      },
    },
    {
      id: 'promote',
      kind: 'action',
      dependsOn: ['fence'],
      action: {
        type: 'database',
        provider: 'sql',
        database: { id: 'orders' },
        region: 'us-west1',
        mode: 'forced',
        memberId: 'orders-west',
        frontedBy: [record.name],
      },
    },
  ],
};

function providersOn(world: Emulator) {
  const gcp = createGcp({
    project,
    // The emulator takes any bearer token; the factory holds it as a token that never expires.
    accessToken: 'ya29.emulator-not-a-secret',
    rootUrls: { dns: world.endpoint('gcp.dns'), sqladmin: world.endpoint('gcp.sqladmin') },
    time: world.clock,
  });
  const sql = gcp.databaseFailover();
  return {
    dns: gcp.dnsProvider({ zone: 'shop-zone' }),
    sql,
    'sql-reprotect': databaseReprotectResource(sql),
  };
}

it('fails back after a forced promotion: the replica is re-created and the writer back before any traffic returns', async () => {
  emulator = await startEmulator({ seed, timeScale: 1000, durations: { 'gcp.sql.createReplica': 120_000 } });
  const world = emulator;
  const providers = providersOn(world);
  const journal = createMemoryJournal();
  const ran = (
    await runPlan(failover, { providers, time: world.clock, journal, approver: approveSteps(['approve']) })
  )._unsafeUnwrap();
  expect(ran.status, JSON.stringify(ran.steps)).toBe('succeeded');
  // Replication is broken: orders-west writes alone, orders (us-east1) is an independent primary.
  expect((await providers.sql.describe({ id: 'orders-west' }))._unsafeUnwrap().members).toHaveLength(1);

  const generated = failbackPlan(failover, {
    providers,
    journal: journal.entries,
    stableForMs: 0,
    soakMs: 60_000,
    reprotect: {
      promote: {
        replicaId: 'orders-east',
        provider: 'sql-reprotect',
        designate: true,
        switchBackDatabase: { id: 'orders-west' },
      },
    },
  })._unsafeUnwrap();
  expect(validatePlan(generated.plan, { providers }).isOk()).toBe(true);

  expect(validatePlan(generated.reprotect!, { providers }).isOk()).toBe(true);

  // Data first: until the replica is back, the failback's pre-check refuses the switch-back.
  const mutatingBefore = world.requests.count({ mutating: true });
  const early = (
    await runPlan(generated.plan, { providers, time: world.clock, dryRun: true })
  )._unsafeUnwrap();
  expect(early.refusals?.map((refusal) => refusal.stepId)).toEqual(['switch-back-promote']);
  // The reprotect's dry-run shows the replica to create; neither dry-run changes anything.
  const dry = (
    await runPlan(generated.reprotect!, { providers, time: world.clock, dryRun: true })
  )._unsafeUnwrap();
  expect(dry.status).toBe('succeeded');
  expect(changedSteps(dry)).toEqual(['recreate-replica-promote', 'designate-replica-promote']);
  expect(world.requests.count({ mutating: true })).toBe(mutatingBefore);

  const reprotected = (await runPlan(generated.reprotect!, { providers, time: world.clock }))._unsafeUnwrap();
  expect(reprotected.status, JSON.stringify(reprotected.steps)).toBe('succeeded');
  const back = (await runPlan(generated.plan, { providers, time: world.clock }))._unsafeUnwrap();
  expect(back.status, JSON.stringify(back.steps.filter((step) => step.status !== 'succeeded'))).toBe(
    'succeeded',
  );

  // In order: the replica, its designation, the switch-back, and only then the traffic (three stages).
  const all = world.requests.list({ mutating: true }).map((entry) => entry.operation);
  const calls = all.slice(all.indexOf('instances.insert'));
  expect(calls).toEqual([
    'instances.insert',
    'instances.patch',
    'instances.switchover',
    'changes.create',
    'changes.create',
    'changes.create',
  ]);

  // Writer back in us-east1 on the re-created replica, and the DR instance now replicates from it.
  const topology = (await providers.sql.describe({ id: 'orders-east' }))._unsafeUnwrap();
  expect(writerRegion(topology)).toBe('us-east1');
  expect(topology.members.map((member) => [member.id, member.role])).toEqual([
    ['orders-east', 'writer'],
    ['orders-west', 'reader'],
  ]);
  // Reprotect again: nothing to do.
  const again = (
    await runPlan(generated.reprotect!, { providers, time: world.clock, dryRun: true })
  )._unsafeUnwrap();
  expect(changedSteps(again)).toEqual([]);
});
