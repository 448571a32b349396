import type { RunReport } from './run-report.js';

/** One human decision of the run: an approval, how long it waited and how it ended. */
export interface ReportDecision {
  stepId: string;
  name: string;
  status: string;
  waitedMs: number;
}

/**
 * The post-incident view of a run: how long detection, decision and mitigation
 * took, the decisions made, and what is left to do.
 */
export interface IncidentReview {
  /** From the incident's start to its detection (the decision engine's evaluation), when the caller knows both. */
  timeToDetectMs?: number;
  /** Time spent waiting for approvals (sum of the approval steps' durations). */
  timeToDecideMs: number;
  /** From the run's start to traffic restored (the achieved RTO); null when traffic was not restored. */
  timeToMitigateMs: number | null;
  decisions: ReportDecision[];
  /** What an operator still has to do or look at, most urgent first. */
  followUps: string[];
}

/** When the incident began and when it was detected (epoch ms), e.g. from the decision engine's evaluation. */
export interface IncidentDetection {
  startedAt: number;
  detectedAt: number;
}

/** The post-incident review of a report. Pure. */
export function incidentReview(report: RunReport, detection?: IncidentDetection): IncidentReview {
  const decisions = report.steps
    .filter((step) => step.kind === 'approval' && step.startOffsetMs !== undefined)
    .map((step) => ({ stepId: step.id, name: step.name, status: step.status, waitedMs: step.durationMs }));
  const followUps: string[] = [];
  for (const id of report.partialFailover?.unfinished ?? [])
    followUps.push(`Finish \`${id}\`: the failover stopped before it.`);
  for (const step of report.steps) {
    if (step.status === 'failed')
      followUps.push(`Find out why \`${step.id}\` failed${step.error ? ` (${step.error.kind})` : ''}.`);
  }
  for (const id of report.rollback?.irreversible ?? [])
    followUps.push(`\`${id}\` could not be undone: check its state by hand.`);
  for (const database of report.rpo?.databases ?? []) {
    if (database.achievedMs === null)
      followUps.push(`The data loss of ${database.database} is unknown: reconcile it before failing back.`);
    else if (database.mode === 'forced' && database.achievedMs > 0)
      followUps.push(
        `Reconcile up to ${database.achievedMs} ms of writes lost by ${database.database} (forced promotion).`,
      );
  }
  if (report.rpo?.met === false)
    followUps.push('The RPO objective was missed: review the replication lag alarms.');
  if (report.rto.met === false) followUps.push('The RTO objective was missed: review the critical path.');
  if (!report.dryRun && report.status === 'succeeded' && (report.rpo?.databases.length ?? 0) > 0)
    followUps.push('Plan the failback (`failover failback`): reprotect, then move traffic back in stages.');
  return {
    ...(detection && { timeToDetectMs: Math.max(0, detection.detectedAt - detection.startedAt) }),
    timeToDecideMs: decisions.reduce((sum, decision) => sum + decision.waitedMs, 0),
    timeToMitigateMs: report.rto.achievedMs,
    decisions,
    followUps,
  };
}
