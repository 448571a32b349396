// The consumer test: the seven packages as a stranger gets them. Packs every package,
// installs the tarballs with npm into a fresh project outside the workspace (the
// registry only for third-party dependencies), then:
//   (a) type-checks and runs the getting-started page's plan, dry-run and providers
//       module, extracted from docs/getting-started.md exactly as the page writes them;
//   (b) runs the `failover` and `failover-emulator` bins from node_modules/.bin;
//   (c) type-checks a consumer file under moduleResolution node16 and bundler;
//   (d) imports every package from plain Node ESM, with no custom condition.
// It fails on a missing dependency, a wrong export, or a doc example that no longer compiles.
// Needs the packages built (`pnpm build`). Usage: node scripts/consumer-test.mjs [--keep]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { extractGettingStartedFiles } from './getting-started-files.mjs';
import { publishedPackages as packages, packPackages } from './pack-packages.mjs';

const root = resolve(import.meta.dirname, '..');
const keep = process.argv.includes('--keep');
const quiet = ['--no-audit', '--no-fund', '--loglevel=error'];
// The versions docs/getting-started.md tells a user to install beside the packages.
const devTools = ['tsx@4', 'typescript@5.9', '@types/node@20'];
const work = mkdtempSync(join(tmpdir(), 'failover-consumer-'));
const started = Date.now();

try {
  const tarballs = packAll(join(work, 'tarballs'));
  const app = join(work, 'app');
  mkdirSync(app);
  installApp(app, tarballs);
  gettingStarted(app);
  bins(app);
  moduleResolutions(app);
  plainImports(app);
  console.log(`consumer test: passed in ${((Date.now() - started) / 1000).toFixed(1)} s (${work})`);
} catch (error) {
  console.error(`consumer test: FAILED: ${error.message}`);
  process.exitCode = 1;
} finally {
  if (!keep && process.exitCode !== 1) rmSync(work, { recursive: true, force: true });
}

function packAll(destination) {
  return packPackages(destination);
}

// The install commands of docs/getting-started.md, with the tarballs in place of the registry.
function installApp(app, tarballs) {
  run('npm', ['init', '-y'], app);
  run('npm', ['pkg', 'set', 'type=module'], app);
  run('npm', ['install', ...Object.values(tarballs), ...quiet], app);
  run('npm', ['install', '-D', ...devTools, ...quiet], app);
}

function gettingStarted(app) {
  const files = extractGettingStartedFiles(readFileSync(join(root, 'docs/getting-started.md'), 'utf8'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(app, name), text);
  writeTsconfig(app, 'tsconfig.json', 'node16', Object.keys(files));
  run(join(app, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], app);
  const dryRun = run(join(app, 'node_modules/.bin/tsx'), ['dry-run.ts'], app);
  expect(dryRun, /mutating calls: 0/, 'the simulator dry-run makes no mutating call');
  expect(
    dryRun,
    /would move (the )?writer us-east-1 → us-west-2/,
    'the dry-run shows the promotion it would make',
  );
}

function bins(app) {
  const failover = join(app, 'node_modules/.bin/failover');
  const valid = run(failover, ['validate', 'plan.ts'], app);
  expect(valid, /plan checkout-failover is valid/, 'failover validate accepts the getting-started plan');
  const drill = run(
    failover,
    ['drill', 'plan.ts', '--providers', 'providers.ts', '--dry-run', '--notify', 'console'],
    app,
  );
  expect(drill, /Dry-run of checkout-failover/, 'failover drill --dry-run runs through the AWS adapters');
  const help = run(join(app, 'node_modules/.bin/failover-emulator'), ['--help'], app);
  expect(help, /Usage: failover-emulator/, 'failover-emulator prints its usage');
  emulatorAnswers(app);
}

// Starts the emulator bin on an ephemeral loopback port and stops it once it printed its URL.
function emulatorAnswers(app) {
  const result = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { spawn } from 'node:child_process';
const child = spawn('node_modules/.bin/failover-emulator', ['--port', '0', '--sample']);
let out = '';
const timer = setTimeout(() => { child.kill('SIGKILL'); console.error('no URL after 20 s'); process.exit(1); }, 20000);
child.stdout.on('data', (chunk) => {
  out += chunk;
  const url = out.match(/http:\\/\\/127\\.0\\.0\\.1:\\d+/);
  if (!url) return;
  clearTimeout(timer);
  fetch(url[0] + '/_emulator/clock').then((response) => {
    console.log('emulator answered', response.status);
    child.kill('SIGTERM');
  });
});`,
    ],
    { cwd: app, encoding: 'utf8', timeout: 30_000 },
  );
  if (result.status !== 0) throw new Error(`failover-emulator did not start: ${result.stderr}`);
  expect(result.stdout, /emulator answered 200/, 'failover-emulator serves on loopback');
}

function moduleResolutions(app) {
  const consumer = `import { definePlan, dns, PlanValidationError, runPlan, type FailoverError } from '@failover/core';
import { createAws } from '@failover/aws';
import { createAzure } from '@failover/azure';
import { createGcp } from '@failover/gcp';
import { createSimulatedWorld } from '@failover/testing';
import { startEmulator } from '@failover/emulator';
import { defineProviders } from '@failover/cli';

const built = definePlan({ id: 'p', name: 'p', sourceRegion: 'a', targetRegion: 'b' })
  .step(dns.switchActive('switch', { provider: 'dns', record: { zone: 'z', name: 'n.', type: 'A' }, target: 'b' }))
  .build();
if (built.isErr() && PlanValidationError.isInstance(built.error)) console.log(built.error.problems.length);
const describe = (error: FailoverError): string => \`\${error.kind} \${error.provider} \${error.operation}\`;
export const all = [runPlan, createAws, createAzure, createGcp, createSimulatedWorld, startEmulator, defineProviders, describe];
`;
  writeFileSync(join(app, 'consumer.ts'), consumer);
  for (const resolution of ['node16', 'bundler']) {
    const config = `tsconfig.${resolution}.json`;
    writeTsconfig(app, config, resolution, ['consumer.ts']);
    run(join(app, 'node_modules/.bin/tsc'), ['-p', config], app);
  }
}

function plainImports(app) {
  const script = packages.map((name) => `await import('@failover/${name}');`).join('\n');
  const out = run(
    process.execPath,
    ['--input-type=module', '-e', `${script}\nconsole.log('imported ${packages.length}');`],
    app,
  );
  expect(out, new RegExp(`imported ${packages.length}`), 'every package imports from plain Node ESM');
}

function writeTsconfig(app, name, resolution, files) {
  const compilerOptions = {
    strict: true,
    noEmit: true,
    target: 'ES2022',
    module: resolution === 'bundler' ? 'ESNext' : 'Node16',
    moduleResolution: resolution === 'bundler' ? 'Bundler' : 'Node16',
    types: ['node'],
    // Third-party declarations are not ours to check (google-auth-library's fail under
    // node16); ours are exercised through every import and call above, and by attw.
    skipLibCheck: true,
  };
  writeFileSync(join(app, name), `${JSON.stringify({ compilerOptions, files }, null, 2)}\n`);
}

function run(command, args, cwd) {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: cleanEnv(),
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw new Error(`${command} ${args.join(' ')}: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited ${result.status} in ${cwd}\n${result.stdout}\n${result.stderr}`,
    );
  }
  return `${result.stdout}${result.stderr}`;
}

function expect(output, pattern, what) {
  if (!pattern.test(output)) throw new Error(`${what}: ${pattern} not found in\n${output}`);
  console.log(`  ok: ${what}`);
}

// A consumer has none of the workspace's settings: no custom conditions, no FORCE_COLOR.
function cleanEnv() {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  delete env.FORCE_COLOR;
  for (const key of Object.keys(env)) if (key.startsWith('npm_') || key.startsWith('PNPM_')) delete env[key];
  return env;
}
