import type { CallCounts } from '../executor/call-counts.js';
import type { StepDiff } from '../executor/step-diff.js';
import { formatDuration, formatOffset } from './format-duration.js';
import { renderIncidentMarkdown } from './render-incident-markdown.js';
import { renderReportGantt } from './render-report-gantt.js';
import type { ReportStep, RunReport } from './run-report.js';
import { undoneInOrder } from './undone-steps.js';

/**
 * The report as Markdown, shaped like a post-incident timeline: a header, a
 * summary line (status, duration, RTO achieved against the objective), a
 * table of steps with `T+mm:ss` offsets, the critical path, the rollback, and
 * API calls per provider.
 */
export function renderReportMarkdown(report: RunReport): string {
  const lines: string[] = [];
  lines.push(`# ${report.dryRun ? 'Dry-run' : 'Failover'} report: ${cell(report.planName)}`, '');
  lines.push('| | |', '|---|---|');
  lines.push(`| Plan | \`${cell(report.planId)}\` |`);
  lines.push(
    `| Run | \`${cell(report.runId)}\`${report.resumedFrom ? ` (resumed \`${cell(report.resumedFrom)}\`)` : ''} |`,
  );
  lines.push(`| Status | **${report.status}** |`);
  lines.push(`| Started | ${report.startedAt} |`);
  lines.push(`| Ended | ${report.endedAt} (${formatDuration(report.durationMs)}) |`, '');
  lines.push(`**Summary:** ${summary(report)}`, '');
  if (report.error)
    lines.push(`**Stopped by:** ${cell(`${report.error.kind}: ${report.error.message}`)}`, '');

  lines.push('## Timeline', '');
  if (report.steps.some((step) => step.startOffsetMs !== undefined)) {
    lines.push('```mermaid', renderReportGantt(report), '```', '');
  }
  lines.push('| Start | End | Step | Kind | Status | Duration | Attempts | API calls | Notes |');
  lines.push('|---|---|---|---|---|---|---|---|---|');
  for (const step of report.steps) {
    lines.push(
      `| ${step.startOffsetMs === undefined ? '—' : formatOffset(step.startOffsetMs)} | ${
        step.endOffsetMs === undefined ? '—' : formatOffset(step.endOffsetMs)
      } | ${stepLabel(step)} | ${step.kind} | ${step.status} | ${
        step.startOffsetMs === undefined ? '—' : formatDuration(step.durationMs)
      } | ${step.attempts} | ${step.calls.apiCalls} | ${cell(notes(step))} |`,
    );
  }
  lines.push('');

  if (report.review) lines.push(...renderIncidentMarkdown(report, report.review));

  lines.push('## Critical path', '');
  lines.push(
    report.criticalPath.stepIds.length === 0
      ? 'No step ran.'
      : `${report.criticalPath.stepIds.map((id) => `\`${cell(id)}\``).join(' → ')} (${formatDuration(report.criticalPath.durationMs)})`,
    '',
  );

  if (report.rollback) {
    lines.push('## Rollback', '');
    lines.push(`Status: **${report.rollback.status}**.`);
    const undone = undoneInOrder(report);
    if (undone.length > 0) {
      lines.push(`Undone in this order: ${undone.map((id) => `\`${cell(id)}\``).join(', ')}.`);
    }
    if (report.rollback.irreversible.length > 0) {
      lines.push(
        `Not reversible, left as they are: ${report.rollback.irreversible.map((id) => `\`${cell(id)}\``).join(', ')}.`,
      );
    }
    for (const kept of report.rollback.kept ?? []) {
      lines.push(`Kept: \`${cell(kept.stepId)}\` (${cell(kept.reason)}).`);
    }
    lines.push('');
  }

  if (report.partialFailover) {
    lines.push('## Failed over partially', '');
    lines.push(`**${cell(report.partialFailover.summary)}**.`, '');
    lines.push(
      `Stay done: ${report.partialFailover.irreversible.map((id) => `\`${cell(id)}\``).join(', ')}. Traffic stays in the target region; do not move it back to the old primary.`,
    );
    if (report.partialFailover.unfinished.length > 0) {
      lines.push('', 'The operator must finish:', '');
      for (const id of report.partialFailover.unfinished) lines.push(`- \`${cell(id)}\``);
    }
    lines.push('');
  }

  const evidence = report.steps.filter((step) => step.evidence);
  if (evidence.length > 0) {
    lines.push('## Evidence', '');
    for (const step of evidence) lines.push(`- \`${cell(step.id)}\`: ${cell(step.evidence!.summary)}`);
    lines.push('');
  }

  callsTable(lines, 'cloud', report.apiCalls.byCloud, report.apiCalls.total);
  callsTable(lines, 'provider', report.apiCalls.byProvider, report.apiCalls.total);

  if (report.notices.length > 0 || report.warnings.length > 0) {
    lines.push('## Notices and warnings', '');
    for (const notice of report.notices) lines.push(`- ${cell(`${notice.path}: ${notice.message}`)}`);
    for (const warning of report.warnings) {
      lines.push(`- ${warning.stepId ? `\`${cell(warning.stepId)}\`: ` : ''}${cell(warning.message)}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

function summary(report: RunReport): string {
  const { rto } = report;
  const objective = rto.objectiveMs === undefined ? undefined : formatDuration(rto.objectiveMs);
  const ran = `${report.status} in ${formatDuration(report.durationMs)}.`;
  if (report.dryRun) return `${ran} Dry-run: nothing was changed.`;
  if (rto.achievedMs === null) {
    if (rto.trafficStepIds.length === 0) return `${ran} RTO not measured: the plan has no traffic step.`;
    return `${ran} RTO not achieved: traffic was not restored${objective ? ` (objective ${objective}): **missed**` : ''}.`;
  }
  const achieved = `RTO achieved ${formatDuration(rto.achievedMs)}${rto.measuredTo ? ` (at \`${cell(rto.measuredTo)}\`)` : ''}`;
  if (!objective) return `${ran} ${achieved}; no RTO objective set.`;
  return `${ran} ${achieved} against an objective of ${objective}: **${rto.met ? 'met' : 'missed'}**.`;
}

function stepLabel(step: ReportStep): string {
  const name = step.name === step.id ? `\`${cell(step.id)}\`` : `${cell(step.name)} (\`${cell(step.id)}\`)`;
  return step.traffic ? `${name} (traffic)` : name;
}

function notes(step: ReportStep): string {
  const parts: string[] = [];
  if (step.resumed) parts.push('completed in an earlier run');
  if (step.changed) parts.push('changed');
  if (step.diff) parts.push(describeDiff(step.diff));
  if (step.error) parts.push(`${step.error.kind}: ${truncate(step.error.message)}`);
  for (const warning of step.warnings ?? []) parts.push(`warning: ${truncate(warning)}`);
  if (step.rollback) parts.push(`rollback: ${step.rollback.status}`);
  return parts.join('; ');
}

function describeDiff(diff: StepDiff): string {
  switch (diff.type) {
    case 'dns':
      return diff.wouldChange
        ? `would change ${diff.differences.map((difference) => difference.path || 'record set').join(', ')}`
        : 'no change';
    case 'database':
      return diff.writerRegion
        ? `would move writer ${diff.writerRegion.from ?? '?'} → ${diff.writerRegion.to} (${diff.mode})`
        : 'no change';
    case 'scale': {
      const changes = (['desired', 'min', 'max'] as const)
        .filter((field) => diff[field])
        .map((field) => `${field} ${diff[field]!.from} → ${diff[field]!.to}`);
      return changes.length > 0 ? `would set ${changes.join(', ')}` : 'no change';
    }
    case 'resource':
      return diff.wouldChange
        ? `would change ${diff.differences.map((difference) => difference.path || 'resource').join(', ')}`
        : 'no change';
    case 'check':
      return `passes: ${diff.summary}`;
    case 'verify':
      return `${diff.passesNow ? 'holds now' : 'does not hold yet'}: ${diff.summary}`;
    case 'approval':
      return 'would ask for approval';
    case 'wait':
      return `would wait ${formatDuration(diff.wouldWaitMs)}`;
    case 'notify':
      return `would notify ${diff.wouldNotify.channel}`;
    default:
      return '';
  }
}

function truncate(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Text safe inside a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function callsTable(
  lines: string[],
  by: 'cloud' | 'provider',
  counts: Readonly<Record<string, CallCounts>>,
  total: CallCounts,
): void {
  lines.push(`## API calls per ${by}`, '');
  lines.push(
    `| ${by === 'cloud' ? 'Cloud' : 'Provider'} | API calls | Mutating API calls | Observe | Mutate | Wait |`,
    '|---|---|---|---|---|---|',
  );
  const rows = Object.entries(counts).sort(([a], [b]) => a.localeCompare(b));
  for (const [name, row] of [...rows, ['**total**', total] as const]) {
    lines.push(
      `| ${name.startsWith('**') ? name : cell(name)} | ${row.apiCalls} | ${row.mutatingApiCalls} | ${row.observe} | ${row.mutate} | ${row.wait} |`,
    );
  }
  lines.push('');
}
