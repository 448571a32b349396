import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleWorld } from '../src/sample-world.js';
import { emulatorSeedProblems } from '../src/server/emulator-seed-problems.js';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'failover-emulator-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `failover-emulator` until it prints its URL (then stops it) or exits. */
function runEmulatorCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--conditions=@failover/source', '--import', 'tsx', cli, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (stdout.includes('http://')) child.kill('SIGTERM');
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

const seedFile = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('failover-emulator --seed', () => {
  it('refuses a wrongly shaped world with exit 2 and the path of every problem, not an internal error', async () => {
    const path = seedFile(
      'bad.json',
      JSON.stringify({ aws: { route53: { hostedZones: { id: 'Z1' } } }, amazon: {} }),
    );
    const run = await runEmulatorCli(['--seed', path]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `failover-emulator: The seed file ${path} is not an emulator world (an EmulatorSeed):\n` +
        '  amazon: unknown cloud (expected aws, azure, gcp, kubernetes)\n' +
        '  aws.route53.hostedZones: expected a list, got an object ({"id":"Z1"})\n',
    );
    const notJson = await runEmulatorCli(['--seed', seedFile('broken.json', '{"aws": ')]);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain('is not valid JSON');
  });

  it('starts with a good world', async () => {
    const run = await runEmulatorCli(['--seed', seedFile('good.json', JSON.stringify(sampleWorld()))]);
    expect(run.stdout).toMatch(/^http:\/\/127\.0\.0\.1:\d+\n/);
  });

  it('checks values and list items against the sample world', () => {
    expect(emulatorSeedProblems(sampleWorld())).toEqual([]);
    expect(emulatorSeedProblems([])).toEqual([
      '(world): a list ([]) is not an object such as {"aws": {...}}',
    ]);
    const zone = sampleWorld().aws!.route53!.hostedZones![0]!;
    const bad = {
      aws: { route53: { hostedZones: [{ ...zone, recordSets: [{ name: 'a.', type: 'A', ttl: '60' }] }] } },
    };
    expect(emulatorSeedProblems(bad)).toEqual([
      'aws.route53.hostedZones[0].recordSets[0].ttl: expected a number, got a string ("60")',
    ]);
  });
});
