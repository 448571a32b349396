import { describe, expect, it } from 'vitest';
import { emptyCallCounts } from '../executor/call-counts.js';
import { renderReportGantt } from './render-report-gantt.js';
import { renderReportHtml } from './render-report-html.js';
import { renderReportMarkdown } from './render-report-markdown.js';
import type { ReportStep, RunReport } from './run-report.js';
import { timelineSections } from './timeline-bars.js';

function step(
  id: string,
  startOffsetMs: number,
  endOffsetMs: number,
  extra: Partial<ReportStep> = {},
): ReportStep {
  return {
    id,
    name: id,
    kind: 'action',
    status: 'succeeded',
    changed: true,
    startOffsetMs,
    endOffsetMs,
    durationMs: endOffsetMs - startOffsetMs,
    attempts: 1,
    calls: emptyCallCounts(),
    ...extra,
  };
}

function report(steps: ReportStep[], critical: string[], extra: Partial<RunReport> = {}): RunReport {
  return {
    format: 'failover-run-report/v1',
    planId: 'shop',
    planName: 'Shop failover',
    runId: 'run-1',
    status: 'succeeded',
    dryRun: false,
    startedAt: '2026-12-06T10:00:00.000Z',
    endedAt: '2026-12-06T10:05:00.000Z',
    durationMs: 300_000,
    objectives: { rtoMs: 900_000 },
    rto: { achievedMs: 240_000, objectiveMs: 900_000, met: true, trafficStepIds: ['switch'] },
    criticalPath: { stepIds: critical, durationMs: 240_000 },
    steps,
    apiCalls: { total: emptyCallCounts(), byProvider: {}, byCloud: {} },
    notices: [],
    warnings: [],
    ...extra,
  };
}

const small = report(
  [
    step('fence', 0, 60_000, { cloud: 'aws' }),
    step('promote', 60_000, 180_000, { cloud: 'aws' }),
    step('approve-promote', 50_000, 60_000, { kind: 'approval' }),
    step('switch', 180_000, 240_000, { cloud: 'gcp', status: 'failed' }),
    step('scale', 0, 90_000, {
      cloud: 'azure',
      rollback: { status: 'rolled-back', calls: emptyCallCounts() },
    }),
  ],
  ['fence', 'promote', 'switch'],
);

describe('renderReportGantt', () => {
  it('draws one bar per step in a section per cloud, the critical path crit and outcomes in words', () => {
    const gantt = renderReportGantt(small);
    expect(gantt.split('\n').slice(0, 3)).toEqual([
      'gantt',
      '  title Failover shop  succeeded',
      '  dateFormat x',
    ]);
    expect(gantt).toContain(
      '  section aws\n    fence :crit, done, b0, 0, 60000\n    promote :crit, done, b1, 60000, 180000',
    );
    expect(gantt).toContain('  section azure\n    ↩ scale rolled back :active, b2, 0, 90000');
    expect(gantt).toContain('  section gcp\n    ✗ switch failed :crit, active, b3, 180000, 240000');
    // Steps that call no cloud come last, approvals marked as waits.
    expect(gantt.trimEnd().endsWith('  section run\n    ‖ approve-promote :done, b4, 50000, 60000')).toBe(
      true,
    );
  });

  it('keeps ids from breaking the grammar or the terminal', () => {
    const gantt = renderReportGantt(report([step('a:b#c;d\u001b]0;x\u0007', 0, 1000, { cloud: 'aws' })], []));
    expect(gantt).toContain('    a b c d]0 x :done, b0, 0, 1000');
  });

  it('collapses a wide group so 10,000 steps give a bounded chart', () => {
    const steps = Array.from({ length: 10_000 }, (_, index) =>
      step(`name-${index}`, 1000 + (index % 7), 61_000 + (index % 13) * 10, { cloud: 'aws' }),
    );
    steps.push(step('promote', 70_000, 130_000, { cloud: 'aws' }));
    const gantt = renderReportGantt(report(steps, ['name-0', 'promote']));
    const bars = gantt.split('\n').filter((line) => line.startsWith('    '));
    expect(bars).toEqual([
      '    name-0 :crit, done, b0, 1000, 61000',
      '    9999 steps succeeded (from name-7) :done, b1, 1000, 61120',
      '    promote :crit, done, b2, 70000, 130000',
    ]);
    expect(gantt.length).toBeLessThan(1000);
  });

  it('is part of the Markdown report, and a report where nothing ran has no chart', () => {
    expect(renderReportMarkdown(small)).toContain('```mermaid\ngantt\n');
    expect(renderReportMarkdown(report([step('x', 0, 0, { startOffsetMs: undefined })], []))).not.toContain(
      'mermaid',
    );
  });
});

describe('timelineSections', () => {
  it('draws critical-path and failed steps alone however wide the group', () => {
    const steps = Array.from({ length: 40 }, (_, index) => step(`s${index}`, 0, 10_000, { cloud: 'aws' }));
    steps[5] = step('s5', 0, 10_000, { cloud: 'aws', status: 'failed' });
    const [aws] = timelineSections(report(steps, ['s7']), { maxBarsPerState: 12 });
    expect(aws!.bars.map((bar) => `${bar.id}:${bar.state}:${bar.count}:${bar.critical}`).sort()).toEqual([
      's0:succeeded:38:false',
      's5:failed:1:false',
      's7:succeeded:1:true',
    ]);
  });
});

describe('renderReportHtml', () => {
  it('is one self-contained page: no URL but the SVG namespace, ids escaped, status in words', () => {
    const html = renderReportHtml(
      report([step('<img src=x onerror=alert(1)>', 0, 1000, { cloud: 'aws' })], []),
    );
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    const urls = [...html.matchAll(/(?:https?:)?\/\/[\w.-]+/g)].map((match) => match[0]);
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org']));
    expect(html).toContain('data-status="succeeded">✓ succeeded<');
    expect(html).toMatch(
      /<td data-rto>4m 00s<\/td><td>objective 15m 00s<\/td><td><span class="met">✓ met<\/span>/,
    );
  });

  it('shows the partial failover and what the operator must finish', () => {
    const html = renderReportHtml(
      report([step('promote', 0, 1000, { cloud: 'aws' })], ['promote'], {
        status: 'failed',
        partialFailover: {
          summary: 'failed, failed over partially, traffic held in DR',
          irreversible: ['promote'],
          kept: [],
          unfinished: ['switch'],
        } as never,
      }),
    );
    expect(html).toContain('Failed over partially');
    expect(html).toContain('<li><code>switch</code></li>');
  });
});

describe('the rollback section', () => {
  it('calls undone only what rollback undid, not the irreversible steps it passed over', () => {
    const rolled = report(
      [
        step('drain', 0, 1000, {
          cloud: 'aws',
          rollback: { status: 'rolled-back', calls: emptyCallCounts() },
        }),
        step('promote', 1000, 2000, {
          cloud: 'aws',
          rollback: { status: 'irreversible', calls: emptyCallCounts() },
        }),
      ],
      [],
      {
        status: 'rolled-back',
        rollback: { status: 'rolled-back', stepIds: ['promote', 'drain'], irreversible: ['promote'] },
      },
    );
    const markdown = renderReportMarkdown(rolled);
    expect(markdown).toContain('Undone in this order: `drain`.');
    expect(markdown).toContain('Not reversible, left as they are: `promote`.');
    expect(renderReportHtml(rolled)).toContain('<p>Undone in this order: <code>drain</code>.</p>');
  });
});
