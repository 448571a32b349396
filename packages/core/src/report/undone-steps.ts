import type { RunReport } from './run-report.js';

/**
 * The steps rollback actually undid, in the order it undid them: the rollback visits
 * irreversible and kept steps too, and those must not read as "undone".
 */
export function undoneInOrder(report: RunReport): string[] {
  const status = new Map(report.steps.map((step) => [step.id, step.rollback?.status]));
  return (report.rollback?.stepIds ?? []).filter((id) => status.get(id) === 'rolled-back');
}
