// `failover drill` on its default deterministic clock: the executor, the SDK clients and the
// embedded emulator share one clock that moves only when this process is idle, so real
// latency never reaches the timeline. Run in this process, twice, the main drill gives the
// same report to the millisecond.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { RunReport } from '@failover/core';
import { afterAll, describe, expect, it } from 'vitest';
import { exitCodes, runCli } from '../src/index.js';
import { bufferIo as captureIo, fixture } from './cli-harness.js';

/** An io whose streams are buffers 100 columns wide. */
const bufferIo = (options: { isTTY?: boolean; stdin?: NodeJS.ReadableStream } = {}) =>
  captureIo({
    columns: 100,
    isTTY: options.isTTY ?? false,
    ...(options.stdin ? { stdin: options.stdin } : {}),
  });

const work = mkdtempSync(join(tmpdir(), 'failover-deterministic-drill-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** `failover drill <plan> --report <json>` in this process: the report, and what it printed. */
async function drill(plan: string, providers: string, extra: string[] = []) {
  const reportPath = join(work, `report-${Math.random().toString(36).slice(2)}.json`);
  const { io, text } = bufferIo();
  const code = await runCli(['drill', plan, '--providers', providers, '--report', reportPath, ...extra], io);
  expect(code, `stdout:\n${text.stdout}\nstderr:\n${text.stderr}`).toBe(exitCodes.success);
  return { report: JSON.parse(readFileSync(reportPath, 'utf8')) as RunReport, text };
}

/** What must not vary between two runs of one drill: every step's times and attempts, and the RTO. */
function timeline(report: RunReport) {
  return {
    rto: report.rto.achievedMs,
    steps: report.steps.map((step) => ({
      id: step.id,
      status: step.status,
      startedAt: step.startedAt,
      endedAt: step.endedAt,
      attempts: step.attempts,
    })),
  };
}

describe('failover drill on the deterministic clock', () => {
  it('the multi-cloud drill, twice: the same RTO and the same step times to the millisecond', async () => {
    const plan = 'examples/multi-cloud/plan.ts';
    const providers = 'examples/multi-cloud/providers.ts';
    const first = await drill(plan, providers);
    const second = await drill(plan, providers);
    expect(first.text.stderr).toMatch(
      /Embedded emulator at http:\/\/127\.0\.0\.1:\d+ \(deterministic clock\)/,
    );
    expect(first.report.rto.met).toBe(true);
    expect(first.report.rto.achievedMs).toBeGreaterThan(60_000);
    expect(timeline(second.report)).toEqual(timeline(first.report));
    expect(second.report.steps.every((step) => step.status === 'succeeded')).toBe(true);
  }, 120_000);

  it('the region-outage drill, twice: retries against the dark region back off the same way (seeded jitter)', async () => {
    const args = ['--scenario', 'region-outage', '--approve', 'approve-data-loss'];
    const plan = 'examples/region-outage/plan.ts';
    const providers = 'examples/region-outage/providers.ts';
    const first = await drill(plan, providers, args);
    const second = await drill(plan, providers, args);
    expect(first.report.status).toBe('succeeded');
    expect(timeline(second.report)).toEqual(timeline(first.report));
  }, 120_000);

  it('a forced promotion approved with --approve', async () => {
    const { report } = await drill(
      'examples/aws-aurora-route53/forced-plan.ts',
      'examples/aws-aurora-route53/providers.ts',
      ['--approve', 'approve-data-loss'],
    );
    expect(report.steps.find((step) => step.id === 'approve-data-loss')?.status).toBe('succeeded');
    expect(report.rto.met).toBe(true);
  }, 60_000);

  it('stands still while a human is asked: an answer after the prompt is not an approval timeout', async () => {
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    const { io, text } = bufferIo({ isTTY: true, stdin });
    const answered = setInterval(() => {
      if (text.stderr.includes('? Approve step "go-ahead"')) {
        stdin.write('y\n');
        clearInterval(answered);
      }
    }, 5);
    const reportPath = join(work, 'prompted.json');
    const code = await runCli(
      [
        'drill',
        fixture('dns-plan.yaml'),
        '--providers',
        fixture('fake-dns-providers.ts'),
        '--report',
        reportPath,
      ],
      io,
    );
    clearInterval(answered);
    expect(code, text.stderr).toBe(exitCodes.success);
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as RunReport;
    const approval = report.steps.find((step) => step.id === 'go-ahead')!;
    // The prompt took real time; on the drill's clock it took none.
    expect(Date.parse(approval.endedAt!) - Date.parse(approval.startedAt!)).toBe(0);
  }, 60_000);

  it('--clock scaled --time-scale keeps the wall-clock mode; --time-scale with a deterministic clock is refused', async () => {
    const scaled = await drill(fixture('dns-plan.yaml'), fixture('fake-dns-providers.ts'), [
      '--yes',
      '--clock',
      'scaled',
      '--time-scale',
      '6000',
    ]);
    expect(scaled.text.stderr).toMatch(/\(time scale 6000x\)/);
    const { io, text } = bufferIo();
    const refused = await runCli(
      ['drill', fixture('dns-plan.yaml'), '--clock', 'deterministic', '--time-scale', '600'],
      io,
    );
    expect(refused).toBe(exitCodes.invalid);
    expect(text.stderr).toContain('--time-scale applies to --clock scaled only');
    const unknown = bufferIo();
    expect(await runCli(['drill', fixture('dns-plan.yaml'), '--clock', 'wall'], unknown.io)).toBe(
      exitCodes.invalid,
    );
  }, 60_000);
});
