// The multi-cloud region-outage drill (examples/multi-cloud-region-outage): the primary region of
// AWS, Azure and Google Cloud dark at once. Each cloud is fenced through a service the outage
// leaves answering, the three forced promotions run behind one approval, the DR pools are sized
// from recorded capacity, and traffic moves. With a fence removed the plan is refused before any
// call; with the approval denied nothing changes after it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createMemoryCapacityRecords,
  denyAll,
  type FailoverPlan,
  type ProviderRegistry,
  type RunReport,
  runPlan,
} from '@failover/core';
import { type Emulator, startEmulator } from '@failover/emulator';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import plan from '../examples/multi-cloud-region-outage/plan.js';
import providers, { scenarios, seed } from '../examples/multi-cloud-region-outage/providers.js';
import { runFailover } from '../packages/cli/test/cli-harness.js';

const work = mkdtempSync(join(tmpdir(), 'multi-cloud-region-outage-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

/** The drill's world, dark already, with the example's providers bound to it. */
async function darkWorld({ warmUp = true } = {}) {
  emulator = await startEmulator({ seed, timeScale: 300 });
  const bound = (
    providers as (context: { emulator: { url: string; clock: Emulator['clock'] } }) => ProviderRegistry
  )({ emulator: { url: emulator.url, clock: emulator.clock } });
  // A dry-run first, one step at a time, as the drill's warm-up pass: the SDKs load before the
  // run (vitest's module runner races on concurrent first imports of one SDK).
  if (warmUp) {
    const dry = await runPlan(plan, { providers: bound, dryRun: true, time: emulator.clock, concurrency: 1 });
    expect(dry.isOk()).toBe(true);
    emulator.requests.clear();
  }
  for (const blackout of scenarios['region-outage']!.blackouts) emulator.blackouts.add(blackout);
  return { emulator, providers: bound };
}

const withoutStep = (input: FailoverPlan, id: string): FailoverPlan => ({
  ...input,
  steps: input.steps.map((step) =>
    step.kind === 'group' ? { ...step, steps: step.steps.filter((inner) => inner.id !== id) } : step,
  ),
});

describe('multi-cloud region-outage drill', () => {
  it('fails over all three clouds with their primary regions dark, and prints the RTO and the data-loss window', {
    timeout: 60_000,
  }, async () => {
    const reportPath = join(work, 'report.json');
    const run = await runFailover([
      'drill',
      'examples/multi-cloud-region-outage/plan.ts',
      '--providers',
      'examples/multi-cloud-region-outage/providers.ts',
      '--scenario',
      'region-outage',
      '--approve',
      'approve-data-loss',
      // The drill's own clock, as the README runs it.
      '--report',
      reportPath,
    ]);
    expect(run.code, `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`).toBe(0);
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as RunReport;
    const step = (id: string) => report.steps.find((candidate) => candidate.id === id)!;
    expect(report.status).toBe('succeeded');
    for (const id of ['fence-aws-arc', 'fence-traffic-manager', 'fence-cloud-dns']) {
      expect(step(id)).toMatchObject({ status: 'succeeded', changed: true });
    }
    for (const id of ['promote-aurora', 'promote-azure-sql', 'promote-cloud-sql']) {
      expect(step(id)).toMatchObject({ status: 'succeeded', changed: true });
      expect(step(id).startOffsetMs!).toBeGreaterThanOrEqual(step('approve-data-loss').endOffsetMs!);
    }
    // Every dark production pool sized its DR pool from the capacity recorded before the outage.
    for (const id of ['scale-eks', 'scale-aks', 'scale-gke']) {
      expect(step(id).evidence).toMatchObject({ type: 'recorded-capacity', nodes: 6 });
    }
    for (const id of ['aws-traffic', 'azure-traffic', 'gcp-traffic'])
      expect(step(id).status).toBe('succeeded');
    // A dark region costs each read a short budget, not a step's deadline.
    expect(report.rto.achievedMs).toBeGreaterThan(0);
    expect(report.rto.met).toBe(true);
    expect(run.stdout).toContain('## Scenario: region-outage');
    expect(run.stdout).toMatch(/Achieved RTO: \d+\.\d s \(objective 1800 s, met\)/);
    expect(run.stdout).toContain('Data-loss window: at most 250 ms of writes');
  });

  it('is refused before any call when one cloud’s fence is removed', async () => {
    const world = await darkWorld({ warmUp: false });
    const result = await runPlan(withoutStep(plan, 'fence-traffic-manager'), {
      providers: world.providers,
      time: world.emulator.clock,
      approver: async () => ({ approved: true }),
    });
    const error = result._unsafeUnwrapErr() as { problems?: { code: string; path: string }[] };
    // The other two fences do not cover what fronts the Azure database.
    expect(error.problems?.map((problem) => problem.code)).toEqual(['forced-fence-does-not-cover']);
    expect(world.emulator.requests.list()).toEqual([]);
  });

  it('changes nothing after the approval when it is denied', { timeout: 30_000 }, async () => {
    const world = await darkWorld();
    let deniedAt = Number.POSITIVE_INFINITY;
    const run = (
      await runPlan(plan, {
        providers: world.providers,
        time: world.emulator.clock,
        capacity: createMemoryCapacityRecords(),
        approver: async (request) => {
          deniedAt = world.emulator.clock.now();
          return denyAll(request);
        },
      })
    )._unsafeUnwrap();
    expect(run.status).not.toBe('succeeded');
    for (const id of ['promote-aurora', 'promote-azure-sql', 'promote-cloud-sql', 'scale-eks']) {
      expect(run.steps.find((step) => step.stepId === id)?.status).toBe('skipped');
    }
    const mutatedAfter = world.emulator.requests
      .list()
      .filter((entry) => entry.mutating && entry.at >= deniedAt);
    expect(mutatedAfter).toEqual([]);
    // The fences went through before the approval and stay (rollback never undoes them).
    for (const id of ['fence-aws-arc', 'fence-traffic-manager', 'fence-cloud-dns']) {
      const fence = run.steps.find((step) => step.stepId === id);
      expect(fence?.status, `${id}: ${fence?.error?.message}`).toBe('succeeded');
    }
  });
});
