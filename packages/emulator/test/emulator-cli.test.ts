import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The `failover-emulator` command, run from source the way the package's bin runs its build.
const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

describe('failover-emulator', () => {
  it('starts on an ephemeral loopback port with the sample world, serves it, and stops on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      ['--conditions=@failover/source', '--import', 'tsx', cli, '--sample'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
      const url = chunk.toString().trim();
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const response = await fetch(`${url}/gcp/sqladmin/v1/projects/sample/instances/db`, {
        headers: { authorization: 'Bearer t' },
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ name: 'db' });
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });

  it('rejects an unknown flag with usage and exit code 2', async () => {
    const child = spawn(
      process.execPath,
      ['--conditions=@failover/source', '--import', 'tsx', cli, '--bogus'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(2);
    expect(stderr).toContain('Usage: failover-emulator');
  });
});
