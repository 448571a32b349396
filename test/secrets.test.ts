import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// Secrets never reach logs, events, journals or reports: the multi-cloud drill runs
// with the credentials of examples/multi-cloud/providers.ts, and every byte it writes
// is searched for them.

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const secrets = ['emulator-not-a-secret', 'emulator-token', 'emulator-token-not-a-secret'];
const work = mkdtempSync(join(tmpdir(), 'failover-secrets-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function drill(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@failover/source',
      '--import',
      'tsx',
      'packages/cli/src/main.ts',
      'drill',
      'examples/multi-cloud/plan.ts',
      '--providers',
      'examples/multi-cloud/providers.ts',
      '--time-scale',
      '120',
      ...args,
    ],
    { cwd: repoRoot, env: { ...withoutForceColor(), NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

describe('secrets', () => {
  it('appear in no event, log line, journal entry or report of a drill', async () => {
    const journal = join(work, 'journal.jsonl');
    const report = join(work, 'report.json');
    const events = await drill(['--json', '--journal', journal, '--report', report]);
    expect(events.code).toBe(0);
    const lines = await drill([]);
    expect(lines.code).toBe(0);

    const written = {
      'JSON events': events.output,
      'log lines': lines.output,
      journal: readFileSync(journal, 'utf8'),
      report: readFileSync(report, 'utf8'),
    };
    for (const [where, text] of Object.entries(written)) {
      expect(text.length, where).toBeGreaterThan(100);
      for (const secret of secrets) expect(text.includes(secret), `${secret} in ${where}`).toBe(false);
    }
  }, 60_000);
});

/**
 * The environment without FORCE_COLOR (vitest sets it): a child given NO_COLOR too
 * would otherwise print Node 22's warning that one overrides the other.
 */
function withoutForceColor(): NodeJS.ProcessEnv {
  const { FORCE_COLOR: _ignored, ...env } = process.env;
  return env;
}
