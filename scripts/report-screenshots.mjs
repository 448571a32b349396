// Regenerates the screenshots of the drill's HTML report in docs/images: runs the main
// drill (multi-cloud, embedded emulator) writing its HTML report, then opens it in headless
// Chromium (Debian's `chromium`) in the light and the dark scheme.
// Usage: node scripts/report-screenshots.mjs
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '..');
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(executablePath))
  throw new Error(`no Chromium at ${executablePath}: apt-get install chromium`);

const work = mkdtempSync(join(tmpdir(), 'failover-screenshots-'));
const html = join(work, 'drill-report.html');
const drill = spawnSync(
  process.execPath,
  [
    '--conditions=@failover/source',
    '--import',
    'tsx',
    'packages/cli/src/main.ts',
    'drill',
    'examples/multi-cloud/plan.ts',
    '--providers',
    'examples/multi-cloud/providers.ts',
    '--report',
    html,
  ],
  { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
);
if (drill.status !== 0) throw new Error(`the drill failed:\n${drill.stdout}\n${drill.stderr}`);

const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] });
try {
  for (const [scheme, file] of [
    ['light', 'drill-report.png'],
    ['dark', 'drill-report-dark.png'],
  ]) {
    const page = await browser.newPage({ viewport: { width: 1100, height: 1300 }, colorScheme: scheme });
    await page.goto(pathToFileURL(html).href);
    await page.screenshot({ path: join(root, 'docs/images', file) });
    await page.close();
    console.log(`wrote docs/images/${file}`);
  }
} finally {
  await browser.close();
  rmSync(work, { recursive: true, force: true });
}
