// `failover approve` with a run id alone lists; answering options need a step id, and a
// Restate that cannot be reached is exit 1 with its message, never a listing.
import { describe, expect, it } from 'vitest';
import { closedPort, failoverInProcess } from './cli-harness.js';

const cli = (args: string[]) => failoverInProcess(args, { env: {}, cwd: process.cwd() });

describe('failover approve <run id>', () => {
  it('refuses --deny or --by without a step id, before calling Restate', async () => {
    const denied = await cli(['approve', 'run-1', '--deny', '--restate-url', 'http://127.0.0.1:9']);
    expect(denied.code).toBe(2);
    expect(denied.stderr).toContain('give its id after the run id');
    expect(denied.stdout).toBe('');
  });

  it('fails with exit 1 when Restate cannot be reached', async () => {
    const listed = await cli(['approve', 'run-1', '--restate-url', `http://127.0.0.1:${await closedPort()}`]);
    expect(listed.code, listed.stderr).toBe(1);
    expect(listed.stderr).toContain('restate status failed');
    expect(listed.stdout).toBe('');
  });
});
