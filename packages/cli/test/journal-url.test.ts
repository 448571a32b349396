import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JournalEntry } from '@failover/core';
import {
  type Emulator,
  findBlobService,
  findCloudStorageService,
  findS3Service,
  startEmulator,
} from '@failover/emulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exitCodes } from '../src/index.js';
import { collect, fixture, repoRoot, runFailover, spawnFailover } from './cli-harness.js';
import { createFakeDnsService } from './fixtures/fake-dns-service.js';

// A journal on S3 (the emulator's): a run killed on one machine is resumed by a
// process elsewhere (another working directory, nothing shared but the bucket).
const timeScale = 600;
const journalUrl = 's3://runs/payments/failover';
let emulator: Emulator;
let elsewhere: string;

beforeEach(async () => {
  emulator = await startEmulator({ timeScale, extraServices: [createFakeDnsService] });
  findS3Service(emulator.services)!.createBucket('runs');
  findBlobService(emulator.services)!.createContainer('drjournals', 'runs');
  findCloudStorageService(emulator.services)!.createBucket('dr-runs');
  elsewhere = mkdtempSync(join(tmpdir(), 'failover-elsewhere-'));
});
afterEach(async () => {
  await emulator.stop();
  rmSync(elsewhere, { recursive: true, force: true });
});

const against = (root = '') => [
  '--emulator',
  emulator.url,
  '--time-scale',
  String(timeScale),
  '--providers',
  `${root}${fixture('fake-dns-providers.ts')}`,
];
const args = (root = '') => [
  'run',
  `${root}${fixture('dns-plan.yaml')}`,
  '--yes',
  '--journal',
  journalUrl,
  ...against(root),
];
const mutations = () =>
  emulator.requests.list({ service: 'fake.dns', mutating: true }).map((entry) => entry.path);
const objects = () => findS3Service(emulator.services)!.buckets.get('runs')!;
/** The journal's entries as the bucket holds them, whole segments only. */
const entries = (): JournalEntry[] =>
  [...objects().entries()]
    .filter(([key]) => key.startsWith('payments/failover/segments/'))
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([, object]) =>
      object.body.endsWith('\n')
        ? object.body
            .split('\n')
            .filter((line) => line !== '')
            .map((line) => JSON.parse(line) as JournalEntry)
        : [],
    );
const waitFor = async (done: () => boolean) => {
  const deadline = Date.now() + 15_000;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
};

/** The CLI started in another working directory, everything named by absolute path. */
function failoverElsewhere(extra: readonly string[]) {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@failover/source',
      '--import',
      join(repoRoot, 'node_modules/tsx/dist/loader.mjs'),
      join(repoRoot, 'packages/cli/src/main.ts'),
      ...args(repoRoot),
      ...extra,
    ],
    { cwd: elsewhere, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined } },
  );
  return collect(child);
}

describe('failover run --journal s3://…', () => {
  it('a run killed mid-way, with a torn segment after it, is taken over and resumed from another directory', async () => {
    const first = spawnFailover(args());
    const firstDone = collect(first);
    await waitFor(() =>
      entries().some((entry) => entry.type === 'step-end' && entry.stepId === 'switch-api'),
    );
    first.kill('SIGKILL');
    expect((await firstDone).signal).toBe('SIGKILL');
    expect(mutations()).toEqual(['/fake-dns/records/api.example.com.']);
    const runId = entries().find((entry) => entry.type === 'run-start')!.runId;
    // The dead runner was uploading its next segment on a store without atomic objects.
    const segments = [...objects().keys()].filter((key) => key.includes('/segments/')).sort();
    const next = Number(/(\d+)\.jsonl$/.exec(segments.at(-1)!)![1]) + 1;
    objects().set(`payments/failover/segments/${String(next).padStart(12, '0')}.jsonl`, {
      body: '{"type":"step-start","runId":"x","at":1,"st',
      etag: '"torn"',
      lastModified: 0,
    });

    // Its lock is still there: nobody resumes without naming the holder it takes over.
    const refused = await failoverElsewhere(['--resume']);
    expect(refused.code).not.toBe(exitCodes.success);
    expect(refused.stderr).toContain(`run ${runId}`);
    expect(refused.stderr).toContain(`--take-over ${runId}`);
    expect(mutations()).toHaveLength(1);

    const resumed = await failoverElsewhere(['--resume', '--take-over', runId]);
    expect(resumed.stderr).not.toMatch(/error/i);
    expect(resumed.code).toBe(exitCodes.success);
    // Each record changed exactly once across both machines.
    expect(mutations()).toEqual(['/fake-dns/records/api.example.com.', '/fake-dns/records/www.example.com.']);
    const all = entries();
    const starts = all.filter((entry) => entry.type === 'run-start');
    expect(starts).toHaveLength(2);
    expect(starts[1]).toMatchObject({ resumes: runId });
    expect(all.some((entry) => entry.type === 'journal-repaired')).toBe(true);
    expect(all.at(-1)).toMatchObject({ type: 'run-end', status: 'succeeded' });
    expect(JSON.parse(objects().get(`payments/failover/takeovers/${runId}.json`)!.body)).toMatchObject({
      previous: { runId },
      by: { runId: starts[1]!.runId },
    });
    expect(objects().has('payments/failover/lock.json')).toBe(false);

    // The report is rebuilt from the bucket, as from a file.
    const report = await runFailover([
      'report',
      journalUrl,
      '--plan',
      fixture('dns-plan.yaml'),
      '--format',
      'json',
      '--emulator',
      emulator.url,
    ]);
    expect(report.code).toBe(exitCodes.success);
    expect(JSON.parse(report.stdout)).toMatchObject({ status: 'succeeded' });
  }, 90_000);

  it('of two runners racing for the same journal, exactly one runs', async () => {
    const racing = ['run', fixture('dns-plan-held.yaml'), '--yes', '--journal', journalUrl, ...against()];
    const [a, b] = await Promise.all([runFailover(racing), runFailover(racing)]);
    const codes = [a.code, b.code];
    expect(codes.filter((code) => code === exitCodes.success)).toHaveLength(1);
    const loser = a.code === exitCodes.success ? b : a;
    expect(loser.stderr).toMatch(/lock|unfinished run|already finished/);
    expect(mutations()).toEqual(['/fake-dns/records/api.example.com.', '/fake-dns/records/www.example.com.']);
    expect(entries().filter((entry) => entry.type === 'run-start')).toHaveLength(1);
  }, 60_000);

  it('a run whose lock object is deleted mid-run still finishes, nothing lost or repeated', async () => {
    const run = spawnFailover(args());
    const done = collect(run);
    await waitFor(() => entries().some((entry) => entry.type === 'step-start' && entry.stepId === 'soak'));
    expect(objects().delete('payments/failover/lock.json')).toBe(true);
    const result = await done;
    expect(result.code).toBe(exitCodes.success);
    expect(mutations()).toEqual(['/fake-dns/records/api.example.com.', '/fake-dns/records/www.example.com.']);
    const all = entries();
    expect(
      all
        .filter((entry) => entry.type === 'step-end')
        .map((entry) => entry.stepId)
        .sort(),
    ).toEqual(['go-ahead', 'soak', 'switch-api', 'switch-www', 'ttl-low', 'verify-www']);
    expect(all.at(-1)).toMatchObject({ type: 'run-end', status: 'succeeded' });
  }, 60_000);
});

/**
 * Two runners race for the journal at `url`: one runs (both DNS changes, once), the other
 * stops, and the store's segments under `payments/` hold a single run start.
 */
async function raceForJournal(url: string, stored: () => ReadonlyMap<string, { body: string }>) {
  const racing = ['run', fixture('dns-plan-held.yaml'), '--yes', '--journal', url, ...against()];
  const [a, b] = await Promise.all([runFailover(racing), runFailover(racing)]);
  expect([a.code, b.code].filter((code) => code === exitCodes.success)).toHaveLength(1);
  expect(mutations()).toEqual(['/fake-dns/records/api.example.com.', '/fake-dns/records/www.example.com.']);
  const objects = stored();
  const segments = [...objects.keys()].filter((key) => key.startsWith('payments/segments/'));
  expect(segments.length).toBeGreaterThan(0);
  const starts = segments.flatMap((key) =>
    objects
      .get(key)!
      .body.split('\n')
      .filter((line) => line.includes('"run-start"')),
  );
  expect(starts).toHaveLength(1);
}

describe('failover run --journal azblob://…', () => {
  it('of two runners racing for the same journal, exactly one runs', async () => {
    await raceForJournal(
      'azblob://drjournals/runs/payments',
      () => findBlobService(emulator.services)!.containers.get('drjournals/runs')!,
    );
  }, 60_000);
});

describe('failover run --journal gs://…', () => {
  it('of two runners racing for the same journal, exactly one runs', async () => {
    await raceForJournal(
      'gs://dr-runs/payments',
      () => findCloudStorageService(emulator.services)!.buckets.get('dr-runs')!,
    );
  }, 60_000);
});
