import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exitCodes, runCli } from '../src/index.js';
import { bufferIo as captureIo } from './cli-harness.js';

/** An io whose streams are buffers, run as the user `oncall`. */
const bufferIo = () => captureIo({ env: { USER: 'oncall' } });

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'failover-watch-'));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

const plan = (extra: Record<string, unknown>) => {
  const path = join(directory, 'plan.json');
  writeFileSync(
    path,
    JSON.stringify({
      version: 1,
      id: 'watched',
      name: 'Watched',
      sourceRegion: 'us-east-1',
      targetRegion: 'us-west-2',
      steps: [
        {
          id: 'promote',
          kind: 'action',
          action: {
            type: 'database',
            provider: 'db',
            database: { id: 'orders' },
            region: 'us-west-2',
            mode: 'planned',
          },
        },
      ],
      ...extra,
    }),
  );
  return path;
};

describe('failover watch', () => {
  it('needs --journal, and a plan with a watch section', async () => {
    const withoutJournal = bufferIo();
    expect(await runCli(['watch', plan({})], withoutJournal.io)).toBe(exitCodes.invalid);
    expect(withoutJournal.text.stderr).toContain('--journal');

    const withoutWatch = bufferIo();
    expect(await runCli(['watch', plan({}), '--journal', join(directory, 'w.jsonl')], withoutWatch.io)).toBe(
      exitCodes.invalid,
    );
    expect(withoutWatch.text.stderr).toContain('no `watch` section');
  });

  it('records a grant for the running watcher, with who granted it', async () => {
    const journal = join(directory, 'w.jsonl');
    const { io, text } = bufferIo();
    expect(await runCli(['watch', plan({}), '--journal', journal, '--grant', 'approve-promotion'], io)).toBe(
      exitCodes.success,
    );
    expect(text.stdout).toContain('Approved approve-promotion');
    const [grant] = readFileSync(`${journal}.approvals`, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(grant).toMatchObject({ step: 'approve-promotion', by: 'oncall' });
  });

  it('refuses a plan whose promotion has no approval of its own (golden rule)', async () => {
    const watch = {
      checks: [
        {
          name: 'api',
          class: 'critical',
          signal: 'api',
          intervalMs: 10_000,
          failureThreshold: 3,
          timeoutMs: 5_000,
        },
      ],
      signals: [{ id: 'api', type: 'http', url: 'http://127.0.0.1:9/health' }],
    };
    const providers = join(directory, 'providers.ts');
    writeFileSync(
      providers,
      // No imports: the module sits in a temporary directory, outside any node_modules.
      `const okAsync = (value) => Promise.resolve({ isOk: () => true, isErr: () => false, value });
export default {
  db: {
    specificationVersion: 'v1', kind: 'database', provider: 'test.db',
    capabilities: { modes: ['planned', 'forced'] },
    describe: () => okAsync({ id: 'orders', failoverInProgress: false, members: [] }),
    ensureWriter: () => okAsync({ before: { id: 'orders', failoverInProgress: false, members: [] }, changed: false }),
    waitForWriter: () => okAsync({ id: 'orders', failoverInProgress: false, members: [] }),
  },
};
`,
    );
    const { io, text } = bufferIo();
    const code = await runCli(
      ['watch', plan({ watch }), '--providers', providers, '--journal', join(directory, 'w.jsonl')],
      io,
    );
    expect(code).toBe(exitCodes.invalid);
    expect(text.stderr).toContain('promotes a database with no approval step of its own (promote)');
  });
});
