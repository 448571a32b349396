import { escapeHtml } from './escape-html.js';
import { formatDuration } from './format-duration.js';
import type { RunReport } from './run-report.js';

/** The post-incident section of the HTML report: time to detect, decide and mitigate; decisions; follow-ups. */
export function renderIncidentHtml(report: RunReport): string {
  const review = report.review;
  if (!review) return '';
  const item = (label: string, value: string) => `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`;
  const decisions = review.decisions
    .map(
      (decision) =>
        `<li><code>${escapeHtml(decision.stepId)}</code>: ${escapeHtml(decision.status)} after ${escapeHtml(formatDuration(decision.waitedMs))}</li>`,
    )
    .join('');
  const followUps = review.followUps.map((followUp) => `<li>${escapeHtml(followUp)}</li>`).join('');
  return `<section aria-labelledby="post-incident"><h2 id="post-incident">Post-incident</h2>
<dl class="facts">
${item('Time to detect', review.timeToDetectMs === undefined ? 'not measured' : formatDuration(review.timeToDetectMs))}
${item('Time to decide', formatDuration(review.timeToDecideMs))}
${item('Time to mitigate', review.timeToMitigateMs === null ? 'traffic not restored' : formatDuration(review.timeToMitigateMs))}
</dl>
${decisions ? `<h3>Decisions</h3><ul>${decisions}</ul>` : ''}
<h3>Open follow-ups</h3><ul data-follow-ups>${followUps || '<li>none</li>'}</ul>
</section>`;
}
