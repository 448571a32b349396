import type { CallCounts } from '../executor/call-counts.js';
import { escapeHtml } from './escape-html.js';
import { formatDuration, formatOffset } from './format-duration.js';
import { renderIncidentHtml } from './render-incident-html.js';
import { renderTimelineSvg } from './render-timeline-svg.js';
import { reportHtmlScript, reportHtmlStyle } from './report-html-assets.js';
import type { ReportStep, RunReport } from './run-report.js';
import { barState } from './timeline-bars.js';
import { undoneInOrder } from './undone-steps.js';

/**
 * The report as one self-contained HTML file: styles and the small script that shows
 * times in the viewer's zone are inlined, the timeline is an inline SVG, and nothing is
 * fetched from the network, so it opens from disk and prints cleanly. It holds the
 * timeline picture, the critical path, RTO against the objective, API calls per cloud
 * and provider, every step's diff and error, and the rollback. Status is always a word
 * and a symbol, never colour alone.
 */
export function renderReportHtml(report: RunReport): string {
  const title = `${report.dryRun ? 'Dry-run' : 'Failover'} report: ${report.planName}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title>
<style>${reportHtmlStyle}</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
<p class="status status-${report.status}" data-status="${report.status}">${statusMark(report.status)} ${escapeHtml(report.status)}</p>
<dl class="facts">
<dt>Plan</dt><dd><code>${escapeHtml(report.planId)}</code></dd>
<dt>Run</dt><dd><code>${escapeHtml(report.runId)}</code>${report.resumedFrom ? ` (resumed <code>${escapeHtml(report.resumedFrom)}</code>)` : ''}</dd>
<dt>Started</dt><dd>${timeHtml(report.startedAt)}</dd>
<dt>Ended</dt><dd>${timeHtml(report.endedAt)} (${formatDuration(report.durationMs)})</dd>
</dl>
</header>
<main>
${objectivesHtml(report)}
${report.error ? `<p class="stopped"><strong>Stopped by:</strong> ${escapeHtml(`${report.error.kind}: ${report.error.message}`)}</p>` : ''}
<section aria-labelledby="timeline"><h2 id="timeline">Timeline</h2>
${renderTimelineSvg(report)}
<p class="legend">Bars: ✓ succeeded · ✗ failed · ↩ rolled back · – skipped · ‖ approval or wait · thick outline: critical path.</p>
</section>
<section aria-labelledby="critical"><h2 id="critical">Critical path</h2>
<p data-critical-path>${
    report.criticalPath.stepIds.length === 0
      ? 'No step ran.'
      : `${report.criticalPath.stepIds.map((id) => `<code>${escapeHtml(id)}</code>`).join(' → ')} (${formatDuration(report.criticalPath.durationMs)})`
  }</p>
</section>
${partialFailoverHtml(report)}
${rollbackHtml(report)}
${renderIncidentHtml(report)}
<section aria-labelledby="steps"><h2 id="steps">Steps</h2>
${stepsTable(report.steps)}
</section>
<section aria-labelledby="calls"><h2 id="calls">API calls</h2>
${callsTable('Cloud', report.apiCalls.byCloud, report.apiCalls.total)}
${callsTable('Provider', report.apiCalls.byProvider, report.apiCalls.total)}
</section>
${noticesHtml(report)}
</main>
<script type="application/json" id="failover-report">${jsonForScript(report)}</script>
<script>${reportHtmlScript}</script>
</body>
</html>
`;
}

function objectivesHtml(report: RunReport): string {
  const { rto } = report;
  const objective =
    rto.objectiveMs === undefined ? 'no objective set' : `objective ${formatDuration(rto.objectiveMs)}`;
  let achieved: string;
  if (report.dryRun) achieved = 'not measured: a dry-run changes nothing';
  else if (rto.achievedMs === null)
    achieved =
      rto.trafficStepIds.length === 0
        ? 'not measured: no traffic step'
        : 'not achieved: traffic was not restored';
  else achieved = formatDuration(rto.achievedMs);
  const verdict =
    rto.met === undefined
      ? ''
      : rto.met
        ? '<span class="met">✓ met</span>'
        : '<span class="missed">✗ missed</span>';
  return `<section aria-labelledby="objectives"><h2 id="objectives">Objectives</h2>
<table class="objectives"><thead><tr><th scope="col">Objective</th><th scope="col">Achieved</th><th scope="col">Target</th><th scope="col">Verdict</th></tr></thead>
<tbody><tr><th scope="row">RTO</th><td data-rto>${escapeHtml(achieved)}</td><td>${escapeHtml(objective)}</td><td>${verdict}</td></tr>
${rpoRowHtml(report)}
</tbody></table></section>`;
}

function stepsTable(steps: readonly ReportStep[]): string {
  const rows = steps.map((step) => {
    const state = barState(step);
    const details = [
      step.diff
        ? `<details><summary>diff</summary><pre>${escapeHtml(JSON.stringify(step.diff, null, 2))}</pre></details>`
        : '',
      step.error
        ? `<p class="error">${escapeHtml(`${step.error.kind} (${step.error.provider}.${step.error.operation}): ${step.error.message}`)}</p>`
        : '',
      ...(step.warnings ?? []).map((warning) => `<p class="warning">⚠ ${escapeHtml(warning)}</p>`),
      step.evidence ? `<p>${escapeHtml(step.evidence.summary)}</p>` : '',
      step.rollback ? `<p>rollback: ${escapeHtml(step.rollback.status)}</p>` : '',
    ].join('');
    return `<tr data-step="${escapeHtml(step.id)}" class="state-${state}">
<td>${step.startOffsetMs === undefined ? '—' : formatOffset(step.startOffsetMs)}</td>
<td><code>${escapeHtml(step.id)}</code>${step.name === step.id ? '' : `<br>${escapeHtml(step.name)}`}${step.traffic ? ' <span class="tag">traffic</span>' : ''}</td>
<td>${escapeHtml(step.kind)}</td><td>${escapeHtml(step.cloud ?? '')}</td>
<td>${stateMark(state)} ${escapeHtml(step.status)}</td>
<td>${step.startOffsetMs === undefined ? '—' : formatDuration(step.durationMs)}</td>
<td>${step.attempts}</td><td>${step.calls.apiCalls} (${step.calls.mutatingApiCalls} mutating)</td>
<td>${details}</td></tr>`;
  });
  return `<table class="steps"><thead><tr><th scope="col">Start</th><th scope="col">Step</th><th scope="col">Kind</th><th scope="col">Cloud</th><th scope="col">Status</th><th scope="col">Duration</th><th scope="col">Attempts</th><th scope="col">API calls</th><th scope="col">Diff, errors</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
}

function rollbackHtml(report: RunReport): string {
  const rollback = report.rollback;
  if (!rollback) return '';
  const ids = (list: readonly string[]) => list.map((id) => `<code>${escapeHtml(id)}</code>`).join(', ');
  const undone = undoneInOrder(report);
  return `<section aria-labelledby="rollback"><h2 id="rollback">Rollback</h2>
<p>Status: <strong>${escapeHtml(rollback.status)}</strong>.</p>
${undone.length > 0 ? `<p>Undone in this order: ${ids(undone)}.</p>` : ''}
${rollback.irreversible.length > 0 ? `<p>Not reversible, left as they are: ${ids(rollback.irreversible)}.</p>` : ''}
${(rollback.kept ?? []).map((kept) => `<p>Kept: <code>${escapeHtml(kept.stepId)}</code> (${escapeHtml(kept.reason)}).</p>`).join('')}
</section>`;
}

function partialFailoverHtml(report: RunReport): string {
  const partial = report.partialFailover;
  if (!partial) return '';
  return `<section aria-labelledby="partial" class="partial"><h2 id="partial">⚠ Failed over partially</h2>
<p><strong>${escapeHtml(partial.summary)}</strong>.</p>
<p>Stay done: ${partial.irreversible.map((id) => `<code>${escapeHtml(id)}</code>`).join(', ')}. Traffic stays in the target region; do not move it back to the old primary.</p>
${partial.unfinished.length > 0 ? `<p>The operator must finish:</p><ul>${partial.unfinished.map((id) => `<li><code>${escapeHtml(id)}</code></li>`).join('')}</ul>` : ''}
</section>`;
}

function callsTable(what: string, rows: Readonly<Record<string, CallCounts>>, total: CallCounts): string {
  const line = (name: string, counts: CallCounts, head = false) =>
    `<tr${head ? ' class="total"' : ''}><th scope="row">${escapeHtml(name)}</th><td>${counts.apiCalls}</td><td>${counts.mutatingApiCalls}</td><td>${counts.observe}</td><td>${counts.mutate}</td><td>${counts.wait}</td></tr>`;
  return `<table class="calls" data-calls="${what.toLowerCase()}"><thead><tr><th scope="col">${what}</th><th scope="col">API calls</th><th scope="col">mutating</th><th scope="col">observe</th><th scope="col">mutate</th><th scope="col">wait</th></tr></thead>
<tbody>${Object.keys(rows)
    .sort()
    .map((name) => line(name, rows[name]!))
    .join('')}${line('total', total, true)}</tbody></table>`;
}

function noticesHtml(report: RunReport): string {
  if (report.notices.length === 0 && report.warnings.length === 0) return '';
  const items = [
    ...report.notices.map((notice) => `${notice.path}: ${notice.message}`),
    ...report.warnings.map((warning) => `${warning.stepId ? `${warning.stepId}: ` : ''}${warning.message}`),
  ];
  return `<section aria-labelledby="notices"><h2 id="notices">Notices and warnings</h2><ul>${items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul></section>`;
}

// UTC in the page; the inline script adds the viewer's own zone beside it.
function timeHtml(iso: string): string {
  return `<time datetime="${escapeHtml(iso)}">${escapeHtml(
    iso
      .replace('T', ' ')
      .replace(/\.\d+Z$/, ' UTC')
      .replace(/Z$/, ' UTC'),
  )}</time>`;
}

function statusMark(status: RunReport['status']): string {
  return { succeeded: '✓', failed: '✗', 'rolled-back': '↩', cancelled: '–' }[status];
}

function stateMark(state: ReturnType<typeof barState>): string {
  return { succeeded: '✓', failed: '✗', 'rolled-back': '↩', skipped: '–' }[state];
}

// The report itself, machine-readable inside the page; `<` escaped so no text can close the tag.
function jsonForScript(report: RunReport): string {
  return JSON.stringify(report).replace(/</g, '\\u003c');
}

/** Achieved RPO (the worst data-loss window of the databases moved) beside its objective. */
function rpoRowHtml(report: RunReport): string {
  const { rpo } = report;
  if (report.objectives.rpoMs === undefined && !rpo) return '';
  const achieved = !rpo
    ? 'not measured: no database moved'
    : rpo.achievedMs === null
      ? 'unknown: a forced promotion saw no lag'
      : `${formatDuration(rpo.achievedMs)} (${rpo.databases.map((db) => `${db.database} ${db.achievedMs === null ? '?' : formatDuration(db.achievedMs)}`).join(', ')})`;
  const target =
    report.objectives.rpoMs === undefined
      ? 'no objective set'
      : `objective ${formatDuration(report.objectives.rpoMs)}`;
  const verdict =
    rpo?.met === undefined
      ? ''
      : rpo.met
        ? '<span class="met">✓ met</span>'
        : '<span class="missed">✗ missed</span>';
  return `<tr><th scope="row">RPO</th><td data-rpo>${escapeHtml(achieved)}</td><td>${escapeHtml(target)}</td><td>${verdict}</td></tr>`;
}
