// The region-outage drill (examples/region-outage): us-east-1 is dark, Route 53's control plane
// with it. The drill fences through ARC and by evidence, forces the promotion behind its
// approval, sizes from the recorded capacity and switches traffic. Without its fences the plan
// is refused before any call; with the approval denied nothing changes after it.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createMemoryCapacityRecords,
  denyAll,
  type FailoverPlan,
  type RunReport,
  runPlan,
} from '@failover/core';
import { type Emulator, startEmulator } from '@failover/emulator';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import regionOutagePlan from '../examples/region-outage/plan.js';
import { scenarios, seed } from '../examples/region-outage/providers.js';
import { regionOutageDarkWorld } from './support/region-outage-world.js';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'region-outage-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

function failover(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { FORCE_COLOR: _forced, ...inherited } = process.env;
  const env = { ...inherited, NO_COLOR: '1' };
  const child = spawn(
    process.execPath,
    ['--conditions=@failover/source', '--import', 'tsx', 'packages/cli/src/main.ts', ...args],
    { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const withoutFences = (plan: FailoverPlan): FailoverPlan => ({
  ...plan,
  steps: plan.steps
    .filter((step) => step.id !== 'fence')
    .map((step) => ({
      ...step,
      ...(step.dependsOn && { dependsOn: step.dependsOn.filter((id) => id !== 'fence') }),
    })),
});

// A drill is a child process loading every SDK: seconds on an idle machine, more on a busy one.
describe('region-outage drill', { timeout: 60_000 }, () => {
  it('fails over with us-east-1 dark: ARC and evidence fences, recorded capacity, RTO and data-loss window', async () => {
    const reportPath = join(work, 'report.json');
    const run = await failover([
      'drill',
      'examples/region-outage/plan.ts',
      '--providers',
      'examples/region-outage/providers.ts',
      '--scenario',
      'region-outage',
      '--approve',
      'approve-data-loss',
      '--report',
      reportPath,
    ]);
    expect(run.code, `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`).toBe(0);
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as RunReport;
    const step = (id: string) => report.steps.find((candidate) => candidate.id === id)!;
    expect(report.status).toBe('succeeded');
    expect(step('fence-arc')).toMatchObject({ status: 'succeeded', changed: true });
    expect(step('writer-unreachable').evidence).toMatchObject({ type: 'primary-unreachable', quorum: 2 });
    expect(step('scale-standby').evidence).toMatchObject({ type: 'recorded-capacity', nodes: 6 });
    expect(step('promote-aurora').startOffsetMs!).toBeGreaterThanOrEqual(
      step('approve-data-loss').endOffsetMs!,
    );
    expect(step('serving-from-west').status).toBe('succeeded');
    // The report itself says what the forced promotion may have lost.
    expect(step('secondary-lag').evidence).toMatchObject({ type: 'data-loss-window', lagMs: 40 });
    expect(report.rto.achievedMs).toBeGreaterThan(0);
    expect(run.stdout).toContain('## Scenario: region-outage');
    expect(run.stdout).toMatch(/Achieved RTO: \d+\.\d s/);
    expect(run.stdout).toContain('Data-loss window: at most 40 ms of writes');
  });

  // Three CLI processes (snapshot, run, report), each loading the SDKs: more than the default 20 s on a busy machine.
  it('sizes from a failover snapshot taken before the outage, read from the --capacity file', {
    timeout: 60_000,
  }, async () => {
    // 120x, not 600x: `failover run` has no warm-up pass, so the SDKs' first-call set-up runs on the scaled clock.
    emulator = await startEmulator({ seed, timeScale: 120 });
    const capacityPath = join(work, 'capacity.json');
    const common = ['--providers', 'examples/region-outage/providers.ts', '--emulator', emulator.url];
    const snapshot = await failover([
      'snapshot',
      'examples/region-outage/plan.ts',
      ...common,
      '--capacity',
      capacityPath,
    ]);
    expect(snapshot.code, snapshot.stderr).toBe(0);
    expect(snapshot.stdout).toContain('recorded eks us-east-1/ecommerce-prod/app-nodes: 6 desired');
    const file = JSON.parse(readFileSync(capacityPath, 'utf8')) as { records: { recordedBy: string }[] };
    expect(file.records.map((record) => record.recordedBy)).toEqual(['snapshot']);

    for (const blackout of scenarios['region-outage']!.blackouts) emulator.blackouts.add(blackout);
    const reportPath = join(work, 'snapshot-report.json');
    const journalPath = join(work, 'snapshot-run.jsonl');
    const run = await failover([
      'run',
      'examples/region-outage/plan.ts',
      ...common,
      '--capacity',
      capacityPath,
      '--approve',
      'approve-data-loss',
      '--report',
      reportPath,
      '--journal',
      journalPath,
    ]);
    expect(run.code, `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`).toBe(0);
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as RunReport;
    expect(report.steps.find((step) => step.id === 'scale-standby')?.evidence).toMatchObject({
      type: 'recorded-capacity',
      nodes: 6,
      recordedBy: 'snapshot',
    });

    // The evidence is journaled: the report rebuilt from the journal shows it too.
    const rebuilt = await failover(['report', journalPath, '--plan', 'examples/region-outage/plan.ts']);
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(rebuilt.stdout).toContain('## Evidence');
    expect(rebuilt.stdout).toMatch(
      /`writer-unreachable`: ecommerce-global\.cluster-writer\.us-east-1 unreachable for \d+ ms/,
    );
    expect(rebuilt.stdout).toContain('by snapshot (6 nodes)');
  });

  it('is refused before any call when the fences are removed', async () => {
    const world = await regionOutageDarkWorld();
    emulator = world.emulator;
    const result = await runPlan(withoutFences(regionOutagePlan), {
      providers: world.providers,
      time: world.emulator.clock,
      approver: async () => ({ approved: true }),
    });
    const error = result._unsafeUnwrapErr() as { problems?: { code: string }[] };
    expect(error.problems?.map((problem) => problem.code)).toContain('forced-without-fence');
    expect(world.emulator.requests.list()).toEqual([]);
  });

  it('changes nothing after the approval when it is denied', async () => {
    const world = await regionOutageDarkWorld();
    emulator = world.emulator;
    let deniedAt = Number.POSITIVE_INFINITY;
    const run = (
      await runPlan(regionOutagePlan, {
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
    expect(run.steps.find((step) => step.stepId === 'promote-aurora')?.status).toBe('skipped');
    // Nothing after the denial: no promotion, no scale-up, and the ARC fence is not undone.
    const mutatedAfter = world.emulator.requests
      .list()
      .filter((entry) => entry.mutating && entry.at >= deniedAt);
    expect(mutatedAfter).toEqual([]);
    expect(run.steps.find((step) => step.stepId === 'fence-arc')?.status).toBe('succeeded');
  });
});
