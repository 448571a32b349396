// Checks every publishable package's manifest and exports map with publint
// and @arethetypeswrong/cli (ESM-only profile), and that its built files import
// only what it declares (tsup bundles no dependency: skipNodeModulesBundle), so a
// missing dependency fails here, not in a consumer's install. Run after `pnpm build`.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';

/** What an import specifier of a package looks like (prose in a string does not). */
const packageName = /^(?:node:)?(?:@[a-z0-9][\w.~-]*\/)?[a-z0-9][\w.~-]*(?:\/[\w.~/-]*)?$/i;

const root = new URL('..', import.meta.url).pathname;
const bin = (name) => join(root, 'node_modules', '.bin', name);
let failed = 0;
for (const dir of readdirSync(join(root, 'packages'))) {
  const pkgDir = join(root, 'packages', dir);
  const manifestPath = join(pkgDir, 'package.json');
  if (!existsSync(manifestPath)) continue;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  if (manifest.private) continue;
  for (const [tool, args] of [
    ['publint', ['--strict', '--pack', 'npm']],
    ['attw', ['--pack', '.', '--profile', 'esm-only', '--format', 'table-flipped']],
  ]) {
    try {
      execFileSync(bin(tool), args, { cwd: pkgDir, stdio: 'pipe' });
      console.log(`ok    ${tool} ${manifest.name}`);
    } catch (error) {
      failed++;
      console.log(`FAIL  ${tool} ${manifest.name}\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    }
  }
  const undeclared = undeclaredImports(pkgDir, manifest);
  if (undeclared.length === 0) console.log(`ok    imports ${manifest.name}`);
  else {
    failed++;
    console.log(`FAIL  imports ${manifest.name}: dist imports ${undeclared.join(', ')}, not in dependencies`);
  }
}
process.exit(failed === 0 ? 0 : 1);

/** Bare imports of the built files whose package is neither a dependency nor a peer. */
function undeclaredImports(pkgDir, manifest) {
  const declared = new Set(Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies }));
  const packageOf = (spec) =>
    spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
  const found = new Set();
  const dist = join(pkgDir, 'dist');
  for (const file of readdirSync(dist).filter((name) => name.endsWith('.js'))) {
    const text = readFileSync(join(dist, file), 'utf8');
    for (const match of text.matchAll(/(?:from\s*|import\s*\(\s*|import\s+)["']([^"'./][^"']*)["']/g)) {
      // Prose in a string ("Generated from "${plan.id}"") is not an import: only package names count.
      if (!packageName.test(match[1])) continue;
      const name = packageOf(match[1]);
      if (!name.startsWith('node:') && !builtinModules.includes(name) && !declared.has(name)) found.add(name);
    }
  }
  return [...found].sort();
}
