import { PassThrough } from 'node:stream';
import type { RunResult } from '@failover/core';
import { type Emulator, startEmulator } from '@failover/emulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { colorsFor } from '../src/cli-colors.js';
import { extractEmulatorFlag } from '../src/commands/run-command.js';
import { exitCodes, runCli } from '../src/index.js';
import { exitCodeOfRun } from '../src/run-exit-code.js';
import { bufferIo as captureIo, fixture } from './cli-harness.js';
import { createFakeDnsService } from './fixtures/fake-dns-service.js';

// ANSI sequences, built from ESC so the regular expressions hold no control character.
const esc = String.fromCharCode(27);
const redraw = new RegExp(`${esc}\\[\\d+A${esc}\\[0J`); // cursor up + clear to the end
const colour = new RegExp(`${esc}\\[\\d+(;\\d+)*m`);
const cursorUp = new RegExp(`${esc}\\[\\d+A`);

/** An io whose streams are buffers 100 columns wide; `isTTY` pretends to be a terminal. */
const bufferIo = (options: { isTTY: boolean; env?: Record<string, string>; stdin?: NodeJS.ReadableStream }) =>
  captureIo({
    columns: 100,
    isTTY: options.isTTY,
    env: options.env ?? {},
    ...(options.stdin ? { stdin: options.stdin } : {}),
  });

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startEmulator({ timeScale: 600, extraServices: [createFakeDnsService] });
});
afterEach(() => emulator.stop());
const against = () => [
  '--emulator',
  emulator.url,
  '--time-scale',
  '600',
  '--providers',
  fixture('fake-dns-providers.ts'),
];

describe('runCli in-process', () => {
  it('draws a live view on a terminal: redrawn in place, in colour unless NO_COLOR', async () => {
    const coloured = bufferIo({ isTTY: true });
    expect(await runCli(['run', fixture('dns-plan.yaml'), '--yes', ...against()], coloured.io)).toBe(
      exitCodes.success,
    );
    expect(coloured.text.stdout).toMatch(redraw); // cursor up + clear: a redraw
    expect(coloured.text.stdout).toContain('\u001b[32m'); // green
    expect(coloured.text.stdout).toMatch(/waiting on fake\.dns ChangeRecord/);

    await emulator.stop();
    emulator = await startEmulator({ timeScale: 600, extraServices: [createFakeDnsService] });
    const plain = bufferIo({ isTTY: true, env: { NO_COLOR: '1' } });
    expect(await runCli(['run', fixture('dns-plan.yaml'), '--yes', ...against()], plain.io)).toBe(
      exitCodes.success,
    );
    expect(plain.text.stdout).not.toMatch(colour);
    expect(plain.text.stdout).toMatch(cursorUp);
  });

  it('asks for approval on a terminal, and a "no" stops the run with the needs-approval code', async () => {
    for (const [answer, code] of [
      ['y', exitCodes.success],
      ['n', exitCodes.needsApproval],
    ] as const) {
      await emulator.stop();
      emulator = await startEmulator({ timeScale: 600, extraServices: [createFakeDnsService] });
      const stdin = Object.assign(new PassThrough(), { isTTY: true });
      const buffers = bufferIo({ isTTY: true, env: { NO_COLOR: '1' }, stdin });
      const answered = setInterval(() => {
        if (buffers.text.stderr.includes('? Approve step "go-ahead"')) {
          stdin.write(`${answer}\n`);
          clearInterval(answered);
        }
      }, 5);
      const exit = await runCli(['run', fixture('dns-plan.yaml'), ...against()], buffers.io);
      clearInterval(answered);
      expect(exit).toBe(code);
      expect(buffers.text.stderr).toContain('Move api and www to us-west-2? [y/N]');
      expect(emulator.requests.count({ service: 'fake.dns', mutating: true })).toBe(answer === 'y' ? 2 : 0);
    }
  });

  it('prints help with the exit codes, and usage errors exit 2', async () => {
    const help = bufferIo({ isTTY: false });
    expect(await runCli(['--help'], help.io)).toBe(exitCodes.success);
    expect(help.text.stdout).toContain('4  an approval step was not approved');
    // Every code of the map is documented, and nothing else is.
    const documented = [...help.text.stdout.matchAll(/^ {2}(\d) {2}/gm)].map((match) => Number(match[1]));
    expect(documented).toEqual(Object.values(exitCodes));
    const runHelp = bufferIo({ isTTY: false });
    expect(await runCli(['run', '--help'], runHelp.io)).toBe(exitCodes.success);
    expect(runHelp.text.stdout).toContain('--approve <step>');
    const none = bufferIo({ isTTY: false });
    expect(await runCli([], none.io)).toBe(exitCodes.invalid);
    const resume = bufferIo({ isTTY: false });
    expect(await runCli(['run', fixture('dns-plan.yaml'), '--resume'], resume.io)).toBe(exitCodes.invalid);
    expect(resume.text.stderr).toBe(
      'error --resume needs --journal <file>: the journal is where the interrupted run was recorded.\n',
    );
    const noProviders = bufferIo({ isTTY: false });
    expect(await runCli(['run', fixture('dns-plan.yaml'), '--dry-run'], noProviders.io)).toBe(
      exitCodes.invalid,
    );
    expect(noProviders.text.stderr).toContain(
      'names providers (dns) but nothing binds them; pass --providers',
    );
  });
});

describe('pieces', () => {
  it('maps run outcomes to exit codes, a denied approval first', () => {
    const result = (status: RunResult['status'], denied = false) =>
      ({
        status,
        steps: denied ? [{ kind: 'approval', status: 'failed' }] : [{ kind: 'action', status: 'failed' }],
      }) as unknown as RunResult;
    expect(exitCodeOfRun(result('succeeded'))).toBe(0);
    expect(exitCodeOfRun(result('failed'))).toBe(1);
    expect(exitCodeOfRun(result('rolled-back'))).toBe(3);
    expect(exitCodeOfRun(result('rolled-back', true))).toBe(4);
    expect(exitCodeOfRun(result('failed', true))).toBe(4);
    expect(exitCodeOfRun(result('cancelled'))).toBe(5);
  });

  it('reads --emulator with or without a URL', () => {
    expect(extractEmulatorFlag(['plan.ts', '--emulator'])).toEqual({
      emulator: { kind: 'embedded' },
      rest: ['plan.ts'],
    });
    expect(extractEmulatorFlag(['--emulator', 'http://127.0.0.1:1', 'plan.ts'])).toEqual({
      emulator: { kind: 'url', url: 'http://127.0.0.1:1' },
      rest: ['plan.ts'],
    });
    expect(extractEmulatorFlag(['--emulator=http://h:2', '--yes'])).toEqual({
      emulator: { kind: 'url', url: 'http://h:2' },
      rest: ['--yes'],
    });
    expect(extractEmulatorFlag(['--emulator', 'plan.ts'])).toEqual({
      emulator: { kind: 'embedded' },
      rest: ['plan.ts'],
    });
  });

  it('colours only a terminal without NO_COLOR, or when forced', () => {
    expect(colorsFor(true, {}).enabled).toBe(true);
    expect(colorsFor(true, { NO_COLOR: '1' }).enabled).toBe(false);
    expect(colorsFor(false, {}).enabled).toBe(false);
    expect(colorsFor(false, { FORCE_COLOR: '1' }).enabled).toBe(true);
    expect(colorsFor(true, { FORCE_COLOR: '1', NO_COLOR: '1' }).enabled).toBe(false);
    expect(colorsFor(true, { TERM: 'dumb' }).enabled).toBe(false);
  });
});
