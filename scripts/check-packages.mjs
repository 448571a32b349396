// Checks every publishable package's manifest and exports map with publint
// and @arethetypeswrong/cli (ESM-only profile), and that its built files import
// only what it declares (tsup bundles no dependency: skipNodeModulesBundle), so a
// missing dependency fails here, not in a consumer's install. Run after `pnpm build`.
// Each package is packed once, as `pnpm publish` packs it (workspace and catalog versions
// replaced), and both tools read that tarball; the checks run side by side, one per core.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pnpm } from './pack-packages.mjs';

/** What an import specifier of a package looks like (prose in a string does not). */
const packageName = /^(?:node:)?(?:@[a-z0-9][\w.~-]*\/)?[a-z0-9][\w.~-]*(?:\/[\w.~/-]*)?$/i;

const run = promisify(execFile);
const root = new URL('..', import.meta.url).pathname;
const bin = (name) => join(root, 'node_modules', '.bin', name);
const tarballs = mkdtempSync(join(tmpdir(), 'failover-check-packages-'));

const packages = readdirSync(join(root, 'packages'))
  .map((dir) => join(root, 'packages', dir))
  .filter((pkgDir) => existsSync(join(pkgDir, 'package.json')))
  .map((pkgDir) => ({ pkgDir, manifest: JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) }))
  .filter(({ manifest }) => !manifest.private);

let results;
try {
  results = await inPool(
    packages.map((pkg) => () => checkPackage(pkg)),
    availableParallelism(),
  );
} finally {
  rmSync(tarballs, { recursive: true, force: true });
}
// In package order, whatever order the checks finished in.
for (const lines of results) for (const line of lines) console.log(line);
const failed = results.flat().filter((line) => line.startsWith('FAIL')).length;
process.exit(failed === 0 ? 0 : 1);

/** Packs one package and checks the tarball with both tools, and its built imports: the lines to print. */
async function checkPackage({ pkgDir, manifest }) {
  const lines = [];
  const destination = mkdtempSync(join(tarballs, 'pack-'));
  const [command, ...prefix] = pnpm();
  let tarball;
  try {
    await run(command, [...prefix, 'pack', '--pack-destination', destination], { cwd: pkgDir });
    tarball = join(
      destination,
      readdirSync(destination).find((file) => file.endsWith('.tgz')),
    );
  } catch (error) {
    return [`FAIL  pack ${manifest.name}\n${error.stdout ?? ''}${error.stderr ?? error.message}`];
  }
  for (const [tool, args] of [
    ['publint', ['run', tarball, '--strict']],
    ['attw', [tarball, '--profile', 'esm-only', '--format', 'table-flipped']],
  ]) {
    try {
      await run(bin(tool), args, { cwd: pkgDir });
      lines.push(`ok    ${tool} ${manifest.name}`);
    } catch (error) {
      lines.push(`FAIL  ${tool} ${manifest.name}\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    }
  }
  const undeclared = undeclaredImports(pkgDir, manifest);
  if (undeclared.length === 0) lines.push(`ok    imports ${manifest.name}`);
  else
    lines.push(`FAIL  imports ${manifest.name}: dist imports ${undeclared.join(', ')}, not in dependencies`);
  return lines;
}

/** Runs `jobs` with at most `limit` at once; results in the jobs' order. */
async function inPool(jobs, limit) {
  const results = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const index = next++;
      results[index] = await jobs[index]();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, jobs.length)) }, worker));
  return results;
}

/** Bare imports of the built files whose package is neither a dependency nor a peer. */
function undeclaredImports(pkgDir, manifest) {
  const declared = new Set(Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies }));
  const packageOf = (spec) =>
    spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
  const found = new Set();
  const dist = join(pkgDir, 'dist');
  // The generated .cjs files (core's neverthrow and zod, kubernetes' client) load with require.
  for (const file of readdirSync(dist).filter((name) => name.endsWith('.js') || name.endsWith('.cjs'))) {
    const text = readFileSync(join(dist, file), 'utf8');
    for (const match of text.matchAll(
      /(?:from\s*|import\s*\(\s*|import\s+|require\s*\(\s*)["']([^"'./][^"']*)["']/g,
    )) {
      // Prose in a string ("Generated from "${plan.id}"") is not an import: only package names count.
      if (!packageName.test(match[1])) continue;
      const name = packageOf(match[1]);
      if (!name.startsWith('node:') && !builtinModules.includes(name) && !declared.has(name)) found.add(name);
    }
  }
  return [...found].sort();
}
