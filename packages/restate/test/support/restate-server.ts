import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A Restate server started from the npm package's binary, on loopback ports of its own. */
export interface RestateServer {
  adminUrl: string;
  ingressUrl: string;
  stop(): Promise<void>;
}

/** The binary `@restatedev/restate-server` installs for this platform, or undefined. */
export function restateServerBinary(): string | undefined {
  const require = createRequire(import.meta.url);
  try {
    const manifest = require.resolve(
      `@restatedev/restate-server-${process.platform}-${process.arch}/package.json`,
      {
        paths: [dirname(require.resolve('@restatedev/restate-server/package.json'))],
      },
    );
    return join(dirname(manifest), 'bin', 'restate-server');
  } catch {
    return undefined;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `restate-server` with a temporary base directory and three ephemeral loopback
 * ports (node-to-node, admin, ingress), and waits for its admin API to answer.
 * Its release check is pointed at a closed loopback proxy: nothing leaves the machine.
 */
export async function startRestateServer(binary: string): Promise<RestateServer> {
  const baseDir = mkdtempSync(join(tmpdir(), 'failover-restate-'));
  const [fabric, admin, ingress] = [await freePort(), await freePort(), await freePort()];
  const dead = 'http://127.0.0.1:9';
  let output = '';
  const child: ChildProcess = spawn(binary, ['--base-dir', baseDir, '--node-name', 'n1', '--no-logo'], {
    env: {
      PATH: process.env.PATH ?? '',
      RESTATE_LISTEN_MODE: 'tcp',
      RESTATE_BIND_ADDRESS: `127.0.0.1:${fabric}`,
      RESTATE_ADVERTISED_ADDRESS: `http://127.0.0.1:${fabric}`,
      RESTATE_ADMIN__BIND_ADDRESS: `127.0.0.1:${admin}`,
      RESTATE_INGRESS__BIND_ADDRESS: `127.0.0.1:${ingress}`,
      RESTATE_DISABLE_TELEMETRY: 'true',
      RESTATE_LOG_FORMAT: 'compact',
      // A replaced worker is retried soon: the default policy starts at 500 ms.
      RESTATE_DEFAULT_RETRY_POLICY__INITIAL_INTERVAL: '100ms',
      RESTATE_DEFAULT_RETRY_POLICY__MAX_INTERVAL: '1s',
      HTTPS_PROXY: dead,
      HTTP_PROXY: dead,
      ALL_PROXY: dead,
      NO_PROXY: '127.0.0.1,localhost',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk) => {
    output = (output + String(chunk)).slice(-20_000);
  });
  child.stderr?.on('data', (chunk) => {
    output = (output + String(chunk)).slice(-20_000);
  });
  const adminUrl = `http://127.0.0.1:${admin}`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(baseDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`restate-server exited (${child.exitCode}):\n${output}`);
    }
    const healthy = await fetch(`${adminUrl}/health`)
      .then((response) => response.ok)
      .catch(() => false);
    if (healthy) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`restate-server did not answer within 60 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { adminUrl, ingressUrl: `http://127.0.0.1:${ingress}`, stop };
}
