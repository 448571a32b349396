import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The monorepo root: the binary runs from here, as CONTRIBUTING says scripts do. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const fixture = (name: string) => `packages/cli/test/fixtures/${name}`;

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Spawns `failover` from source (no build), as a user's shell would: not a TTY, colour left to the env. */
export function spawnFailover(args: readonly string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(
    process.execPath,
    ['--conditions=@failover/source', '--import', 'tsx', 'packages/cli/src/main.ts', ...args],
    {
      cwd: repoRoot,
      env: { ...withoutForceColor(), NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

/** Runs `failover` to the end and collects its output. */
export function runFailover(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  return collect(spawnFailover(args, env));
}

export function collect(child: ChildProcess): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/**
 * The environment without FORCE_COLOR (vitest sets it): a child given NO_COLOR too
 * would otherwise print Node 22's warning that one overrides the other.
 */
function withoutForceColor(): NodeJS.ProcessEnv {
  const { FORCE_COLOR: _ignored, ...env } = process.env;
  return env;
}
