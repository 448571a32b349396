import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutorEvent, JournalEntry, RunReport } from '@failover/core';
import { type Emulator, startEmulator } from '@failover/emulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exitCodes } from '../src/index.js';
import { collect, fixture, runFailover, spawnFailover } from './cli-harness.js';
import { createFakeDnsService } from './fixtures/fake-dns-service.js';

// The CLI runs as a subprocess against an emulator started here, with a small
// DNS API mounted (fixtures/fake-dns-service.ts) until the cloud adapters land.
// Its state and its request log live in this process, so they are what the
// assertions read, and they survive a SIGKILL of the CLI (the resume test).
const timeScale = 600;
let emulator: Emulator;
let workDir: string;

beforeEach(async () => {
  emulator = await startEmulator({ timeScale, extraServices: [createFakeDnsService] });
  workDir = mkdtempSync(join(tmpdir(), 'failover-cli-'));
});
afterEach(async () => {
  await emulator.stop();
  rmSync(workDir, { recursive: true, force: true });
});

const against = () => [
  '--emulator',
  emulator.url,
  '--time-scale',
  String(timeScale),
  '--providers',
  fixture('fake-dns-providers.ts'),
];
const mutations = () => emulator.requests.list({ service: 'fake.dns', mutating: true });
const record = async (name: string) =>
  (await (await fetch(`${emulator.url}/fake-dns/records/${name}`)).json()) as {
    targets: { id: string; priority: number }[];
  };
const primaryOf = async (name: string) =>
  (await record(name)).targets.find((target) => target.priority === 1)?.id;
const parseLines = (stdout: string) =>
  stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as ExecutorEvent);
const readJournal = (path: string): JournalEntry[] => {
  try {
    return readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as JournalEntry];
        } catch {
          return []; // a torn last line while the run writes
        }
      });
  } catch {
    return [];
  }
};

describe('failover run', () => {
  it('--dry-run prints the diff of every step and makes no mutating call', async () => {
    const run = await runFailover(['run', fixture('dns-plan.yaml'), '--dry-run', ...against()]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(exitCodes.success);
    expect(mutations()).toHaveLength(0);
    expect(emulator.requests.count({ service: 'fake.dns', operation: 'GetRecord' })).toBeGreaterThan(0);
    expect(run.stdout).toContain('switch-api: would change the record set');
    expect(run.stdout).toContain('targets.primary.priority: 1 -> 2');
    expect(run.stdout).toContain('go-ahead: would ask for approval: Move api and www to us-west-2?');
    expect(run.stdout).toContain('soak: would wait 10m 00s');
    expect(run.stdout).toContain('2 steps would change something.');
    expect(await primaryOf('api.example.com.')).toBe('primary');
  });

  it('--json streams the executor events, one JSON object per line and nothing else', async () => {
    const run = await runFailover(['run', fixture('dns-plan.yaml'), '--yes', '--json', ...against()]);
    expect(run.code).toBe(exitCodes.success);
    const events = parseLines(run.stdout);
    expect(events[0]!.type).toBe('plan-start');
    expect(events.at(-1)).toMatchObject({ type: 'plan-end', status: 'succeeded' });
    const ended = events.filter((event) => event.type === 'step-end').map((event) => event.stepId);
    expect(ended.sort()).toEqual(['go-ahead', 'soak', 'switch-api', 'switch-www', 'ttl-low', 'verify-www']);
    expect(mutations()).toHaveLength(2);
    expect(await primaryOf('api.example.com.')).toBe('secondary');
    expect(await primaryOf('www.example.com.')).toBe('secondary');
  });

  it('logs plain lines and a summary when stdout is not a terminal', async () => {
    const run = await runFailover(['run', fixture('dns-plan.yaml'), '--approve', 'go-ahead', ...against()]);
    expect(run.code).toBe(exitCodes.success);
    expect(run.stdout).toMatch(/^\+\S+ ms\s+run Fake DNS failover/);
    expect(run.stdout).toContain('approved go-ahead by --approve go-ahead');
    expect(run.stdout).toMatch(/Run \S+ of fake-dns-failover: succeeded in /);
    expect(run.stdout).toContain('RTO ');
    expect(run.stdout).not.toContain('\u001b[');
  });

  it('stops before any change with the needs-approval code when nobody can approve', async () => {
    const run = await runFailover(['run', fixture('dns-plan.yaml'), ...against()]);
    expect(run.code).toBe(exitCodes.needsApproval);
    expect(run.stderr).toContain('pass --approve go-ahead, or --yes');
    expect(run.stdout).toBe('');
    expect(emulator.requests.count({ service: 'fake.dns' })).toBe(0);

    const unknown = await runFailover([
      'run',
      fixture('dns-plan.yaml'),
      '--approve',
      'go-ahaed',
      ...against(),
    ]);
    expect(unknown.code).toBe(exitCodes.invalid);
    expect(unknown.stderr).toContain(
      'the plan has no approval step "go-ahaed" (its approval steps: go-ahead)',
    );
  });

  it('exits with the rolled-back code when a step fails and the changes are undone', async () => {
    const run = await runFailover(['run', fixture('dns-rollback-plan.yaml'), ...against()]);
    expect(run.code).toBe(exitCodes.rolledBack);
    expect(run.stdout).toContain('undo     switch-api: rolled-back');
    expect(mutations()).toHaveLength(2);
    expect(await primaryOf('api.example.com.')).toBe('primary');
  });

  it('--resume after a killed run finishes the plan without repeating completed steps', async () => {
    const journal = join(workDir, 'run.journal');
    const args = ['run', fixture('dns-plan.yaml'), '--yes', '--journal', journal, ...against()];

    // Kill the first run (SIGKILL: no cleanup at all) once switch-api is journaled as done.
    const first = spawnFailover(args);
    const firstDone = collect(first);
    const deadline = Date.now() + 15_000;
    const switched = () =>
      readJournal(journal).some(
        (entry) => entry.type === 'step-end' && entry.stepId === 'switch-api' && entry.status === 'succeeded',
      );
    while (!switched() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    first.kill('SIGKILL');
    const killed = await firstDone;
    expect(killed.signal).toBe('SIGKILL');
    const before = readJournal(journal);
    expect(before.some((entry) => entry.type === 'run-end')).toBe(false);
    expect(mutations().map((entry) => entry.path)).toEqual(['/fake-dns/records/api.example.com.']);

    // Without --resume the unfinished run is not silently started over.
    const refused = await runFailover(args);
    expect(refused.code).toBe(exitCodes.invalid);
    expect(refused.stderr).toMatch(/holds an unfinished run .* with \d+ completed steps?; pass --resume/);

    const resumed = await runFailover([...args, '--resume', '--json']);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(exitCodes.success);
    const events = parseLines(resumed.stdout);
    const skipped = events.filter((event) => event.type === 'step-skipped').map((event) => event.stepId);
    expect(skipped).toEqual(expect.arrayContaining(['ttl-low', 'go-ahead', 'switch-api']));
    const started = events.filter((event) => event.type === 'step-start').map((event) => event.stepId);
    expect(started).not.toContain('switch-api');
    expect(started).toContain('switch-www');

    // Each record changed exactly once across both runs.
    expect(mutations().map((entry) => entry.path)).toEqual([
      '/fake-dns/records/api.example.com.',
      '/fake-dns/records/www.example.com.',
    ]);
    const after = readJournal(journal);
    const starts = after.filter((entry) => entry.type === 'run-start');
    expect(starts).toHaveLength(2);
    expect(starts[1]).toMatchObject({ resumes: starts[0]!.runId });
    expect(after.at(-1)).toMatchObject({ type: 'run-end', status: 'succeeded' });
  });

  it('cancels on SIGINT with the cancelled code, and the run can be resumed', async () => {
    const journal = join(workDir, 'cancel.journal');
    const args = ['run', fixture('dns-plan.yaml'), '--yes', '--journal', journal, ...against()];
    const child = spawnFailover(args);
    const done = collect(child);
    const deadline = Date.now() + 15_000;
    const soaking = () =>
      readJournal(journal).some((entry) => entry.type === 'step-start' && entry.stepId === 'soak');
    while (!soaking() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    child.kill('SIGINT');
    const run = await done;
    expect(run.code).toBe(exitCodes.cancelled);
    expect(readJournal(journal).at(-1)).toMatchObject({ type: 'run-end', status: 'cancelled' });

    const resumed = await runFailover([...args, '--resume']);
    expect(resumed.code).toBe(exitCodes.success);
    expect(mutations()).toHaveLength(2);
  });
});

describe('failover report', () => {
  it('rebuilds the report of a journaled run as Markdown and JSON, and --report keeps the live one', async () => {
    const journal = join(workDir, 'report.journal');
    const written = join(workDir, 'report.json');
    const run = await runFailover([
      'run',
      fixture('dns-rollback-plan.yaml'),
      '--journal',
      journal,
      '--report',
      written,
      ...against(),
    ]);
    expect(run.code).toBe(exitCodes.rolledBack);
    const live = JSON.parse(readFileSync(written, 'utf8')) as RunReport;
    expect(live.apiCalls.total.mutatingApiCalls).toBe(2);

    const md = await runFailover(['report', journal, '--plan', fixture('dns-rollback-plan.yaml')]);
    expect(md.code).toBe(exitCodes.success);
    expect(md.stderr).toBe('');
    expect(md.stdout).toContain('# Failover report: Fake DNS failover that rolls back');
    expect(md.stdout).toContain('**rolled-back**');
    expect(md.stdout).toContain('Undone in this order: `switch-api`.');

    const json = await runFailover([
      'report',
      journal,
      '--plan',
      fixture('dns-rollback-plan.yaml'),
      '--format',
      'json',
    ]);
    expect(json.code).toBe(exitCodes.success);
    const rebuilt = JSON.parse(json.stdout) as RunReport;
    expect(rebuilt).toMatchObject({ runId: live.runId, status: 'rolled-back', planId: 'fake-dns-rollback' });
    expect(rebuilt.steps.map((step) => [step.id, step.status, step.changed])).toEqual(
      live.steps.map((step) => [step.id, step.status, step.changed]),
    );
    expect(rebuilt.rto.achievedMs).toBe(live.rto.achievedMs);
    expect(rebuilt.rollback).toEqual(live.rollback);
    // The journal keeps each step's call counts, so the rebuilt timeline shows them.
    expect(rebuilt.steps.map((step) => [step.id, step.calls.apiCalls])).toEqual(
      live.steps.map((step) => [step.id, step.calls.apiCalls]),
    );
    expect(rebuilt.steps.some((step) => step.calls.apiCalls > 0)).toBe(true);
  });

  it('needs the plan, and says so in one sentence', async () => {
    const missingPlan = await runFailover(['report', fixture('dns-plan.yaml')]);
    expect(missingPlan.code).toBe(exitCodes.invalid);
    expect(missingPlan.stderr).toBe(
      'error `failover report` needs --plan <plan>: the journal records the plan by id, not its steps.\n',
    );
    const notJournal = await runFailover([
      'report',
      fixture('dns-plan.yaml'),
      '--plan',
      fixture('dns-plan.yaml'),
    ]);
    expect(notJournal.code).toBe(exitCodes.invalid);
    expect(notJournal.stderr).toMatch(
      /^error Could not read the journal .*dns-plan\.yaml: Line 1 of the journal/,
    );
  });
});

describe('failover drill', () => {
  it('runs against an embedded emulator with the providers module’s services and prints the report', async () => {
    const run = await runFailover([
      'drill',
      fixture('dns-plan.yaml'),
      '--providers',
      fixture('fake-dns-providers.ts'),
      '--yes',
    ]);
    expect(run.code).toBe(exitCodes.success);
    expect(run.stderr).toMatch(
      /^Embedded emulator at http:\/\/127\.0\.0\.1:\d+ \(deterministic clock\)\.\n$/,
    );
    expect(run.stdout).toContain('# Failover report: Fake DNS failover');
    expect(run.stdout).toMatch(/RTO achieved .* against an objective of 30m 00s/);
    expect(run.stdout).toContain('## API calls per provider');
    // The emulator was the CLI's own: nothing reached the one of this test.
    expect(emulator.requests.count()).toBe(0);
  });

  it('takes the providers (and emulator services) from the plan module when there is no --providers', async () => {
    const run = await runFailover(['drill', fixture('dns-plan-module.ts'), '--yes', '--json']);
    expect(run.code).toBe(exitCodes.success);
    expect(parseLines(run.stdout).at(-1)).toMatchObject({ type: 'plan-end', status: 'succeeded' });
  });
});
