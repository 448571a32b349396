// failbackPlan on every example plan, through the real adapters on the emulator: the
// generated plan validates against the providers; before a failover its dry-run has
// nothing to do; after the failover (with the run's journal) its dry-run shows the
// reverse of what the failover changed; and, for the multi-cloud example, running it
// puts every writer and every record set back. (custom-adapter and simulator-drill run
// on in-memory fakes, not the emulator.)
import {
  approveSteps,
  createMemoryCapacityRecords,
  createMemoryJournal,
  type FailoverPlan,
  failbackPlan,
  type PlanBuilder,
  type ProviderRegistry,
  type RunResult,
  runPlan,
  validatePlan,
  writerRegion,
} from '@failover/core';
import { type Emulator, type EmulatorSeed, type RegionBlackout, startEmulator } from '@failover/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import auroraPlan from '../aws-aurora-route53/plan.js';
import auroraProviders, { seed as auroraSeed } from '../aws-aurora-route53/providers.js';
import hybridPlan from '../hybrid-failover/plan.js';
import hybridProviders, { seed as hybridSeed } from '../hybrid-failover/providers.js';
import multiCloudPlan, { aegis } from '../multi-cloud/plan.js';
import {
  emulatorProviders as multiCloudProviders,
  seed as multiCloudSeed,
} from '../multi-cloud/providers.js';
import multiCloudOutagePlan from '../multi-cloud-region-outage/plan.js';
import multiCloudOutageProviders, {
  scenarios as multiCloudOutageScenarios,
  seed as multiCloudOutageSeed,
} from '../multi-cloud-region-outage/providers.js';
import checkoutProviders, { seed as checkoutSeed } from '../plan-unit-test/aws-emulator-providers.js';
import { checkoutFailover } from '../plan-unit-test/checkout-failover-plan.js';
import regionOutagePlan from '../region-outage/plan.js';
import regionOutageProviders, { seed as regionOutageSeed } from '../region-outage/providers.js';
import { changedSteps } from './changed-steps.js';
import { mutatingSince } from './mutating-since.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

function built(builder: PlanBuilder): FailoverPlan {
  const plan = builder.build();
  if (plan.isErr()) throw plan.error;
  return plan.value;
}

/** The run's result, which must have succeeded (the message lists the steps that did not). */
function succeeded(result: Awaited<ReturnType<typeof runPlan>>): RunResult {
  if (result.isErr()) throw result.error;
  expect(
    result.value.status,
    JSON.stringify(result.value.steps.filter((s) => s.status !== 'succeeded')),
  ).toBe('succeeded');
  return result.value;
}

type Bind = (emulator: Emulator) => Promise<ProviderRegistry> | ProviderRegistry;
interface Example {
  name: string;
  plan: FailoverPlan;
  seed: EmulatorSeed;
  bind: Bind;
  /** Failover steps whose change the failback's dry-run must show reversed. */
  reversed: string[];
  /**
   * Regions dark during the failover, as a drill's scenario darkens them: after a
   * warm-up dry-run (which records the pools' capacity), and back before the failback.
   */
  outage?: RegionBlackout[];
  /** Run the failback and its clean-up too, and check where each writer ends. */
  writers?: Array<{ provider: string; database: { id: string }; region: string }>;
}

const examples: Example[] = [
  {
    name: 'multi-cloud',
    plan: built(multiCloudPlan),
    seed: multiCloudSeed,
    bind: (world) => multiCloudProviders({ url: world.url, clock: world.clock }),
    reversed: [
      'switch-back-promote-aurora',
      'switch-back-promote-azure-sql',
      'switch-back-promote-cloud-sql',
    ],
    writers: [
      { provider: 'aws-aurora', database: aegis.aws.database, region: aegis.aws.primaryRegion },
      { provider: 'azure-sql', database: aegis.azure.database, region: aegis.azure.primaryRegion },
      { provider: 'gcp-cloud-sql', database: aegis.gcp.database, region: aegis.gcp.primaryRegion },
    ],
  },
  {
    name: 'aws-aurora-route53',
    plan: built(auroraPlan),
    seed: auroraSeed,
    bind: (world) => auroraProviders({ emulator: { url: world.url, clock: world.clock } }),
    reversed: ['switch-back-promote-aurora'],
  },
  {
    name: 'plan-unit-test',
    plan: built(checkoutFailover('planned')),
    seed: checkoutSeed,
    bind: (world) => checkoutProviders({ emulator: { url: world.url, clock: world.clock } }),
    reversed: ['switch-back-promote'],
  },
  {
    // A forced promotion that detaches the secondary: its failback still validates, and its
    // reprotect gate waits for a replica the failover broke (see docs/failback.md).
    name: 'region-outage',
    plan: regionOutagePlan,
    seed: regionOutageSeed,
    bind: (world) => regionOutageProviders({ emulator: { url: world.url, clock: world.clock } }),
    reversed: [],
  },
  {
    name: 'hybrid-failover',
    plan: hybridPlan,
    seed: hybridSeed,
    bind: (world) => hybridProviders({ emulator: { url: world.url, clock: world.clock } }),
    reversed: ['switch-back-promote-aurora'],
  },
  {
    // Three forced promotions while every primary region is dark: as for region-outage,
    // the failback validates once the regions are back and waits for the broken replication.
    name: 'multi-cloud-region-outage',
    plan: multiCloudOutagePlan,
    seed: multiCloudOutageSeed,
    bind: (world) => multiCloudOutageProviders({ emulator: { url: world.url, clock: world.clock } }),
    outage: multiCloudOutageScenarios['region-outage']!.blackouts,
    reversed: [],
  },
];

describe.each(examples)('failbackPlan on examples/$name', (example) => {
  it('validates, does nothing before a failover, and reverses the failover after it', async () => {
    emulator = await startEmulator({ seed: example.seed, timeScale: 240 });
    const world = emulator;
    const providers = await example.bind(world);

    // Before any failover: nothing to put back.
    const before = failbackPlan(example.plan, { providers })._unsafeUnwrap();
    const valid = validatePlan(before.plan, { providers });
    expect(valid.isOk(), JSON.stringify(valid)).toBe(true);
    const idle = (await runPlan(before.plan, { providers, time: world.clock, dryRun: true }))._unsafeUnwrap();
    expect(idle.status).toBe('succeeded');
    expect(changedSteps(idle)).toEqual([]);

    // The failover, journaled.
    const capacity = createMemoryCapacityRecords();
    if (example.outage) {
      await runPlan(example.plan, { providers, time: world.clock, dryRun: true, capacity });
      for (const blackout of example.outage) world.blackouts.add(blackout);
    }
    const journal = createMemoryJournal();
    const failover = succeeded(
      await runPlan(example.plan, {
        providers,
        capacity,
        time: world.clock,
        journal,
        approver: approveSteps(['*']),
        notifier: async () => {},
      }),
    );

    world.blackouts.clear();

    const generated = failbackPlan(example.plan, {
      providers,
      journal: journal.entries,
      stableForMs: 0,
      soakMs: 60_000,
    })._unsafeUnwrap();
    const validated = validatePlan(generated.plan, { providers });
    expect(validated.isOk(), JSON.stringify(validated)).toBe(true);
    const dry = (
      await runPlan(generated.plan, { providers, time: world.clock, dryRun: true })
    )._unsafeUnwrap();
    expect(dry.status).toBe('succeeded');
    const changed = changedSteps(dry);
    for (const id of example.reversed) expect(changed, id).toContain(id);
    // Every record set the failover changed comes back in the last stage.
    expect(changed.filter((id) => id.endsWith('-to-100')).length).toBeGreaterThan(0);

    if (!example.writers) return;
    // The way back, for real: the writers return, then the traffic, then (approved) the capacity.
    const back = succeeded(await runPlan(generated.plan, { providers, time: world.clock }));
    // RTO and RPO, both ways: three planned moves each, so no data lost either way.
    for (const report of [failover.report, back.report]) {
      expect(report.rto.achievedMs).toBeGreaterThan(0);
      expect(report.rpo).toMatchObject({ achievedMs: 0, objectiveMs: example.plan.objectives?.rpoMs });
      expect(report.rpo?.databases.map((db) => [db.database, db.mode, db.achievedMs]).sort()).toEqual(
        example.writers.map((writer) => [writer.database.id, 'planned', 0]).sort(),
      );
    }
    expect(back.report.rpo?.databases.map((db) => db.region).sort()).toEqual(
      example.writers.map((writer) => writer.region).sort(),
    );
    for (const { provider, database, region } of example.writers) {
      const db = providers[provider] as Extract<ProviderRegistry[string], { kind: 'database' }>;
      expect(writerRegion((await db.describe(database))._unsafeUnwrap()), provider).toBe(region);
    }
    const again = (
      await runPlan(generated.plan, { providers, time: world.clock, dryRun: true })
    )._unsafeUnwrap();
    expect(changedSteps(again), 'a second failback has nothing to do').toEqual([]);
    // And run again for real, it makes no call that changes anything.
    const seq = world.requests.total;
    succeeded(await runPlan(generated.plan, { providers, time: world.clock }));
    expect(mutatingSince(world, seq).map((entry) => entry.operation)).toEqual([]);
    expect(generated.cleanup).toBeDefined();
    const cleanup = await runPlan(generated.cleanup!, {
      providers,
      time: world.clock,
      approver: approveSteps(['approve-scale-down']),
    });
    if (cleanup.isErr()) throw cleanup.error;
    expect(cleanup.value.status).toBe('succeeded');
    const eks = providers['aws-eks'] as Extract<ProviderRegistry[string], { kind: 'cluster' }>;
    expect((await eks.describePool(aegis.aws.drPool))._unsafeUnwrap().desired).toBe(aegis.warmNodes);
  });
});
