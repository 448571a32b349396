import type { JournalEntry } from '@failover/core';
import { type Emulator, findS3Service, startEmulator } from '@failover/emulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exitCodes } from '../src/index.js';
import { failoverInProcess, fixture } from './cli-harness.js';
import { createFakeDnsService } from './fixtures/fake-dns-service.js';

// `--take-over <run id>` on an object-store journal is journaled: the run that takes the
// lock writes a `lock-taken-over` entry first, and the report reads the journal as before.
const timeScale = 600;
const journalUrl = 's3://runs/payments/failover';
let emulator: Emulator;

beforeEach(async () => {
  emulator = await startEmulator({ timeScale, extraServices: [createFakeDnsService] });
  findS3Service(emulator.services)!.createBucket('runs');
});
afterEach(async () => {
  await emulator.stop();
});

const objects = () => findS3Service(emulator.services)!.buckets.get('runs')!;
const mutations = () =>
  emulator.requests.list({ service: 'fake.dns', mutating: true }).map((entry) => entry.path);
const entries = (): JournalEntry[] =>
  [...objects().entries()]
    .filter(([key]) => key.startsWith('payments/failover/segments/'))
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([, object]) =>
      object.body
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as JournalEntry),
    );

/** `failover <args>` in-process, with no environment. */
const failover = (args: string[]) => failoverInProcess(args, { env: {} });

const run = (extra: string[] = []) =>
  failover([
    'run',
    fixture('dns-plan.yaml'),
    '--yes',
    '--journal',
    journalUrl,
    '--emulator',
    emulator.url,
    '--time-scale',
    String(timeScale),
    '--providers',
    fixture('fake-dns-providers.ts'),
    ...extra,
  ]);

describe('failover run --journal s3://… --take-over', () => {
  it('journals the takeover of a dead runner’s lock ahead of the new run', async () => {
    // A runner on a machine that is gone left its lock.
    const dead = {
      pid: 4242,
      hostname: 'runner-in-us-east-1',
      planId: 'fake-dns-failover',
      runId: 'run-dead',
      acquiredAt: '2026-12-07T03:00:00.000Z',
      token: 'dead-token',
    };
    objects().set('payments/failover/lock.json', {
      body: `${JSON.stringify(dead)}\n`,
      etag: '"dead"',
      lastModified: 0,
    });

    const refused = await run();
    expect(refused.code).not.toBe(exitCodes.success);
    expect(refused.stderr).toContain('--take-over run-dead');
    expect(mutations()).toEqual([]);
    expect(entries()).toEqual([]);

    const taken = await run(['--take-over', 'run-dead']);
    expect(taken.code, taken.stderr).toBe(exitCodes.success);
    expect(mutations()).toHaveLength(2);
    const all = entries();
    const start = all.find((entry) => entry.type === 'run-start')!;
    expect(all[0]).toEqual({
      type: 'lock-taken-over',
      runId: start.runId,
      at: start.at,
      how: 'take-over',
      previous: {
        runId: 'run-dead',
        planId: 'fake-dns-failover',
        pid: 4242,
        hostname: 'runner-in-us-east-1',
        acquiredAt: '2026-12-07T03:00:00.000Z',
      },
      by: {
        pid: process.pid,
        hostname: expect.any(String),
        planId: start.type === 'run-start' && start.planId,
      },
    });
    expect(JSON.stringify(all)).not.toContain('dead-token');
    expect(all.filter((entry) => entry.type === 'lock-taken-over')).toHaveLength(1);
    expect(all.at(-1)).toMatchObject({ type: 'run-end', status: 'succeeded' });

    const report = await failover([
      'report',
      journalUrl,
      '--plan',
      fixture('dns-plan.yaml'),
      '--format',
      'json',
      '--emulator',
      emulator.url,
    ]);
    expect(report.code, report.stderr).toBe(exitCodes.success);
    const rebuilt = JSON.parse(report.stdout);
    expect(rebuilt).toMatchObject({ runId: start.runId, status: 'succeeded' });
    // The takeover is in the rebuilt report, and said on stderr.
    const note = `Run ${start.runId} took over the journal's lock from run run-dead on runner-in-us-east-1 (pid 4242), held since 2026-12-07T03:00:00.000Z (named with --take-over)`;
    expect(JSON.stringify(rebuilt.warnings)).toContain(note);
    expect(report.stderr).toContain(note);
  }, 60_000);
});
