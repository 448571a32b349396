import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Emulator, startEmulator } from '@failover/emulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { exitCodes, runCli } from '../src/index.js';
import { printable } from '../src/printable.js';
import { bufferIo as captureIo, fixture, repoRoot, runFailover } from './cli-harness.js';
import { createFakeDnsService } from './fixtures/fake-dns-service.js';

/** An io whose streams are buffers, without colour, with `env` added. */
const bufferIo = (env: Record<string, string> = {}) => captureIo({ env: { NO_COLOR: '1', ...env } });

const esc = String.fromCharCode(27);
const bel = String.fromCharCode(7);
let workDir: string;
beforeEach(() => {
  workDir = mkdtempSync(join(tmpdir(), 'failover-io-'));
});
afterEach(() => rmSync(workDir, { recursive: true, force: true }));

/** The DNS fixture plan as a JSON document, changed by `edit`, written with `prefix` (a BOM) first. */
function jsonPlan(edit: (plan: Record<string, unknown>) => void = () => {}, prefix = ''): string {
  const plan = parseYaml(readFileSync(join(repoRoot, fixture('dns-plan.yaml')), 'utf8')) as Record<
    string,
    unknown
  >;
  edit(plan);
  const path = join(workDir, 'plan.json');
  writeFileSync(path, `${prefix}${JSON.stringify(plan, null, 2)}`);
  return path;
}

describe('plan modules that fail', () => {
  it('a default export that rejects, or a build() that throws, is an invalid plan with the module’s error', async () => {
    for (const [name, message] of [
      ['rejecting-plan.ts', 'could not fetch the plan from the config service'],
      ['throwing-build-plan.ts', 'the inventory lookup failed'],
    ] as const) {
      const { io, text } = bufferIo();
      expect(await runCli(['validate', fixture(name)], io)).toBe(exitCodes.invalid);
      expect(text.stderr).toBe(
        `error The plan module ${fixture(name)} failed to produce its plan: ${message}\n`,
      );
    }
  });

  it('a default export that never settles exits 2 after the timeout, never 13 in silence', async () => {
    const run = await runFailover(['validate', fixture('never-settling-plan.ts')], {
      FAILOVER_PLAN_LOAD_TIMEOUT_MS: '300',
    });
    expect(run.code).toBe(exitCodes.invalid);
    expect(run.stderr).toContain(
      `error The plan module ${fixture('never-settling-plan.ts')} did not produce its plan within 300 ms`,
    );
  });
});

describe('plan documents', () => {
  it('accepts a UTF-8 BOM at the start of a JSON plan', async () => {
    const { io, text } = bufferIo();
    expect(await runCli(['validate', jsonPlan(undefined, '\uFEFF')], io)).toBe(exitCodes.success);
    expect(text.stdout).toContain('plan fake-dns-failover is valid');
  });
});

describe('control characters from a plan', () => {
  let emulator: Emulator;
  beforeEach(async () => {
    emulator = await startEmulator({ timeScale: 600, extraServices: [createFakeDnsService] });
  });
  afterEach(() => emulator.stop());

  it('are printed escaped: no terminal sequence or fake line from a plan or step id reaches the output', async () => {
    const hostileStep = `switch-api${esc}]0;pwned${bel}\nRun x of y: succeeded`;
    const path = jsonPlan((plan) => {
      plan.id = `fake-dns${esc}[2J`;
      const group = (plan.steps as { id: string; steps?: { id: string }[] }[]).find(
        (step) => step.id === 'switch',
      )!;
      group.steps![0]!.id = hostileStep;
    });
    const { io, text } = bufferIo();
    const args = [
      'run',
      path,
      '--yes',
      '--emulator',
      emulator.url,
      '--providers',
      fixture('fake-dns-providers.ts'),
    ];
    expect(await runCli(args, io)).toBe(exitCodes.success);
    const output = text.stdout + text.stderr;
    expect(output).not.toContain(esc);
    expect(output).not.toContain(bel);
    expect(output).toContain('switch-api\\e]0;pwned\\x07\\nRun x of y: succeeded');
    expect(output).toContain('fake-dns\\e[2J');
    // No line of the output starts with the forged text.
    expect(output.split('\n').some((line) => line.startsWith('Run x of y'))).toBe(false);

    const invalid = bufferIo();
    const bad = jsonPlan((plan) => {
      plan.steps = [...(plan.steps as object[]), { id: `x${esc}[31m`, kind: 'wait', durationMs: -1 }];
    });
    expect(await runCli(['validate', bad], invalid.io)).toBe(exitCodes.invalid);
    expect(invalid.text.stderr).not.toContain(esc);
  });

  it('printable escapes C0, C1, separators and bidi overrides, and leaves text and tabs alone', () => {
    expect(printable('a\tb ü ✓')).toBe('a\tb ü ✓');
    expect(printable(`${esc}[1m\r\n\u0000\u007f\u009b\u2028\u202e`)).toBe(
      '\\e[1m\\r\\n\\x00\\x7f\\x9b\\u{2028}\\u{202e}',
    );
  });
});
