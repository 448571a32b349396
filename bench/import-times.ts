// Import time of every package's built entry points (dist, as users get them), over
// bare `node`: each figure is the median of interleaved runs, one fresh process per
// import, so that one package's run never warms the next. Two figures per entry:
// - import: `await import(entry)` timed inside the process (module loading and
//   evaluation only), and the CPU time (user + system) it took there: on a busy
//   machine the wall figure waits for a core, the CPU figure much less so;
// - process: the wall time of `node -e 'await import(entry)'` minus that of bare
//   `node -e ''` (start-up cost the import adds, as a CLI user feels it).
// Build first: `pnpm build`. Entries without a dist are reported as not built.
// `--also name=/abs/file.js` (repeatable) times another built file in the same rounds,
// e.g. a copy of an older dist (with node_modules linked beside it) for a before/after.
//
//   pnpm build && node --import tsx bench/import-times.ts [--rounds 15] [--only core,neverthrow]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '15' },
    target: { type: 'string', default: '20' },
    // Only the entries whose name contains one of these (comma-separated), e.g. `--only core,neverthrow`.
    only: { type: 'string' },
    // Extra files timed in the same rounds: `name=/absolute/path/index.js`, repeatable.
    also: { type: 'string', multiple: true },
  },
});
const rounds = Number(args.rounds);
const coreTargetMs = Number(args.target);
const root = resolve(import.meta.dirname, '..');

interface Entry {
  name: string;
  /** A built file, or a bare specifier resolved from packages/core. */
  file: string;
  /** `require` for a CommonJS library loaded as core's dist loads it; `import` otherwise. */
  how?: 'import' | 'require';
}

const isBare = (file: string) => !file.startsWith('/');

/** Every `exports` entry of every package that points at JavaScript. */
function entries(): Entry[] {
  const found: Entry[] = [];
  for (const dir of readdirSync(join(root, 'packages')).sort()) {
    const manifestPath = join(root, 'packages', dir, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
      name: string;
      exports?: Record<string, string | Record<string, string>>;
    };
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      const file = typeof target === 'string' ? target : (target.default ?? target.import);
      if (!file?.endsWith('.js')) continue;
      found.push({
        name: `${manifest.name}${subpath === '.' ? '' : subpath.slice(1)}`,
        file: join(root, 'packages', dir, file),
      });
    }
  }
  // For reference: the two libraries core depends on. Core's dist reaches neverthrow through
  // a CommonJS `require` (dist/neverthrow.cjs), which spares the ESM import's scan of its
  // exports: both ways are listed. Zod is loaded by the first validation, not at import.
  found.push({ name: '(neverthrow, as ESM import)', file: 'neverthrow' });
  found.push({ name: '(neverthrow, as require)', file: 'neverthrow', how: 'require' });
  found.push({ name: '(zod)', file: 'zod' });
  for (const also of args.also ?? []) {
    const [name, file] = also.split('=');
    if (!name || !file?.startsWith('/')) throw new Error(`--also wants name=/absolute/file.js, got ${also}`);
    found.push({ name: `${name} (--also)`, file });
  }
  return found;
}

/** One fresh process: the in-process import time and CPU time, and the process's wall time. */
function once(entry: Entry | undefined): { importMs: number; cpuMs: number; wallMs: number } {
  const file = entry?.file;
  const load = !file
    ? ''
    : entry.how === 'require'
      ? `process.getBuiltinModule('node:module').createRequire(${JSON.stringify(join(root, 'packages', 'core', 'package.json'))})(${JSON.stringify(file)})`
      : `await import(${JSON.stringify(isBare(file) ? file : pathToFileURL(file).href)})`;
  const script = file
    ? `const c=process.cpuUsage(),s=performance.now();${load};const u=process.cpuUsage(c);process.stdout.write(String(performance.now()-s)+' '+String((u.user+u.system)/1000))`
    : `process.stdout.write('0 0')`;
  const started = performance.now();
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    cwd: join(root, 'packages', 'core'),
  });
  const wallMs = performance.now() - started;
  if (child.status !== 0) throw new Error(`importing ${file} failed: ${child.stderr}`);
  const [importMs, cpuMs] = child.stdout.split(' ').map(Number);
  return { importMs: importMs!, cpuMs: cpuMs!, wallMs };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const only = args.only?.split(',').filter(Boolean);
const all = entries().filter(
  (entry) => !only || entry.name.endsWith('(--also)') || only.some((part) => entry.name.includes(part)),
);
const built = all.filter((entry) => isBare(entry.file) || existsSync(entry.file));
const samples = new Map<string, { importMs: number[]; cpuMs: number[]; wallMs: number[] }>();
const bare: number[] = [];
for (const entry of built) samples.set(entry.name, { importMs: [], cpuMs: [], wallMs: [] });
for (let round = 0; round < rounds; round++) {
  bare.push(once(undefined).wallMs);
  for (const entry of built) {
    const { importMs, cpuMs, wallMs } = once(entry);
    samples.get(entry.name)!.importMs.push(importMs);
    samples.get(entry.name)!.cpuMs.push(cpuMs);
    samples.get(entry.name)!.wallMs.push(wallMs);
  }
}

const bareMs = median(bare);
console.log(`import times: median of ${rounds} interleaved runs, Node ${process.version}, over built dist`);
console.log(`  bare node -e ''                 ${bareMs.toFixed(0)} ms wall`);
console.log(
  `  ${'entry'.padEnd(30)} ${'import'.padStart(9)} ${'import CPU'.padStart(11)} ${'process - bare'.padStart(15)}`,
);
let missed = false;
for (const entry of all) {
  const sample = samples.get(entry.name);
  if (!sample) {
    console.log(`  ${entry.name.padEnd(30)} not built (${entry.file})`);
    continue;
  }
  const importMs = median(sample.importMs);
  const overBare = median(sample.wallMs) - bareMs;
  const check = entry.name === '@failover/core' ? (importMs <= coreTargetMs ? ' ok' : ' MISSED') : '';
  if (check === ' MISSED') missed = true;
  console.log(
    `  ${entry.name.padEnd(30)} ${`${importMs.toFixed(1)} ms`.padStart(9)} ${`${median(sample.cpuMs).toFixed(1)} ms`.padStart(11)} ${`${overBare.toFixed(0)} ms`.padStart(15)}${check}`,
  );
}
console.log(`  target: @failover/core import <= ${coreTargetMs} ms`);
if (missed) process.exitCode = 1;
