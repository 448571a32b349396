import { escapeHtml } from './escape-html.js';
import { formatOffset } from './format-duration.js';
import type { RunReport } from './run-report.js';
import { type TimelineBar, timelineSections } from './timeline-bars.js';

const rowHeight = 22;
const labelWidth = 300;
const chartWidth = 640;
const axisHeight = 24;
const mark = { succeeded: '✓', failed: '✗', 'rolled-back': '↩', skipped: '–' } as const;

/**
 * The run's timeline as an inline SVG, one row per bar and one band per cloud: the
 * same bars as the Mermaid chart (wide groups collapsed), drawn without any script or
 * font from the network. Each bar carries its outcome as a symbol and a word in its
 * label and title, so colour is never the only sign.
 */
export function renderTimelineSvg(report: RunReport): string {
  const sections = timelineSections(report);
  const rows = sections.flatMap((section) => [
    { section: section.name },
    ...section.bars.map((bar) => ({ bar })),
  ]);
  const span = Math.max(1, ...sections.flatMap((section) => section.bars.map((bar) => bar.endMs)));
  const height = axisHeight + rows.length * rowHeight + 8;
  const width = labelWidth + chartWidth + 40;
  const x = (ms: number) => labelWidth + (ms / span) * chartWidth;
  const parts: string[] = [];
  for (let tick = 0; tick <= 4; tick++) {
    const at = (span * tick) / 4;
    parts.push(
      `<line class="grid" x1="${x(at)}" x2="${x(at)}" y1="${axisHeight - 4}" y2="${height}"/>`,
      `<text class="axis" x="${x(at)}" y="${axisHeight - 8}" text-anchor="middle">${formatOffset(at)}</text>`,
    );
  }
  rows.forEach((row, index) => {
    const y = axisHeight + index * rowHeight;
    if ('section' in row) {
      parts.push(`<text class="section" x="4" y="${y + 15}">${escapeHtml(row.section ?? '')}</text>`);
      return;
    }
    parts.push(barSvg(row.bar, y, x));
  });
  return `<figure class="timeline"><svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 ${width} ${height}" width="100%" aria-label="Timeline of ${escapeHtml(report.planId)}: ${report.steps.length} steps">${parts.join('')}</svg></figure>`;
}

function barSvg(bar: TimelineBar, y: number, x: (ms: number) => number): string {
  const left = x(bar.startMs);
  const barWidth = Math.max(2, x(bar.endMs) - left);
  const label = `${bar.waiting ? '‖ ' : ''}${mark[bar.state]} ${bar.label}`;
  const title = `${bar.label}: ${bar.state}${bar.critical ? ', on the critical path' : ''}, ${formatOffset(bar.startMs)} to ${formatOffset(bar.endMs)}`;
  const classes = ['bar', `state-${bar.state}`, bar.critical ? 'critical' : '', bar.waiting ? 'waiting' : '']
    .filter(Boolean)
    .join(' ');
  return `<g data-bar="${escapeHtml(bar.id)}" data-state="${bar.state}"${bar.critical ? ' data-critical="true"' : ''}><title>${escapeHtml(title)}</title><text class="label" x="${labelWidth - 6}" y="${y + 15}" text-anchor="end">${escapeHtml(truncate(label, 44))}</text><rect class="${classes}" x="${left.toFixed(1)}" y="${y + 4}" width="${barWidth.toFixed(1)}" height="${rowHeight - 8}" rx="3"/></g>`;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
