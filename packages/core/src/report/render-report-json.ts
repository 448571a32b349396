import type { RunReport } from './run-report.js';

/** The report as pretty-printed JSON (the report is plain data: this round-trips with `JSON.parse`). */
export function renderReportJson(report: RunReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
