import type { RunReport } from './run-report.js';
import { type BarState, type TimelineOptions, timelineSections } from './timeline-bars.js';

/**
 * The run's timeline as a Mermaid `gantt` chart, so a Markdown report renders as a
 * picture wherever Mermaid does (GitHub, GitLab, most wikis): one section per cloud,
 * one bar per step (wide groups collapsed into one bar with a count), the critical
 * path marked `crit`, and the outcome in each label as a word, not only a colour:
 * `✗ failed`, `↩ rolled back`, `– skipped`, `‖` for approvals and waits.
 * Times are offsets from the start of the run (dateFormat `x`, milliseconds).
 */
export function renderReportGantt(report: RunReport, options: TimelineOptions = {}): string {
  const lines = [
    'gantt',
    `  title ${text(`${report.dryRun ? 'Dry-run' : 'Failover'} ${report.planId}: ${report.status}`)}`,
    '  dateFormat x',
    `  axisFormat ${report.durationMs >= 3_600_000 ? '%H:%M' : '%M:%S'}`,
  ];
  let index = 0;
  for (const section of timelineSections(report, options)) {
    lines.push(`  section ${text(section.name)}`);
    for (const bar of section.bars) {
      const tags = [...tagsOf(bar.state, bar.critical), `b${index++}`];
      // A bar of zero length does not draw; give it a sliver so an instant step stays visible.
      const end = Math.max(bar.endMs, bar.startMs + 1);
      lines.push(
        `    ${text(labelOf(bar.label, bar.state, bar.waiting))} :${tags.join(', ')}, ${bar.startMs}, ${end}`,
      );
    }
  }
  return lines.join('\n');
}

function tagsOf(state: BarState, critical: boolean): string[] {
  const tags: string[] = [];
  if (critical) tags.push('crit');
  if (state === 'succeeded') tags.push('done');
  else if (state === 'failed' || state === 'rolled-back') tags.push('active');
  return tags;
}

function labelOf(label: string, state: BarState, waiting: boolean): string {
  const mark = { succeeded: '', failed: '✗ ', 'rolled-back': '↩ ', skipped: '– ' }[state];
  const suffix = { succeeded: '', failed: ' failed', 'rolled-back': ' rolled back', skipped: ' skipped' }[
    state
  ];
  return `${waiting ? '‖ ' : ''}${mark}${label}${suffix}`;
}

// Mermaid's gantt grammar ends a task name at `:` and treats `#` and `;` specially.
function text(value: string): string {
  return (
    value
      .replace(/[:#;]/g, ' ')
      .replace(/[\r\n\t]+/g, ' ')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: ids may carry control characters; never print them.
      .replace(/[\u0000-\u001f\u007f]/g, '')
      .trim()
      .slice(0, 120)
  );
}
