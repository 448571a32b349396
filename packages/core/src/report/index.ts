export { achievedRpo, type DatabaseRpo, type RpoReport } from './achieved-rpo.js';
export { type AchievedRtoInput, achievedRto, isTrafficStep } from './achieved-rto.js';
export { buildReport, type ReportInput } from './build-report.js';
export { criticalPath } from './critical-path.js';
export { formatDuration, formatOffset } from './format-duration.js';
export {
  type IncidentDetection,
  type IncidentReview,
  incidentReview,
  type ReportDecision,
} from './incident-review.js';
export { renderIncidentMarkdown } from './render-incident-markdown.js';
export { renderReportGantt } from './render-report-gantt.js';
export { renderReportHtml } from './render-report-html.js';
export { renderReportJson } from './render-report-json.js';
export { renderReportMarkdown } from './render-report-markdown.js';
export { type ReportGraph, reportGraph } from './report-graph.js';
export type { CriticalPathReport, ReportStep, RtoReport, RunReport } from './run-report.js';
export {
  type BarState,
  type TimelineBar,
  type TimelineOptions,
  type TimelineSection,
  timelineSections,
} from './timeline-bars.js';
