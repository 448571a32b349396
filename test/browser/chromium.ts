// Headless Chromium for the report and status-page tests: Debian's `chromium`, driven by
// playwright-core (which downloads nothing). .ci/run installs the package when it is
// missing; elsewhere the browser tests are skipped with the reason in their title, and
// under CI a missing browser is a failure, never a silent skip.
import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';

const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** The Chromium executable, or undefined when none is installed. */
export const chromiumPath = candidates.find((path): path is string => path !== undefined && existsSync(path));

/** Why the browser tests cannot run here, or undefined when they can. */
export const noBrowserReason =
  chromiumPath === undefined && process.env.CI !== 'true'
    ? 'no Chromium installed (apt-get install chromium, as .ci/run does)'
    : undefined;

export async function launchChromium(): Promise<Browser> {
  if (chromiumPath === undefined)
    throw new Error('CI=true but no Chromium: .ci/run installs it (apt-get install chromium)');
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu'],
    headless: true,
  });
}

/** Every URL the page requests, to prove it fetches nothing beyond loopback or its own file. */
export function recordRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (request) => urls.push(request.url()));
  return urls;
}

/** True for file:, data: and about: URLs and for hosts on the loopback range. */
export function isLocalUrl(url: string): boolean {
  const parsed = new URL(url);
  if (['file:', 'data:', 'about:', 'blob:'].includes(parsed.protocol)) return true;
  return (
    /^127\.\d+\.\d+\.\d+$/.test(parsed.hostname) ||
    parsed.hostname === '[::1]' ||
    parsed.hostname === 'localhost'
  );
}
