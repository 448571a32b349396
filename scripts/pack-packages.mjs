// Packs the seven published packages into one folder, as `pnpm publish` would (workspace
// and catalog versions replaced), so they install with npm anywhere before they are on
// the registry. Needs the packages built (`pnpm build`).
// Usage: node scripts/pack-packages.mjs [destination]   (default: ./tarballs)
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');
export const publishedPackages = [
  'core',
  'testing',
  'aws',
  'azure',
  'gcp',
  'kubernetes',
  'emulator',
  'restate',
  'cli',
];

/** Packs every published package into `destination`; returns `{ '@failover/core': '/abs/failover-core-0.1.0.tgz', … }`. */
export function packPackages(destination) {
  mkdirSync(destination, { recursive: true });
  for (const name of publishedPackages) {
    const dir = join(root, 'packages', name);
    try {
      readdirSync(join(dir, 'dist'));
    } catch {
      throw new Error(`packages/${name}/dist is missing: run the build first`);
    }
    const [command, ...prefix] = pnpm();
    const result = spawnSync(command, [...prefix, 'pack', '--pack-destination', destination], {
      cwd: dir,
      encoding: 'utf8',
    });
    if (result.status !== 0)
      throw new Error(`pnpm pack in packages/${name} exited ${result.status}\n${result.stderr}`);
  }
  const files = readdirSync(destination).filter((file) => file.endsWith('.tgz'));
  return Object.fromEntries(
    publishedPackages.map((name) => {
      const file = files.find((candidate) => candidate.startsWith(`failover-${name}-`));
      if (!file) throw new Error(`no tarball for @failover/${name} in ${destination}`);
      return [`@failover/${name}`, join(destination, file)];
    }),
  );
}

/** The pnpm that runs the calling script (`pnpm <script>`), else the pinned one through npx: [command, ...args]. */
export function pnpm() {
  const execPath = process.env.npm_execpath;
  if (execPath && /pnpm/.test(execPath)) return [process.execPath, execPath];
  return ['npx', '-y', 'pnpm@10.34.8'];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const destination = resolve(process.argv[2] ?? 'tarballs');
  const tarballs = packPackages(destination);
  console.log(`Packed ${Object.keys(tarballs).length} packages into ${destination}. In your project:\n`);
  console.log(`npm install ${Object.values(tarballs).join(' ')}`);
}
