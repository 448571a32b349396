// The live status page in headless Chromium: it follows the run's events within a
// second, shows pending approvals with how to grant them and the time against the RTO,
// has nothing that writes, fetches nothing beyond loopback, and needs a token when
// bound beyond loopback. Then the real thing: `failover drill --status-port 0`.
import {
  approval,
  definePlan,
  dns,
  type ExecutorEvent,
  emptyCallCounts,
  type FailoverPlan,
} from '@failover/core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StatusServer, startStatusServer } from '../../packages/cli/src/status/status-server.js';
import { createStatusState } from '../../packages/cli/src/status/status-state.js';
import { isLocalUrl, launchChromium, noBrowserReason, recordRequests } from './chromium.js';
import { drillArgs, startFromSource } from './run-from-source.js';

type Unstamped = ExecutorEvent extends infer E
  ? E extends ExecutorEvent
    ? Omit<E, 'runId' | 'at'>
    : never
  : never;
const record = { zone: 'Z1', name: 'shop.example.com.', type: 'A' };

function plan(): FailoverPlan {
  const built = definePlan({
    id: 'shop',
    name: 'Shop failover',
    sourceRegion: 'a',
    targetRegion: 'b',
    objectives: { rtoMs: 600_000 },
  })
    .step(approval('go', 'Fail over the shop?', { timeoutMs: 60_000 }))
    .parallel('switch-all', [
      dns.switchActive('switch-1', { provider: 'dns', record, target: 'b' }),
      dns.switchActive('switch-2', {
        provider: 'dns',
        record: { ...record, name: 'api.example.com.' },
        target: 'b',
      }),
    ])
    .after('go')
    .build();
  if (built.isErr()) throw built.error;
  return built.value;
}

describe.skipIf(noBrowserReason !== undefined)(
  `live status page${noBrowserReason ? ` (skipped: ${noBrowserReason})` : ''}`,
  () => {
    let browser: Browser;
    let server: StatusServer;
    let now = 1_000_000;
    // Events as the executor sends them, with runId and at filled in.
    const emit = (event: Unstamped) => server.onEvent({ runId: 'run-1', at: now, ...event } as ExecutorEvent);

    beforeAll(async () => {
      browser = await launchChromium();
      server = await startStatusServer({
        state: createStatusState(plan(), (stepId) => `failover run plan.ts --approve ${stepId}`),
        now: () => now,
        port: 0,
      });
    }, 60_000);

    afterAll(async () => {
      await server?.stop();
      await browser?.close();
    });

    it('follows the run within a second: approvals, running steps, stages, time against the RTO', async () => {
      const page = await browser.newPage();
      const requests = recordRequests(page);
      await page.goto(server.url);
      await page.waitForSelector('#status[data-status="waiting"]');

      emit({ type: 'plan-start', planId: 'shop', planName: 'Shop failover', dryRun: false, steps: 3 });
      emit({ type: 'step-start', stepId: 'go', kind: 'approval' });
      // One line per gated promotion, shown as text: the unknown one's reason holds markup.
      const lossLines = [
        'orders: forced promotion loses up to 800 ms of writes (lag observed 00:16:40Z)',
        'carts: replication lag UNKNOWN — the data-loss window cannot be bounded (<b>500</b>)',
      ];
      const dataLoss = lossLines.map((summary, index) => ({
        database: summary.split(':')[0]!,
        stepId: `promote-${index}`,
        observedAt: now,
        summary,
      }));
      emit({
        type: 'approval-request',
        stepId: 'go',
        message: 'Fail over the shop?',
        timeoutMs: 60_000,
        dataLoss,
      });
      await page.waitForSelector('[data-approval="go"]', { timeout: 1_000 });
      expect(await page.locator('[data-approval="go"]').textContent()).toContain(
        'failover run plan.ts --approve go',
      );
      expect(await page.locator('[data-approval="go"] .data-loss').allTextContents()).toEqual(lossLines);
      expect(await page.locator('[data-approval="go"] b').count()).toBe(0);

      now += 30_000;
      emit({ type: 'approval-decision', stepId: 'go', approved: true, by: 'cli' });
      emit({
        type: 'step-end',
        stepId: 'go',
        status: 'succeeded',
        changed: false,
        durationMs: 30_000,
        attempts: 1,
        calls: { total: emptyCallCounts(), byProvider: {} },
      });
      emit({ type: 'step-start', stepId: 'switch-1', kind: 'action' });
      emit({ type: 'step-start', stepId: 'switch-2', kind: 'action' });
      await page.waitForSelector('[data-running="switch-2"]', { timeout: 1_000 });
      expect(await page.locator('[data-approval]').count()).toBe(0);
      expect(await page.locator('#elapsed').textContent()).toBe(
        'elapsed 30 s against the RTO objective 10m 00s — 9m 30s left',
      );

      // A step finishing shows within a second.
      const finished = Date.now();
      emit({
        type: 'step-end',
        stepId: 'switch-1',
        status: 'succeeded',
        changed: true,
        durationMs: 1_000,
        attempts: 1,
        calls: { total: emptyCallCounts(), byProvider: {} },
      });
      await page.waitForSelector('#status[data-done="2"]', { timeout: 1_000 });
      expect(Date.now() - finished).toBeLessThan(1_000);
      expect(await page.locator('[data-stage="switch-all"]').textContent()).toContain('1 / 2');

      emit({
        type: 'step-end',
        stepId: 'switch-2',
        status: 'succeeded',
        changed: true,
        durationMs: 1_000,
        attempts: 1,
        calls: { total: emptyCallCounts(), byProvider: {} },
      });
      emit({ type: 'plan-end', status: 'succeeded', durationMs: 31_000 });
      await page.waitForSelector('#status[data-status="succeeded"]', { timeout: 1_000 });

      // Read-only: nothing on the page writes, and the server refuses every other method.
      expect(await page.locator('form, button, input, textarea, select').count()).toBe(0);
      expect((await fetch(server.url, { method: 'POST' })).status).toBe(405);
      expect(requests.filter((url) => !isLocalUrl(url))).toEqual([]);
      await page.close();
    });

    it('bound beyond loopback, every request needs the token printed with its URL', async () => {
      // 127.0.0.2 is on this machine but not the default loopback address: treated as exposed.
      const exposed = await startStatusServer({
        state: createStatusState(plan(), () => ''),
        now: () => now,
        port: 0,
        host: '127.0.0.2',
      });
      try {
        const url = new URL(exposed.url);
        const token = url.searchParams.get('token');
        expect(token).toMatch(/^[\w-]{20,}$/);
        expect((await fetch(`${url.origin}/status.json`)).status).toBe(401);
        expect((await fetch(`${url.origin}/status.json?token=wrong`)).status).toBe(401);
        expect(
          (await fetch(`${url.origin}/status.json`, { headers: { authorization: `Bearer ${token}` } }))
            .status,
        ).toBe(200);
        const page = await browser.newPage();
        await page.goto(exposed.url);
        await page.waitForSelector('#status[data-status="waiting"]', { timeout: 2_000 });
        await page.close();
      } finally {
        await exposed.stop();
      }
    });

    it('failover drill --status-port 0 prints the URL and serves the run while it runs', async () => {
      let printed: (url: string) => void = () => {};
      const urlPrinted = new Promise<string>((resolve) => {
        printed = resolve;
      });
      const { done } = startFromSource(
        drillArgs('multi-cloud', ['--time-scale', '20', '--status-port', '0']),
        (stderr) => {
          const match = /Live status page: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stderr);
          if (match) printed(match[1]!);
        },
      );
      const url = await Promise.race([
        urlPrinted,
        done.then((run) => {
          throw new Error(`drill ended (${run.code}) before printing the status URL:\n${run.stderr}`);
        }),
      ]);
      const page = await browser.newPage();
      await page.goto(url);
      // Steps finish while we watch: the done count grows.
      await page.waitForSelector('#status[data-status="running"]', { timeout: 10_000 });
      const first = Number(await page.locator('#status').getAttribute('data-done'));
      await page.waitForFunction(
        (before) =>
          Number(
            (
              globalThis as unknown as {
                document: { getElementById(id: string): { dataset: { done?: string } } | null };
              }
            ).document.getElementById('status')?.dataset.done,
          ) > before,
        first,
        { timeout: 20_000 },
      );
      await page.close();
      const run = await done;
      expect(run.code, run.stderr).toBe(0);
    }, 90_000);
  },
);
