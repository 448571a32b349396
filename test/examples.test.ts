// Every runnable example, end to end: the `failover` binary (from source, as a subprocess)
// validates it, dry-runs it against an emulator this test starts and whose request log it
// reads, and drills it on the embedded emulator through the real adapters and SDK clients.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type ExecutorEvent,
  type FailoverPlan,
  type PlanBuilder,
  type PlanStep,
  type RunReport,
  serializePlan,
  validatePlan,
} from '@failover/core';
import { type Emulator, type EmulatorSeed, startEmulator } from '@failover/emulator';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import auroraPlan, { forcedPlan } from '../examples/aws-aurora-route53/plan.js';
import { seed as auroraSeed } from '../examples/aws-aurora-route53/providers.js';
import multiCloudPlan from '../examples/multi-cloud/plan.js';
import { seed as multiCloudSeed } from '../examples/multi-cloud/providers.js';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));

// Drills run on the drill's default deterministic clock: the emulated timeline (and the
// RTO) is the same at any load, and no drill waits for wall-clock time. The dry-run and
// pre-flight runs talk to an emulator of this process (`--emulator <url>`), whose clock
// cannot be shared across processes: those run on a scaled clock, at 120x rather than
// 600x, so a busy machine stretches their emulated timeline five times less.
const timeScale = '120';
// A drill is a child process loading every SDK: seconds on an idle machine, more on a busy one.
const drillTimeoutMs = 60_000;

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `failover <args>` from source, as CONTRIBUTING runs scripts: not a TTY, no colour. */
function failover(args: readonly string[]): Promise<CliRun> {
  const child = spawn(
    process.execPath,
    ['--conditions=@failover/source', '--import', 'tsx', 'packages/cli/src/main.ts', ...args],
    {
      cwd: repoRoot,
      env: { ...withoutForceColor(), NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
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

/** Fails with the CLI's output, so a broken example says why. */
function expectExit(run: CliRun, code: number): void {
  expect(run.code, `exit code; stdout:\n${run.stdout}\nstderr:\n${run.stderr}`).toBe(code);
}

const events = (stdout: string): ExecutorEvent[] =>
  stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as ExecutorEvent);

function leafIds(steps: readonly PlanStep[]): string[] {
  return steps.flatMap((step) => (step.kind === 'group' ? leafIds(step.steps) : [step.id]));
}

function built(builder: PlanBuilder): FailoverPlan {
  const plan = builder.build();
  if (plan.isErr()) throw plan.error;
  return plan.value;
}

let work: string;
let emulator: Emulator | undefined;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'failover-examples-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));
afterEach(async () => {
  if (emulator) expect(emulator.requests.list().filter((entry) => entry.internalError)).toEqual([]);
  await emulator?.stop();
  emulator = undefined;
});

/**
 * An emulator of this process, for `--emulator <url>`: its request log is readable here.
 * Its clock starts at its default epoch, not now: `failover run --emulator <url>` must read
 * the emulator's clock to agree with it (CloudWatch's replication lag is read over the last
 * minutes, which must be minutes the emulator has samples for).
 */
async function startWorld(seed: EmulatorSeed): Promise<Emulator> {
  emulator = await startEmulator({ seed, timeScale: Number(timeScale) });
  return emulator;
}

/** The report of a drill, written with `--report`. */
async function drill(
  example: string,
  plan: string,
  extra: string[] = [],
): Promise<{ run: CliRun; report: RunReport }> {
  const reportPath = join(work, `${example}-${plan.replace(/\W/g, '-')}-report.json`);
  rmSync(reportPath, { force: true });
  const run = await failover([
    'drill',
    `examples/${example}/${plan}`,
    '--providers',
    `examples/${example}/providers.ts`,
    '--report',
    reportPath,
    ...extra,
  ]);
  const report = run.code === 0 ? (JSON.parse(readFileSync(reportPath, 'utf8')) as RunReport) : undefined;
  expectExit(run, 0);
  return { run, report: report! };
}

/** The report an HTML report page carries, as JSON in its `failover-report` script. */
function reportInHtml(html: string): RunReport {
  const json = /<script type="application\/json" id="failover-report">([\s\S]*?)<\/script>/.exec(html)?.[1];
  if (json === undefined) throw new Error('no failover-report script in the HTML report');
  return JSON.parse(json) as RunReport;
}

function step(report: RunReport, id: string) {
  const found = report.steps.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no step ${id} in the report`);
  return found;
}

describe('examples/aws-aurora-route53', { timeout: drillTimeoutMs }, () => {
  it('validates, the forced variant too; its JSON document validates as well', async () => {
    const plan = built(auroraPlan);
    const json = join(work, 'aws-aurora-route53.json');
    writeFileSync(json, serializePlan(plan));
    const [planned, forced, document] = await Promise.all([
      failover(['validate', 'examples/aws-aurora-route53/plan.ts']),
      failover(['validate', 'examples/aws-aurora-route53/forced-plan.ts']),
      failover(['validate', json]),
    ]);
    for (const run of [planned, forced, document]) expectExit(run, 0);
    expect(planned.stdout).toContain(
      'plan ecommerce-regional-failover-planned is valid (13 steps, 2 groups)',
    );
    expect(forced.stdout).toContain('plan ecommerce-regional-failover-forced is valid');
    expect(document.stdout).toContain('plan ecommerce-regional-failover-planned is valid');
  });

  it('accepts the forced promotion only after the fence and the approval', () => {
    const forced = built(forcedPlan);
    const promote = (plan: FailoverPlan) => plan.steps.find((s) => s.id === 'promote-aurora')!;
    expect(promote(forced)).toMatchObject({ action: { mode: 'forced' } });
    expect(promote(forced).dependsOn).toEqual(['fence-primary', 'approve-data-loss']);
    expect(validatePlan(forced).isOk()).toBe(true);

    const withoutApproval: FailoverPlan = {
      ...forced,
      steps: forced.steps
        .filter((s) => s.kind !== 'approval')
        .map((s) => (s.id === 'promote-aurora' ? { ...s, dependsOn: ['fence-primary'] } : s)),
    };
    const withoutFence: FailoverPlan = {
      ...forced,
      steps: forced.steps.map((s) =>
        s.id === 'fence-primary' && s.kind === 'action' ? { ...s, fence: false } : s,
      ),
    };
    const codes = (plan: FailoverPlan) =>
      validatePlan(plan).match(
        () => [],
        (error) => error.problems.map((problem) => problem.code),
      );
    expect(codes(withoutApproval)).toEqual(['forced-without-approval']);
    expect(codes(withoutFence)).toEqual(['forced-without-fence']);
  });

  it('dry-runs against the emulator with zero mutating requests', async () => {
    const world = await startWorld(auroraSeed);
    const run = await failover([
      'run',
      'examples/aws-aurora-route53/plan.ts',
      '--providers',
      'examples/aws-aurora-route53/providers.ts',
      '--dry-run',
      '--emulator',
      world.url,
      '--time-scale',
      timeScale,
      '--json',
    ]);
    expectExit(run, 0);
    const stream = events(run.stdout);
    expect(stream.at(-1)).toMatchObject({ type: 'plan-end', status: 'succeeded' });
    const ended = stream.filter((event) => event.type === 'step-end').map((event) => event.stepId);
    expect(ended.sort()).toEqual(leafIds(built(auroraPlan).steps).sort());
    expect(world.requests.count({ mutating: true })).toBe(0);
    // It did observe: Route 53, RDS, CloudWatch (the replication lag), EKS.
    for (const service of ['aws.route53', 'aws.rds', 'aws.cloudwatch', 'aws.eks']) {
      expect(world.requests.count({ service }), service).toBeGreaterThan(0);
    }
  });

  it('stops at pre-flight, changing nothing, when Aurora lags by more than 100 ms', async () => {
    const lagging: EmulatorSeed = structuredClone(auroraSeed);
    lagging.aws!.rds!.globalClusters![0]!.members[1]!.lagMs = 450;
    const world = await startWorld(lagging);
    const run = await failover([
      'run',
      'examples/aws-aurora-route53/plan.ts',
      '--providers',
      'examples/aws-aurora-route53/providers.ts',
      '--emulator',
      world.url,
      '--time-scale',
      timeScale,
      '--json',
    ]);
    expectExit(run, 1);
    const lag = events(run.stdout).find(
      (event) => event.type === 'step-end' && event.stepId === 'replication-lag',
    );
    expect(lag).toMatchObject({ status: 'failed' });
    expect(JSON.stringify(lag)).toContain('450 ms');
    expect(world.requests.count({ mutating: true })).toBe(0);
  });

  it('drills the planned failover: every step succeeds, RTO within the objective', async () => {
    const { run, report } = await drill('aws-aurora-route53', 'plan.ts');
    expect(run.stdout).toMatch(/RTO achieved .* against an objective of 15m 00s: \*\*met\*\*/);
    expect(run.stdout).toContain('## API calls per provider');
    expect(report.status).toBe('succeeded');
    expect(report.steps.every((s) => s.status === 'succeeded')).toBe(true);
    expect(report.rto.met).toBe(true);
    // The order the runbook asks for.
    expect(step(report, 'promote-aurora').startOffsetMs!).toBeGreaterThanOrEqual(
      step(report, 'fence-primary').endOffsetMs!,
    );
    const switched = step(report, 'switch-dns').startOffsetMs!;
    expect(switched).toBeGreaterThanOrEqual(step(report, 'promote-aurora').endOffsetMs!);
    expect(switched).toBeGreaterThanOrEqual(step(report, 'scale-standby').endOffsetMs!);
    for (const id of ['scale-standby', 'fence-primary', 'promote-aurora', 'switch-dns'])
      expect(step(report, id).changed, id).toBe(true);
    // One switchover, one resize, the fence and the switch: four changes in all.
    expect(report.apiCalls.byProvider.aurora?.mutatingApiCalls).toBe(1);
    expect(report.apiCalls.byProvider.eks?.mutatingApiCalls).toBe(1);
    expect(report.apiCalls.byProvider.route53?.mutatingApiCalls).toBe(2);
    // After the node group: one Velero restore, then the web tier's two Deployments scaled to
    // us-east-1's replicas, both before the DNS switch.
    expect(report.apiCalls.byProvider['k8s-west']?.mutatingApiCalls).toBe(3);
    expect(step(report, 'restore-cluster-state').startOffsetMs!).toBeGreaterThanOrEqual(
      step(report, 'scale-standby').endOffsetMs!,
    );
    expect(switched).toBeGreaterThanOrEqual(step(report, 'scale-workloads').endOffsetMs!);
  });

  it('drills the forced failover only once its approval is given', async () => {
    const unanswered = await failover([
      'drill',
      'examples/aws-aurora-route53/forced-plan.ts',
      '--providers',
      'examples/aws-aurora-route53/providers.ts',
    ]);
    expectExit(unanswered, 4);
    expect(unanswered.stderr).toContain('--approve approve-data-loss');

    const { report } = await drill('aws-aurora-route53', 'forced-plan.ts', [
      '--approve',
      'approve-data-loss',
    ]);
    expect(report.status).toBe('succeeded');
    expect(step(report, 'approve-data-loss').status).toBe('succeeded');
    expect(step(report, 'promote-aurora').startOffsetMs!).toBeGreaterThanOrEqual(
      step(report, 'approve-data-loss').endOffsetMs!,
    );
    expect(step(report, 'writer-on-secondary').status).toBe('succeeded');
  });
});

const clouds = ['aws', 'azure', 'gcp'] as const;
const perCloud = (report: RunReport, cloud: string) =>
  Object.entries(report.apiCalls.byProvider)
    .filter(([name]) => name.startsWith(`${cloud}-`))
    .reduce((sum, [, counts]) => sum + counts.apiCalls, 0);

describe('examples/multi-cloud', { timeout: drillTimeoutMs }, () => {
  it('validates; its JSON document validates as well', async () => {
    const json = join(work, 'multi-cloud.json');
    writeFileSync(json, serializePlan(built(multiCloudPlan)));
    const [module, document] = await Promise.all([
      failover(['validate', 'examples/multi-cloud/plan.ts']),
      failover(['validate', json]),
    ]);
    for (const run of [module, document]) {
      expectExit(run, 0);
      expect(run.stdout).toContain('plan aegis-multi-cloud-dr is valid (31 steps, 11 groups)');
    }
  });

  it('dry-runs against the emulator with zero mutating requests on every cloud', async () => {
    const world = await startWorld(multiCloudSeed);
    const run = await failover([
      'run',
      'examples/multi-cloud/plan.ts',
      '--providers',
      'examples/multi-cloud/providers.ts',
      '--dry-run',
      '--emulator',
      world.url,
      '--time-scale',
      timeScale,
      '--json',
    ]);
    expectExit(run, 0);
    const stream = events(run.stdout);
    expect(stream.at(-1)).toMatchObject({ type: 'plan-end', status: 'succeeded' });
    expect(stream.filter((event) => event.type === 'step-end')).toHaveLength(31);
    expect(world.requests.count({ mutating: true })).toBe(0);
    for (const cloud of clouds) expect(world.requests.count({ cloud }), cloud).toBeGreaterThan(0);
  });

  // The main job's exact command, once: its stdout, and the report the HTML page carries
  // (the JSON in its `failover-report` script) for the timeline's order and the API calls.
  it('runs the main job exactly as documented, on its default clock: drain-before-promote, then the report', async () => {
    const htmlPath = '.failover/drill-report.html';
    rmSync(join(repoRoot, htmlPath), { force: true });
    const run = await failover([
      'drill',
      'examples/multi-cloud/plan.ts',
      '--providers',
      'examples/multi-cloud/providers.ts',
      '--report',
      htmlPath,
    ]);
    expectExit(run, 0);
    expect(run.stderr).toContain('(deterministic clock)');
    expect(run.stdout).toMatch(
      /Report written to \.failover\/drill-report\.html \(file:\/\/\S+\/\.failover\/drill-report\.html\)\n$/,
    );
    // Progress lines, then the report: timeline, RTO against the objective, API calls.
    expect(run.stdout).toMatch(/ok\s+promote-azure-sql in /);
    expect(run.stdout).toContain('# Failover report: Cloud Aegis DR failover');
    expect(run.stdout).toContain('## Timeline');
    expect(run.stdout).toMatch(/RTO achieved .* against an objective of 30m 00s: \*\*met\*\*/);
    expect(run.stdout).toContain('## API calls per cloud');
    for (const cloud of clouds) expect(run.stdout).toMatch(new RegExp(`\\| ${cloud} \\| \\d+ \\| \\d+ \\|`));
    expect(run.stdout).toContain('## API calls per provider');
    expect(run.stdout).toMatch(/\| gcp-cloud-sql \| \d+ \| 1 \|/);

    const report = reportInHtml(readFileSync(join(repoRoot, htmlPath), 'utf8'));
    expect(report.status).toBe('succeeded');
    expect(report.steps.every((s) => s.status === 'succeeded')).toBe(true);
    expect(report.rto.met).toBe(true);

    const drains = ['drain-route53', 'drain-traffic-manager', 'drain-cloud-dns'];
    const promotions = ['promote-aurora', 'promote-azure-sql', 'promote-cloud-sql'];
    const drained = Math.max(...drains.map((id) => step(report, id).endOffsetMs!));
    for (const id of promotions) expect(step(report, id).startOffsetMs!, id).toBeGreaterThanOrEqual(drained);
    // Per cloud: the switch waits for its database and its cluster, the checks for the switch.
    for (const [cloud, promote, scale, dnsSwitch] of [
      ['aws', 'promote-aurora', 'scale-eks', 'switch-route53'],
      ['azure', 'promote-azure-sql', 'scale-aks', 'switch-traffic-manager'],
      ['gcp', 'promote-cloud-sql', 'scale-gke', 'switch-cloud-dns'],
    ] as const) {
      const switched = step(report, dnsSwitch).startOffsetMs!;
      expect(switched).toBeGreaterThanOrEqual(step(report, promote).endOffsetMs!);
      expect(switched).toBeGreaterThanOrEqual(step(report, scale).endOffsetMs!);
      for (const check of ['traffic', 'writer', 'capacity'])
        expect(step(report, `${cloud}-${check}`).startOffsetMs!).toBeGreaterThanOrEqual(
          step(report, dnsSwitch).endOffsetMs!,
        );
    }
    // The three groups overlap: the per-cloud failovers run in parallel.
    expect(Math.max(...promotions.map((id) => step(report, id).startOffsetMs!))).toBeLessThan(
      Math.min(...promotions.map((id) => step(report, id).endOffsetMs!)),
    );
    // Every provider was called, each database moved once, every cloud changed something.
    expect(Object.keys(report.apiCalls.byProvider).sort()).toEqual([
      'aws-aurora',
      'aws-eks',
      'aws-k8s',
      'aws-route53',
      'azure-aks',
      'azure-k8s',
      'azure-sql',
      'azure-traffic-manager',
      'gcp-cloud-dns',
      'gcp-cloud-sql',
      'gcp-gke',
      'gcp-k8s',
    ]);
    for (const database of ['aws-aurora', 'azure-sql', 'gcp-cloud-sql'])
      expect(report.apiCalls.byProvider[database]?.mutatingApiCalls, database).toBe(1);
    for (const counts of Object.values(report.apiCalls.byProvider))
      expect(counts.mutatingApiCalls).toBeGreaterThanOrEqual(1);
    // Per cloud: the report's own tally, which the provider names (prefixed by cloud) add up to.
    expect(Object.keys(report.apiCalls.byCloud).sort()).toEqual([...clouds]);
    for (const cloud of clouds) {
      expect(report.apiCalls.byCloud[cloud]?.apiCalls, cloud).toBe(perCloud(report, cloud));
      expect(report.apiCalls.byCloud[cloud]?.mutatingApiCalls, cloud).toBeGreaterThanOrEqual(3);
    }
  });
});

/**
 * The environment without FORCE_COLOR (vitest sets it): a child given NO_COLOR too
 * would otherwise print Node 22's warning that one overrides the other.
 */
function withoutForceColor(): NodeJS.ProcessEnv {
  const { FORCE_COLOR: _ignored, ...env } = process.env;
  return env;
}
