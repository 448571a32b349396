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
  /** From the first failing observation to the decision (the decision engine's evaluation), when the run was given one. */
  timeToDetectMs?: number;
  /**
   * Time spent waiting for humans: the approval steps' durations, plus the wait for
   * the approval of a failover the decision engine left to review (`detection.approvedAt`).
   */
  timeToDecideMs: number;
  /** From the run's start to traffic restored (the achieved RTO); null when traffic was not restored. */
  timeToMitigateMs: number | null;
  /** The detection the figures above come from (epoch ms), when the run was given one. */
  detection?: IncidentDetection;
  decisions: ReportDecision[];
  /** What an operator still has to do or look at, most urgent first. */
  followUps: string[];
}

/**
 * When the incident was seen and decided on (epoch ms, the run's clock): from
 * the decision engine's evaluation (`failover watch`), or given by hand
 * (`RunOptions.detection`, `failover run --incident-started-at --detected-at`).
 */
export interface IncidentDetection {
  /** The first failing observation behind the decision. */
  startedAt: number;
  /** When the decision engine decided (the evaluation that reached the decision), or the incident was declared. */
  detectedAt: number;
  /** When a human approved a failover the engine had left to review; absent when none was needed. */
  approvedAt?: number;
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
    timeToDecideMs: decisions.reduce((sum, decision) => sum + decision.waitedMs, 0) + reviewWaitMs(detection),
    timeToMitigateMs: report.rto.achievedMs,
    ...(detection && { detection: { ...detection } }),
    decisions,
    followUps,
  };
}

/** The wait between the engine's decision to ask a human and the human's approval. */
function reviewWaitMs(detection: IncidentDetection | undefined): number {
  if (detection?.approvedAt === undefined) return 0;
  return Math.max(0, detection.approvedAt - detection.detectedAt);
}
