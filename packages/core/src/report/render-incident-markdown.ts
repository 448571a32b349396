import { formatDuration } from './format-duration.js';
import type { IncidentReview } from './incident-review.js';
import type { RunReport } from './run-report.js';

/**
 * The report's recovery objectives (RTO and RPO side by side, per database) and its
 * post-incident section (time to detect, decide, mitigate; decisions; follow-ups), in Markdown.
 */
export function renderIncidentMarkdown(report: RunReport, review: IncidentReview): string[] {
  const lines: string[] = ['## Recovery objectives', ''];
  const verdict = (met: boolean | undefined) => (met === undefined ? '' : met ? '**met**' : '**missed**');
  lines.push('| | Achieved | Objective | |', '|---|---|---|---|');
  lines.push(
    `| RTO | ${report.rto.achievedMs === null ? 'not achieved' : formatDuration(report.rto.achievedMs)} | ${
      report.rto.objectiveMs === undefined ? '—' : formatDuration(report.rto.objectiveMs)
    } | ${verdict(report.rto.met)} |`,
  );
  const rpo = report.rpo;
  lines.push(
    `| RPO | ${!rpo ? 'no database moved' : rpo.achievedMs === null ? 'unknown' : formatDuration(rpo.achievedMs)} | ${
      report.objectives.rpoMs === undefined ? '—' : formatDuration(report.objectives.rpoMs)
    } | ${verdict(rpo?.met)} |`,
    '',
  );
  if (rpo && rpo.databases.length > 0) {
    lines.push(
      '| Database | Writer to | Mode | Data loss (RPO) | Writer moved at (RTO) |',
      '|---|---|---|---|---|',
    );
    for (const database of rpo.databases) {
      lines.push(
        `| \`${database.database}\` | ${database.region} | ${database.mode} | ${
          database.achievedMs === null ? 'unknown' : formatDuration(database.achievedMs)
        } | ${database.recoveredAtMs === undefined ? '—' : formatDuration(database.recoveredAtMs)} |`,
      );
    }
    lines.push('');
  }

  lines.push('## Post-incident', '');
  lines.push(
    `- Time to detect: ${review.timeToDetectMs === undefined ? 'not measured (no detection time given)' : formatDuration(review.timeToDetectMs)}${detectionSpan(review)}`,
    `- Time to decide (approvals): ${formatDuration(review.timeToDecideMs)}`,
    `- Time to mitigate: ${review.timeToMitigateMs === null ? 'traffic not restored' : formatDuration(review.timeToMitigateMs)}`,
    '',
  );
  if (review.decisions.length > 0) {
    lines.push('Decisions:', '');
    for (const decision of review.decisions)
      lines.push(
        `- \`${decision.stepId}\` (${decision.name}): ${decision.status} after ${formatDuration(decision.waitedMs)}`,
      );
    lines.push('');
  }
  lines.push('Open follow-ups:', '');
  if (review.followUps.length === 0) lines.push('- none');
  for (const followUp of review.followUps) lines.push(`- ${followUp}`);
  lines.push('');
  return lines;
}

/** When the first failing observation and the decision were, so the figure can be checked. */
function detectionSpan(review: IncidentReview): string {
  const detection = review.detection;
  if (!detection) return '';
  const iso = (at: number) => new Date(at).toISOString();
  const approved = detection.approvedAt === undefined ? '' : `, approved ${iso(detection.approvedAt)}`;
  return ` (first failing observation ${iso(detection.startedAt)}, decided ${iso(detection.detectedAt)}${approved})`;
}
