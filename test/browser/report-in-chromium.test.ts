// The drill's reports as a person sees them, in headless Chromium: the HTML report opens
// from disk with no network request, shows one bar per timeline bar and the RTO; every
// Mermaid timeline the drills print parses with Mermaid's own parser, and so does a
// 10,000-step one; the live status page follows a drill as it runs.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  emptyCallCounts,
  formatDuration,
  type RunReport,
  renderReportGantt,
  timelineSections,
} from '@failover/core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLocalUrl, launchChromium, noBrowserReason, recordRequests } from './chromium.js';
import { drillArgs, repoRoot, runFromSource, type SourceRun } from './run-from-source.js';

const mermaidBundle = join(repoRoot, 'node_modules/mermaid/dist/mermaid.min.js');
const work = mkdtempSync(join(tmpdir(), 'failover-report-browser-'));

const mermaidBlocks = (markdown: string) =>
  [...markdown.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((match) => match[1]!);

describe.skipIf(noBrowserReason !== undefined)(
  `reports in Chromium${noBrowserReason ? ` (skipped: ${noBrowserReason})` : ''}`,
  () => {
    let browser: Browser;
    let multiCloud: SourceRun;
    let aurora: SourceRun;
    let regionOutage: SourceRun;
    let simulator: SourceRun;
    const htmlPath = join(work, 'multi-cloud-report.html');

    beforeAll(async () => {
      [browser, multiCloud, aurora, regionOutage, simulator] = await Promise.all([
        launchChromium(),
        // On the drill's default deterministic clock: no drill waits for wall-clock time.
        runFromSource(drillArgs('multi-cloud', ['--report', htmlPath])),
        runFromSource(drillArgs('aws-aurora-route53')),
        runFromSource(
          drillArgs('region-outage', ['--scenario', 'region-outage', '--approve', 'approve-data-loss']),
        ),
        runFromSource(['examples/simulator-drill/drill.ts']),
      ]);
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      rmSync(work, { recursive: true, force: true });
    });

    it('the drill writes an HTML report and prints a link to it', () => {
      expect(multiCloud.code, multiCloud.stderr).toBe(0);
      expect(multiCloud.stdout).toContain(`Report written to ${htmlPath} (${pathToFileURL(htmlPath).href})`);
    });

    it('opens from disk with no network request, one bar per timeline bar, and the achieved RTO', async () => {
      const page = await browser.newPage();
      const requests = recordRequests(page);
      await page.goto(pathToFileURL(htmlPath).href);
      const report = JSON.parse(
        (await page.locator('#failover-report').textContent()) ?? 'null',
      ) as RunReport;
      const expectedBars = timelineSections(report).flatMap((section) => section.bars);
      expect(expectedBars.length).toBeGreaterThan(5);
      expect(await page.locator('svg [data-bar]').count()).toBe(expectedBars.length);
      expect(await page.locator('svg [data-critical="true"]').count()).toBe(
        expectedBars.filter((bar) => bar.critical).length,
      );
      expect(report.rto.achievedMs).not.toBeNull();
      expect(await page.locator('[data-rto]').textContent()).toBe(formatDuration(report.rto.achievedMs!));
      expect(await page.locator('tr[data-step]').count()).toBe(report.steps.length);
      expect(await page.locator('[data-status]').first().getAttribute('data-status')).toBe('succeeded');
      // The inline script ran: every UTC time also shows in the viewer's zone.
      expect(await page.locator('.local-time').count()).toBe(2);
      expect(requests.filter((url) => !isLocalUrl(url))).toEqual([]);
      await page.close();
    });

    it('prints cleanly: the print stylesheet applies and the diffs are expanded', async () => {
      const page = await browser.newPage();
      await page.goto(pathToFileURL(htmlPath).href);
      await page.emulateMedia({ media: 'print' });
      const summaryShown = await page.locator('details > summary').first().isVisible();
      expect(summaryShown).toBe(false);
      const pdf = await page.pdf({ format: 'A4' });
      expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
      await page.close();
    });

    it("every drill's Mermaid timeline, and a 10,000-step one, parse with Mermaid's parser", async () => {
      for (const run of [aurora, regionOutage, simulator]) expect(run.code, run.stderr).toBe(0);
      // Every example that ends with a report: the three emulator drills and the simulator drill.
      const charts = [multiCloud, aurora, regionOutage, simulator].flatMap((run) =>
        mermaidBlocks(run.stdout),
      );
      expect(charts).toHaveLength(4);
      const wide = renderReportGantt(tenThousandStepReport());
      expect(wide.length).toBeLessThan(2_000);
      charts.push(wide);

      const page = await browser.newPage();
      const requests = recordRequests(page);
      await page.setContent('<!doctype html><html><body></body></html>');
      await page.addScriptTag({ content: readFileSync(mermaidBundle, 'utf8') });
      const results = await page.evaluate(async (texts) => {
        const mermaid = (globalThis as unknown as { mermaid: { parse(text: string): Promise<unknown> } })
          .mermaid;
        const outcomes: string[] = [];
        for (const text of texts) {
          try {
            const parsed = (await mermaid.parse(text)) as { diagramType?: string };
            outcomes.push(parsed.diagramType ?? 'parsed');
          } catch (error) {
            outcomes.push(`error: ${(error as Error).message}`);
          }
        }
        return outcomes;
      }, charts);
      expect(results).toEqual(['gantt', 'gantt', 'gantt', 'gantt', 'gantt']);
      // A broken chart is caught (a task line without its colon): the check can fail.
      const broken = await page.evaluate(async () => {
        const mermaid = (globalThis as unknown as { mermaid: { parse(text: string): Promise<unknown> } })
          .mermaid;
        return mermaid.parse('gantt\n  dateFormat x\n  section a\n    task done, b0, 0, 1').then(
          () => 'parsed',
          () => 'rejected',
        );
      });
      expect(broken).toBe('rejected');
      expect(requests.filter((url) => !isLocalUrl(url))).toEqual([]);
      await page.close();
    });
  },
);

function tenThousandStepReport(): RunReport {
  const steps = Array.from({ length: 10_000 }, (_, index) => ({
    id: `record-${index}`,
    name: `record-${index}`,
    kind: 'action' as const,
    status: (index % 1000 === 0 ? 'failed' : 'succeeded') as 'failed' | 'succeeded',
    changed: true,
    cloud: ['aws', 'azure', 'gcp'][index % 3]!,
    startOffsetMs: 1000 + (index % 50),
    endOffsetMs: 61_000 + (index % 97) * 10,
    durationMs: 60_000,
    attempts: 1,
    calls: emptyCallCounts(),
  }));
  return {
    format: 'failover-run-report/v1',
    planId: 'fleet',
    planName: 'Fleet',
    runId: 'run-1',
    status: 'failed',
    dryRun: false,
    startedAt: '2026-12-06T10:00:00.000Z',
    endedAt: '2026-12-06T10:02:00.000Z',
    durationMs: 120_000,
    objectives: {},
    rto: { achievedMs: null, trafficStepIds: [] },
    criticalPath: { stepIds: ['record-1'], durationMs: 60_000 },
    steps,
    apiCalls: { total: emptyCallCounts(), byProvider: {}, byCloud: {} },
    notices: [],
    warnings: [],
  };
}
