import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunReport } from '@failover/core';
import { type Emulator, startEmulator } from '@failover/emulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exitCodes } from '../src/index.js';
import { failoverInProcess, fixture } from './cli-harness.js';
import { createFakeDnsService } from './fixtures/fake-dns-service.js';

// `failover run --incident-started-at --detected-at`: a run started by hand records when the
// incident was seen and decided on; the report written at the end and the one rebuilt from
// the journal (`failover report`) give the time to detect.

const cli = (args: string[]) => failoverInProcess(args);

let emulator: Emulator;
let workDir: string;
beforeEach(async () => {
  emulator = await startEmulator({ timeScale: 600, extraServices: [createFakeDnsService] });
  workDir = mkdtempSync(join(tmpdir(), 'failover-detected-at-'));
});
afterEach(async () => {
  await emulator.stop();
  rmSync(workDir, { recursive: true, force: true });
});

const run = (...more: string[]) => [
  'run',
  fixture('dns-plan.yaml'),
  '--yes',
  '--emulator',
  emulator.url,
  '--providers',
  fixture('fake-dns-providers.ts'),
  ...more,
];

describe('failover run --incident-started-at --detected-at', () => {
  it('puts the time to detect in the report, and in the report rebuilt from the journal', async () => {
    const journal = join(workDir, 'run.jsonl');
    const written = join(workDir, 'report.json');
    const ran = await cli(
      run(
        '--journal',
        journal,
        '--report',
        written,
        '--incident-started-at',
        '2026-12-07T03:10:00Z',
        '--detected-at',
        '2026-12-07T03:14:30.500Z',
      ),
    );
    expect(ran.code).toBe(exitCodes.success);
    const live = JSON.parse(readFileSync(written, 'utf8')) as RunReport;
    expect(live.review).toMatchObject({
      timeToDetectMs: 270_500,
      detection: {
        startedAt: Date.parse('2026-12-07T03:10:00Z'),
        detectedAt: Date.parse('2026-12-07T03:14:30.500Z'),
      },
    });

    const md = await cli(['report', journal, '--plan', fixture('dns-plan.yaml')]);
    expect(md.code).toBe(exitCodes.success);
    expect(md.stdout).toContain(
      '- Time to detect: 4m 31s (first failing observation 2026-12-07T03:10:00.000Z, decided 2026-12-07T03:14:30.500Z)',
    );
    const json = await cli(['report', journal, '--plan', fixture('dns-plan.yaml'), '--format', 'json']);
    expect((JSON.parse(json.stdout) as RunReport).review?.timeToDetectMs).toBe(270_500);
  });

  it('refuses one flag without the other, a time without its zone, and a start after the detection', async () => {
    const cases: Array<[string[], string]> = [
      [['--detected-at', '2026-12-07T03:14:30Z'], 'go together'],
      [
        ['--incident-started-at', '2026-12-07 03:10', '--detected-at', '2026-12-07T03:14:30Z'],
        'with its zone',
      ],
      [
        ['--incident-started-at', '2026-12-07T03:20:00Z', '--detected-at', '2026-12-07T03:14:30Z'],
        'is after',
      ],
    ];
    for (const [flags, message] of cases) {
      const refused = await cli(run(...flags));
      expect(refused.code).toBe(exitCodes.invalid);
      expect(refused.stderr).toContain(message);
    }
    // Nothing was sent to the emulator by a refused command line.
    expect(emulator.requests.count({ mutating: true })).toBe(0);
  });
});
