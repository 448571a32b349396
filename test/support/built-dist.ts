import { execFile } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'vitest';

// What the built-dist tests share: a temporary install laid out as a user's (the package's
// dist built by tsup, its dependencies linked as pnpm links them), plain Node processes in a
// user's environment, and esbuild to bundle an app from that install.

const execFileAsync = promisify(execFile);
const corePackage = fileURLToPath(new URL('../../packages/core', import.meta.url));
/** Resolves as core does: tsup lives in its devDependencies. */
const requireFromCore = createRequire(join(corePackage, 'package.json'));
const tsupCli = join(dirname(requireFromCore.resolve('tsup/package.json')), 'dist', 'cli-default.js');

/** The esbuild binary tsup uses. */
export const esbuildBin = join(
  dirname(createRequire(requireFromCore.resolve('tsup')).resolve('esbuild/package.json')),
  'bin',
  'esbuild',
);

/** A temporary directory holding an `app` (an ESM package with its node_modules). */
export interface TemporaryInstall {
  /** The temporary directory; `remove()` deletes it. */
  readonly work: string;
  /** The app's directory, `work/app`. */
  readonly app: string;
  remove(): void;
}

/** Creates an empty ESM app in a new temporary directory named after `prefix`. */
export function createTemporaryInstall(prefix: string): TemporaryInstall {
  const work = mkdtempSync(join(tmpdir(), prefix));
  const app = join(work, 'app');
  mkdirSync(app, { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  return { work, app, remove: () => rmSync(work, { recursive: true, force: true }) };
}

/** Runs a command and returns its stdout; fails the test with its output otherwise, or if it wrote to stderr. */
export async function run(command: string, args: string[], cwd: string, env = process.env): Promise<string> {
  const { stdout, stderr } = await execFileAsync(command, args, { cwd, env, timeout: 60_000 }).catch(
    (failed: { stdout?: string; stderr?: string }) => {
      throw new Error(`${command} ${args.join(' ')} failed:\n${failed.stdout}\n${failed.stderr}`);
    },
  );
  expect(stderr).toBe('');
  return stdout;
}

/**
 * A user's environment: keeps the loopback-only preload, drops a `@failover/source`
 * condition and NODE_PATH (the package manager's runner points it at the workspace's
 * modules, which would put a dependency in reach of a bundle that left it out).
 */
export function userEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_PATH;
  env.NODE_OPTIONS = (env.NODE_OPTIONS ?? '').replace(/--conditions[= ]@failover\/source/g, '');
  return env;
}

/**
 * Runs a script with plain Node (no source condition, no tsx) in a user's environment and
 * parses what it printed as JSON. Asynchronous, so that a server in this process can answer it.
 */
export async function node(file: string, cwd: string, nodeOptions: string[] = []): Promise<unknown> {
  return JSON.parse(await run(process.execPath, [...nodeOptions, file], cwd, userEnv()));
}

/** A package's directory (resolved from `from`), linked into the app's node_modules as pnpm would. */
export function linkDependency(app: string, name: string, from: NodeJS.Require): void {
  const target = dirname(realpathSync(from.resolve(`${name}/package.json`)));
  mkdirSync(dirname(join(app, 'node_modules', name)), { recursive: true });
  symlinkSync(target, join(app, 'node_modules', name), 'dir');
}

/**
 * Builds a workspace package's dist (ESM only, no declarations) into the app's node_modules,
 * with its manifest as published minus the source condition (there are no sources there).
 */
export async function installBuilt(app: string, packageDir: string, name: string): Promise<void> {
  const installed = join(app, 'node_modules', name);
  mkdirSync(installed, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  manifest.exports['.'] = { default: './dist/index.js' };
  writeFileSync(join(installed, 'package.json'), JSON.stringify(manifest));
  await run(
    process.execPath,
    [tsupCli, '--out-dir', join(installed, 'dist'), '--no-dts', '--no-sourcemap', '--silent'],
    packageDir,
  );
}

/** Copies a file into a new temporary directory with no node_modules in reach, runs `use`, then deletes it. */
export async function withFileAlone<T>(
  prefix: string,
  file: string,
  use: (dir: string) => Promise<T>,
): Promise<T> {
  const alone = mkdtempSync(join(tmpdir(), prefix));
  try {
    copyFileSync(file, join(alone, basename(file)));
    return await use(alone);
  } finally {
    rmSync(alone, { recursive: true, force: true });
  }
}
