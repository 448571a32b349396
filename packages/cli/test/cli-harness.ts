import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { PassThrough, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { type CliIo, runCli } from '../src/index.js';

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

/** What an in-process `runCli` printed, kept as text. */
export interface CapturedText {
  stdout: string;
  stderr: string;
}

/**
 * An io for `runCli` in this process whose stdout and stderr are kept as text: not a TTY, no
 * colour, the repo root as cwd, unless `overrides` say otherwise; `columns` gives the sinks a
 * terminal width (read when `isTTY` pretends to be a terminal).
 */
export function bufferIo(overrides: Partial<CliIo> & { columns?: number } = {}): {
  io: CliIo;
  text: CapturedText;
} {
  const { columns, ...ioOverrides } = overrides;
  const text: CapturedText = { stdout: '', stderr: '' };
  const sink = (key: keyof CapturedText) => {
    const stream = new Writable({
      write(chunk, _encoding, done) {
        text[key] += String(chunk);
        done();
      },
    });
    return columns === undefined ? stream : Object.assign(stream, { columns });
  };
  const io: CliIo = {
    stdout: sink('stdout'),
    stderr: sink('stderr'),
    stdin: new PassThrough(),
    isTTY: false,
    env: { NO_COLOR: '1' },
    cwd: repoRoot,
    ...ioOverrides,
  };
  return { io, text };
}

/** `failover <args>` in this process: its exit code and what it printed. */
export async function failoverInProcess(
  args: readonly string[],
  overrides: Partial<CliIo> = {},
): Promise<{ code: number } & CapturedText> {
  const { io, text } = bufferIo(overrides);
  const code = await runCli(args, io);
  return { code, ...text };
}

/** A loopback port nothing listens on (one the system just gave out and took back). */
export const closedPort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
