// Runs a script of this repository from source (`node --conditions=@failover/source
// --import tsx <script> …`), as CONTRIBUTING does: no colour, output collected.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface SourceRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts the script; `onStderr` sees the stream as it comes. */
export function startFromSource(
  args: readonly string[],
  onStderr?: (text: string) => void,
): { child: ChildProcess; done: Promise<SourceRun> } {
  const child = spawn(process.execPath, ['--conditions=@failover/source', '--import', 'tsx', ...args], {
    cwd: repoRoot,
    env: { ...process.env, FORCE_COLOR: undefined, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    onStderr?.(stderr);
  });
  const done = new Promise<SourceRun>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, done };
}

/** Runs the script to its end. */
export const runFromSource = (args: readonly string[]): Promise<SourceRun> => startFromSource(args).done;

/** `failover drill examples/<example>/plan.ts --providers examples/<example>/providers.ts …`. */
export const drillArgs = (example: string, extra: readonly string[] = []): string[] => [
  'packages/cli/src/main.ts',
  'drill',
  `examples/${example}/plan.ts`,
  '--providers',
  `examples/${example}/providers.ts`,
  ...extra,
];
