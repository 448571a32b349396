import type { SerializedFailoverError } from '../errors/failover-error.js';
import type { CallCounts } from '../executor/call-counts.js';
import type { PartialFailover } from '../executor/rollback-hold.js';
import type { RollbackResult, RunStatus, StepStatus } from '../executor/run-result.js';
import type { StepDiff } from '../executor/step-diff.js';
import type { StepEvidence } from '../executor/step-evidence.js';
import type { JournalRollbackStatus } from '../journal/journal-entry.js';
import type { LeafStep } from '../plan/compile-plan.js';
import type { RecoveryObjectives } from '../plan/failover-plan.js';
import type { PlanProblem } from '../plan/plan-problem.js';
import type { RpoReport } from './achieved-rpo.js';
import type { IncidentReview } from './incident-review.js';

/** One step in the report's timeline. Offsets are from the start of the run (of the first run, when resumed). */
export interface ReportStep {
  id: string;
  name: string;
  kind: LeafStep['kind'];
  status: StepStatus;
  changed: boolean;
  /** Completed in an earlier run and skipped by this one. */
  resumed?: boolean;
  /** Counts towards RTO (see `RtoReport`). */
  traffic?: boolean;
  /** The cloud of the provider the step calls (`aws` for `aws.route53`); absent for approvals, waits, notifications. */
  cloud?: string;
  startedAt?: string;
  endedAt?: string;
  startOffsetMs?: number;
  endOffsetMs?: number;
  durationMs: number;
  attempts: number;
  /** Provider calls of the step (its rollback excluded). */
  calls: CallCounts;
  error?: SerializedFailoverError;
  warnings?: string[];
  diff?: StepDiff;
  /** Why a fence held (probe rounds), where a size came from (recorded capacity). */
  evidence?: StepEvidence;
  rollback?: { status: JournalRollbackStatus; error?: SerializedFailoverError; calls: CallCounts };
}

/**
 * Achieved recovery time. A traffic step is an action with `traffic: true`
 * (default: DNS actions). It counts as verified when the first verify step
 * that depends on it (directly or through other steps) succeeded, or, with no
 * such verify step, when it ended itself (a DNS action already waits until the
 * change is in sync). Achieved RTO runs from the start of the run to the
 * moment the last traffic step was verified; it is null when the plan has no
 * traffic step or one of them did not succeed (traffic was not restored).
 */
export interface RtoReport {
  achievedMs: number | null;
  objectiveMs?: number;
  /** Present when both figures are: achieved <= objective. A failed run with an objective has `met: false`. */
  met?: boolean;
  trafficStepIds: string[];
  /** The step whose end marks recovery (a verify step, or the traffic step itself). */
  measuredTo?: string;
}

/** The longest path through the DAG, by the steps' actual durations. */
export interface CriticalPathReport {
  stepIds: string[];
  durationMs: number;
}

/** A run as a post-incident record: JSON-serialisable, no secrets. */
export interface RunReport {
  format: 'failover-run-report/v1';
  planId: string;
  planName: string;
  runId: string;
  status: RunStatus;
  dryRun: boolean;
  /** The first run of the chain when this run resumed another. */
  startedAt: string;
  endedAt: string;
  durationMs: number;
  resumedFrom?: string;
  objectives: RecoveryObjectives;
  rto: RtoReport;
  /** Achieved RPO per database the run moved (absent when none moved). */
  rpo?: RpoReport;
  /** Time to detect, decide and mitigate, the decisions, and the open follow-ups. */
  review?: IncidentReview;
  criticalPath: CriticalPathReport;
  /** In order of start; steps that never started come last, in plan order. */
  steps: ReportStep[];
  rollback?: {
    status: RollbackResult['status'];
    /** In the order undone. */
    stepIds: string[];
    /** Completed steps that changed something and could not be undone. */
    irreversible: string[];
    /** Changed steps left in place because a promotion stays done (its fences and what it stands on). */
    kept?: Array<{ stepId: string; reason: string }>;
  };
  /**
   * The run failed after a promotion that stays done: "failed, failed over partially,
   * traffic held in the target region", and what the operator must finish.
   */
  partialFailover?: PartialFailover;
  /**
   * API calls in all, per provider name of the plan, and per cloud (the part of the
   * provider's id before the first dot: `aws` for `aws.route53`).
   */
  apiCalls: {
    total: CallCounts;
    byProvider: Record<string, CallCounts>;
    byCloud: Record<string, CallCounts>;
  };
  /** Validation notices (e.g. a forced failover allowed without approval). */
  notices: PlanProblem[];
  warnings: { stepId?: string; message: string }[];
  error?: SerializedFailoverError;
}
