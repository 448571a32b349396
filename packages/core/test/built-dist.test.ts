import { spawnSync } from 'node:child_process';
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
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Core's ESM build reaches its two dependencies through small generated CommonJS files
// in dist (tsup.config.ts): neverthrow through `neverthrow.cjs`, to spare Node scanning
// neverthrow for named exports at import; zod through `require-zod.cjs`, a plain
// `require` on the first validation that bundlers can follow. These tests build core's
// dist (ESM only, no declarations, under a second) into a temporary install, as a user
// gets it, and check in plain Node processes that core's Results are the user's
// neverthrow classes (one module instance), that zod still loads on first use, and that
// a bundle made by esbuild (as for a Lambda) runs alone with one copy of neverthrow.

const corePackage = fileURLToPath(new URL('..', import.meta.url));
const requireFromCore = createRequire(join(corePackage, 'package.json'));
const requireFromTsup = createRequire(requireFromCore.resolve('tsup'));

let work: string;
let app: string;

/** Runs a command and returns its stdout; fails the test with its stderr otherwise. */
function run(command: string, args: string[], cwd: string): string {
  const child = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  if (child.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed:\n${child.stdout}\n${child.stderr}`);
  return child.stdout;
}

/** A plain Node process (no source condition, no tsx) that runs an ES module in `cwd`. */
function node(file: string, cwd: string): unknown {
  const child = spawnSync(process.execPath, [file], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    env: userEnv(),
  });
  expect(child.stderr).toBe('');
  return JSON.parse(child.stdout);
}

/**
 * A user's environment: keeps the loopback-only preload, drops a `@failover/source`
 * condition and NODE_PATH (the package manager's runner points it at the workspace's
 * modules, which would put a `zod` in reach of a bundle that left it out).
 */
function userEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_PATH;
  env.NODE_OPTIONS = (env.NODE_OPTIONS ?? '').replace(/--conditions[= ]@failover\/source/g, '');
  return env;
}

/** A dependency's package directory, linked into the temporary install as pnpm would. */
function linkDependency(name: string): void {
  const target = dirname(realpathSync(requireFromCore.resolve(`${name}/package.json`)));
  symlinkSync(target, join(app, 'node_modules', name), 'dir');
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'failover-core-dist-'));
  app = join(work, 'app');
  const installed = join(app, 'node_modules', '@failover', 'core');
  mkdirSync(installed, { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  // The manifest as published, minus the source condition (there are no sources here).
  const manifest = JSON.parse(readFileSync(join(corePackage, 'package.json'), 'utf8'));
  manifest.exports['.'] = { default: './dist/index.js' };
  writeFileSync(join(installed, 'package.json'), JSON.stringify(manifest));
  linkDependency('neverthrow');
  linkDependency('zod');
  const tsupCli = join(dirname(requireFromCore.resolve('tsup/package.json')), 'dist', 'cli-default.js');
  run(
    process.execPath,
    [tsupCli, '--out-dir', join(installed, 'dist'), '--no-dts', '--no-sourcemap', '--silent'],
    corePackage,
  );
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

// Made by core (its re-exported `ok`, its validation, its executor chunk) and compared
// with the classes the user's own `import` and `require` of neverthrow give.
const identityScript = `
import { createRequire } from 'node:module';
import * as core from '@failover/core';
import { Err, Ok, ResultAsync } from 'neverthrow';
const required = createRequire(import.meta.url)('neverthrow');
const cached = () => Object.keys(createRequire(import.meta.url).cache);
const zodBeforeValidation = cached().some((path) => /[\\/]zod[\\/]/.test(path));
const invalid = { version: 1, id: 'p', name: 'p', sourceRegion: 'a', targetRegion: 'b', steps: [] };
const validated = core.validatePlan(invalid);
const built = core.definePlan({ id: 'p', name: 'p', sourceRegion: 'a', targetRegion: 'b' }).step(core.wait('w', 1000)).build();
const running = core.runPlan(invalid, { providers: {} });
const ran = await running;
const cache = cached();
console.log(JSON.stringify({
  zodBeforeValidation,
  zodAfterValidation: cache.some((path) => /[\\/]zod[\\/]/.test(path)),
  okIsImportedOk: core.ok(1) instanceof Ok,
  okIsRequiredOk: core.ok(1) instanceof required.Ok,
  builtIsOk: built instanceof Ok,
  validatedIsErr: validated instanceof Err && validated instanceof required.Err,
  problems: validated.isErr() ? validated.error.problems.map((problem) => problem.path) : [],
  resultAsyncIsUsers: core.ResultAsync === ResultAsync && running instanceof ResultAsync && running instanceof required.ResultAsync,
  ranIsErr: ran instanceof Err,
  neverthrowCopies: cache.filter((path) => /[\\\\/]neverthrow[\\\\/]dist[\\\\/]/.test(path)).length,
  throughShim: cache.some((path) => path.endsWith('/@failover/core/dist/neverthrow.cjs')),
}));
`;

describe("core's built dist", () => {
  it("gives Results and a ResultAsync of the user's own neverthrow (imported and required), and loads zod on first use", () => {
    writeFileSync(join(app, 'identity.mjs'), identityScript);
    expect(node('identity.mjs', app)).toEqual({
      zodBeforeValidation: false,
      zodAfterValidation: true,
      okIsImportedOk: true,
      okIsRequiredOk: true,
      builtIsOk: true,
      validatedIsErr: true,
      problems: ['steps'],
      resultAsyncIsUsers: true,
      ranIsErr: true,
      neverthrowCopies: 1,
      throughShim: true,
    });
  });

  // `platform=node` reads `main` first; AWS CDK's NodejsFunction bundles ESM with
  // `module,main`, which picks neverthrow's ESM file for the user's import: esbuild must
  // then give core's `require` that same file, not a second copy. The validation needs
  // zod, so it fails unless the bundle holds zod.
  it.each([[[]], [['--main-fields=module,main']]])(
    'bundles with esbuild %j into one file that runs with no node_modules in reach',
    (extraOptions) => {
      const bundleApp = `
import { definePlan, ok, validatePlan, wait } from '@failover/core';
import { Ok } from 'neverthrow';
const bad = validatePlan({ version: 1, id: 'p', name: 'p', sourceRegion: 'a', targetRegion: 'b', steps: [] });
const good = definePlan({ id: 'p', name: 'p', sourceRegion: 'a', targetRegion: 'b' }).step(wait('w', 1000)).build();
console.log(JSON.stringify({ problems: bad.isErr() ? bad.error.problems.map((p) => p.path) : [], built: good.isOk(),
  sameOk: ok(1) instanceof Ok && good instanceof Ok }));
`;
      writeFileSync(join(app, 'bundle-app.mjs'), bundleApp);
      const esbuildPackage = dirname(requireFromTsup.resolve('esbuild/package.json'));
      const esbuildBin = join(esbuildPackage, 'bin', 'esbuild');
      const outfile = join(app, 'bundle.mjs');
      run(
        esbuildBin,
        [
          'bundle-app.mjs',
          '--bundle',
          '--platform=node',
          '--format=esm',
          `--outfile=${outfile}`,
          '--log-level=error',
          ...extraOptions,
        ],
        app,
      );
      // Away from the install: anything the bundle left unresolved would fail to load.
      const alone = mkdtempSync(join(tmpdir(), 'failover-core-bundle-'));
      try {
        copyFileSync(outfile, join(alone, 'bundle.mjs'));
        expect(node('bundle.mjs', alone)).toEqual({ problems: ['steps'], built: true, sameOk: true });
      } finally {
        rmSync(alone, { recursive: true, force: true });
      }
    },
  );
});
