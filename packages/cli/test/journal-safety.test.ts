import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createFileJournal, errAsync, FailoverError, type JournalEntry } from '@failover/core';
import { type Emulator, startEmulator } from '@failover/emulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exitCodes, runCli } from '../src/index.js';
import { bufferIo, fixture, repoRoot } from './cli-harness.js';
import { createFakeDnsService } from './fixtures/fake-dns-service.js';

// The journal as a hostile user meets it: finished runs, live locks, other
// worlds, broken writes, devices. Every case runs the CLI in-process against an
// emulator started here, whose request log says whether anything was sent.

const startFakeDnsEmulator = () => startEmulator({ timeScale: 600, extraServices: [createFakeDnsService] });
let emulator: Emulator;
let workDir: string;
let journal: string;
beforeEach(async () => {
  emulator = await startFakeDnsEmulator();
  workDir = mkdtempSync(join(tmpdir(), 'failover-journal-cli-'));
  journal = join(workDir, 'run.jsonl');
});
afterEach(async () => {
  await emulator.stop();
  rmSync(workDir, { recursive: true, force: true });
});

const runArgs = (target: Emulator, ...more: string[]) => [
  'run',
  fixture('dns-plan.yaml'),
  '--yes',
  '--journal',
  journal,
  '--emulator',
  target.url,
  '--providers',
  fixture('fake-dns-providers.ts'),
  ...more,
];
const entries = (): JournalEntry[] =>
  readFileSync(journal, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as JournalEntry);
/** Leaves the journal as a crash would: the run's end was never written. */
const dropRunEnd = () =>
  writeFileSync(
    journal,
    entries()
      .filter((entry) => entry.type !== 'run-end')
      .map((entry) => `${JSON.stringify(entry)}\n`)
      .join(''),
  );

describe('failover run --journal', () => {
  it('refuses to --resume a run that finished, with its outcome, exit 0, and nothing sent', async () => {
    const first = bufferIo();
    expect(await runCli(runArgs(emulator), first.io)).toBe(exitCodes.success);
    const sent = emulator.requests.total;

    const again = bufferIo();
    expect(await runCli(runArgs(emulator, '--resume'), again.io)).toBe(exitCodes.success);
    expect(again.text.stderr).toMatch(
      /^Nothing to resume: run \S+ recorded in .* already finished \(succeeded\)/,
    );
    expect(again.text.stdout).toBe('');
    expect(emulator.requests.total).toBe(sent);
    expect(entries().filter((entry) => entry.type === 'run-start')).toHaveLength(1);
  });

  it('exits as the recorded run did when --resume finds it finished (rolled back: 3), sending nothing', async () => {
    expect(await runCli(runArgs(emulator), bufferIo().io)).toBe(exitCodes.success);
    writeFileSync(
      journal,
      entries()
        .map((entry) => (entry.type === 'run-end' ? { ...entry, status: 'rolled-back' } : entry))
        .map((entry) => `${JSON.stringify(entry)}\n`)
        .join(''),
    );
    const sent = emulator.requests.total;

    const again = bufferIo();
    expect(await runCli(runArgs(emulator, '--resume'), again.io)).toBe(exitCodes.rolledBack);
    expect(again.text.stderr).toMatch(/already finished \(rolled-back\)/);
    expect(emulator.requests.total).toBe(sent);
  });

  it('names the live run holding the lock (pid, host, since) instead of asking for --resume', async () => {
    expect(await runCli(runArgs(emulator), bufferIo().io)).toBe(exitCodes.success);
    dropRunEnd(); // as the journal of a run still going looks
    writeFileSync(
      `${journal}.lock`,
      JSON.stringify({
        pid: process.pid,
        hostname: hostname(),
        planId: 'fake-dns-failover',
        runId: 'the-live-run',
        acquiredAt: '2026-12-06T21:00:00.000Z',
      }),
    );
    const sent = emulator.requests.total;
    const second = bufferIo();
    expect(await runCli(runArgs(emulator), second.io)).toBe(exitCodes.failed);
    expect(second.text.stderr).toContain(
      `Another run holds the lock of the journal ${journal}: run the-live-run of plan fake-dns-failover (pid ${process.pid} on ${hostname()}, since 2026-12-06T21:00:00.000Z).`,
    );
    expect(second.text.stderr).not.toContain('--resume');
    expect(emulator.requests.total).toBe(sent);
  });

  it('resumes only against the emulator the run changed: same instance yes, a fresh one no', async () => {
    expect(await runCli(runArgs(emulator), bufferIo().io)).toBe(exitCodes.success);
    dropRunEnd();
    const recorded = entries().find((entry) => entry.type === 'run-start');
    expect(recorded).toMatchObject({
      environment: { emulator: emulator.instanceId, emulatorSeed: emulator.seedDigest },
    });

    const fresh = await startFakeDnsEmulator();
    try {
      const elsewhere = bufferIo();
      expect(await runCli(runArgs(fresh, '--resume'), elsewhere.io)).toBe(exitCodes.invalid);
      expect(elsewhere.text.stderr).toContain(
        `it ran against emulator ${emulator.instanceId} (seed sha256 ${emulator.seedDigest.slice(0, 12)}), and this run would act on emulator ${fresh.instanceId}`,
      );
      expect(fresh.requests.total).toBe(0);
    } finally {
      await fresh.stop();
    }
    const same = bufferIo();
    expect(await runCli(runArgs(emulator, '--resume'), same.io)).toBe(exitCodes.success);
  });

  it('refuses `drill --journal --resume`: a drill seeds a fresh emulator every time', async () => {
    const drill = (...more: string[]) => [
      'drill',
      fixture('dns-plan.yaml'),
      '--yes',
      '--journal',
      journal,
      '--providers',
      fixture('fake-dns-providers.ts'),
      ...more,
    ];
    expect(await runCli(drill(), bufferIo().io)).toBe(exitCodes.success);
    dropRunEnd();
    const resumed = bufferIo();
    expect(await runCli(drill('--resume'), resumed.io)).toBe(exitCodes.invalid);
    expect(resumed.text.stderr).toContain('A drill starts a freshly seeded emulator every time');
    expect(resumed.text.stdout).toBe('');
  });

  it('reports a journal write failure after the first mutation as a failed run with its summary', async () => {
    let broken = false;
    const { io, text } = bufferIo({
      openJournal(path, options) {
        const inner = createFileJournal(path, options);
        return {
          ...inner,
          append(entry) {
            if (broken) {
              return errAsync(
                new FailoverError({
                  kind: 'unavailable',
                  message: `Could not append to the journal ${path} (ENOSPC).`,
                  provider: 'journal.file',
                  operation: 'append',
                }),
              );
            }
            // The disk fills up right after the first change was journaled and made.
            if (entry.type === 'step-handle') broken = true;
            return inner.append(entry);
          },
        };
      },
    });
    expect(await runCli(runArgs(emulator), io)).toBe(exitCodes.failed);
    expect(emulator.requests.count({ service: 'fake.dns', mutating: true })).toBe(1);
    expect(text.stderr).not.toContain('could not start');
    expect(text.stdout).toMatch(/Run \S+ of fake-dns-failover: failed in /);
    expect(text.stdout).toContain('error unavailable: Could not append to the journal');
    expect(text.stdout).toContain('API calls:');
  });

  it.runIf(process.platform !== 'win32')(
    'refuses a FIFO or a device as the journal, before anything is sent',
    async () => {
      const fifo = join(workDir, 'fifo');
      expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
      for (const path of [fifo, '/dev/zero']) {
        journal = path;
        const { io, text } = bufferIo();
        expect(await runCli(runArgs(emulator), io)).toBe(exitCodes.invalid);
        expect(text.stderr).toContain(`is not a regular file`);
      }
      expect(emulator.requests.total).toBe(0);
    },
  );

  it('names the line of a malformed entry', async () => {
    expect(await runCli(runArgs(emulator), bufferIo().io)).toBe(exitCodes.success);
    const lines = readFileSync(journal, 'utf8').split('\n');
    lines[2] = JSON.stringify({ ...JSON.parse(lines[2]!), stepId: 42 });
    writeFileSync(journal, lines.join('\n'));
    const { io, text } = bufferIo();
    expect(await runCli(runArgs(emulator, '--resume'), io)).toBe(exitCodes.invalid);
    expect(text.stderr).toMatch(/Line 3 of the journal .*: "stepId" must be a string/);
  });

  it('ends with a `failover report` command that works as printed', async () => {
    const relativeJournal = relative(repoRoot, journal);
    const { io, text } = bufferIo();
    const args = runArgs(emulator);
    args[args.indexOf(journal)] = relativeJournal;
    expect(await runCli(args, io)).toBe(exitCodes.success);
    const command = /Full report: failover (report .*)$/m.exec(text.stdout)?.[1];
    expect(command).toBe(`report ${relativeJournal} --plan ${fixture('dns-plan.yaml')}`);
    const report = bufferIo();
    expect(await runCli(command!.split(' '), report.io)).toBe(exitCodes.success);
    expect(report.text.stdout).toContain('fake-dns-failover');
  });
});
