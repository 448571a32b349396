import { describe, expect, it } from 'vitest';
import { exitCodes } from '../src/index.js';
import { closedPort, failoverInProcess } from './cli-harness.js';

/** `failover <args>` in-process, with no environment, from the current directory. */
const failover = (args: string[]) => failoverInProcess(args, { env: {}, cwd: process.cwd() });

// The cancel itself runs against a real Restate server in packages/restate/test/cancel-a-run.test.ts.
describe('failover cancel', () => {
  it('needs a run id and --restate-url', async () => {
    const noUrl = await failover(['cancel', 'run-1']);
    expect(noUrl.code).toBe(exitCodes.invalid);
    expect(noUrl.stderr).toContain('--restate-url');
    expect((await failover(['cancel', '--restate-url', 'http://127.0.0.1:1'])).code).toBe(exitCodes.invalid);
  });

  it('says so, in one line, when Restate cannot be reached', async () => {
    const result = await failover([
      'cancel',
      'run-1',
      '--restate-url',
      `http://127.0.0.1:${await closedPort()}`,
    ]);
    expect(result.code).toBe(exitCodes.failed);
    expect(result.stderr).toMatch(/^restate cancel failed: .+\n$/);
    expect(result.stdout).toBe('');
  });
});
