// Every published package changed since the last release (or since changesets were
// introduced) must be named by a pending changeset in .changeset/, so no change ships
// without a line in its changelog. Then proves the release flow works on a scratch copy
// of the repository: `changeset version` bumps and writes the changelogs, and
// `pnpm publish -r --dry-run` packs every package it would publish.
// Usage: node scripts/check-changesets.mjs [--since <git-ref>]
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pnpm } from './pack-packages.mjs';

const root = resolve(import.meta.dirname, '..');
const published = readdirSync(join(root, 'packages')).filter(
  (dir) => !JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')).private,
);
const nameOf = (dir) => JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')).name;

const problems = [];
const since = sinceRef();
const pending = pendingChangesets(root);
for (const dir of published) {
  const changed = git([
    'diff',
    '--name-only',
    `${since}..HEAD`,
    '--',
    `packages/${dir}/src`,
    `packages/${dir}/package.json`,
  ])
    .split('\n')
    .filter((file) => file && !/\.test\.ts$/.test(file) && !file.includes('/test-support/'));
  if (changed.length > 0 && !pending.has(nameOf(dir))) {
    problems.push(
      `${nameOf(dir)} changed since ${since.slice(0, 12)} (${changed.length} files) but no changeset names it`,
    );
  }
}
if (problems.length > 0) {
  console.error(`changesets: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`);
  console.error('Add one with `npx -y pnpm@10.34.8 changeset` (see CONTRIBUTING.md, Releases).');
  process.exit(1);
}
console.log(`changesets: ${pending.size} package(s) with pending changesets; every changed package has one`);
releaseFlowOnScratchCopy();

// The last release is the last commit that changed a package's CHANGELOG.md; before the
// first, the commit that introduced changesets.
function sinceRef() {
  const flag = process.argv.indexOf('--since');
  if (flag !== -1) return process.argv[flag + 1];
  const release = git(['log', '-1', '--format=%H', '--', 'packages/*/CHANGELOG.md']);
  if (release) return release;
  const introduced = git(['log', '--diff-filter=A', '--format=%H', '--', '.changeset/config.json'])
    .split('\n')
    .pop();
  if (!introduced) throw new Error('.changeset/config.json is not committed yet');
  return introduced;
}

function pendingChangesets(dir) {
  const names = new Set();
  for (const file of readdirSync(join(dir, '.changeset'))) {
    if (!file.endsWith('.md') || file === 'README.md') continue;
    const front = readFileSync(join(dir, '.changeset', file), 'utf8').match(/^---\n([\s\S]*?)\n---/);
    if (!front) throw new Error(`.changeset/${file} has no front matter`);
    for (const match of front[1].matchAll(/^["']?(@?[\w./-]+)["']?:\s*(major|minor|patch)\s*$/gm))
      names.add(match[1]);
  }
  return names;
}

function releaseFlowOnScratchCopy() {
  const scratch = mkdtempSync(join(tmpdir(), 'failover-release-'));
  try {
    for (const entry of ['package.json', 'pnpm-workspace.yaml', '.changeset', 'packages', 'tools']) {
      cpSync(join(root, entry), join(scratch, entry), {
        recursive: true,
        filter: (source) => !source.includes('node_modules'),
      });
    }
    // The scratch copy uses the workspace's installed tools (changesets reads the workspace from package.json files).
    const before = versions(scratch);
    run(process.execPath, [join(root, 'node_modules/@changesets/cli/bin.js'), 'version'], scratch);
    const after = versions(scratch);
    const bumped = Object.keys(after).filter((name) => after[name] !== before[name]);
    const expected = [...pending].filter((name) => name in before);
    for (const name of expected) {
      if (!bumped.includes(name)) throw new Error(`changeset version did not bump ${name}`);
      const dir = published.find((candidate) => nameOf(candidate) === name);
      if (!existsSync(join(scratch, 'packages', dir, 'CHANGELOG.md')))
        throw new Error(`no CHANGELOG.md for ${name}`);
    }
    console.log(
      `changeset version: bumped ${bumped.map((name) => `${name}@${after[name]}`).join(', ') || 'nothing'}`,
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  // Dry-run publishing from the real tree: every package packs with its built dist.
  const [command, ...prefix] = pnpm();
  const out = run(command, [...prefix, 'publish', '-r', '--dry-run', '--no-git-checks'], root);
  const packed = published.filter((dir) => out.includes(nameOf(dir)));
  if (packed.length !== published.length) {
    throw new Error(
      `pnpm publish -r --dry-run covered ${packed.length} of ${published.length} packages:\n${out}`,
    );
  }
  console.log(`pnpm publish -r --dry-run: ${packed.length} packages would be published`);
}

function versions(dir) {
  return Object.fromEntries(
    published.map((name) => {
      const manifest = JSON.parse(readFileSync(join(dir, 'packages', name, 'package.json'), 'utf8'));
      return [manifest.name, manifest.version];
    }),
  );
}

function git(args) {
  return run('git', args, root).trim();
}

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited ${result.status}\n${result.stdout}\n${result.stderr}`,
    );
  }
  return `${result.stdout}${result.stderr}`;
}
