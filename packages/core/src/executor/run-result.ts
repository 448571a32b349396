import type { FailoverError } from '../errors/failover-error.js';
import type { JournalRollbackStatus, ObservedState } from '../journal/journal-entry.js';
import type { LeafStep } from '../plan/compile-plan.js';
import type { RunReport } from '../report/run-report.js';
import type { CallTally } from './call-counts.js';
import type { StepRefusal } from './precheck-steps.js';
import type { PartialFailover } from './rollback-hold.js';
import type { StepDiff } from './step-diff.js';
import type { StepEvidence } from './step-evidence.js';

/**
 * How a run ended:
 * - `succeeded`: every step succeeded (a dry-run: every check passed).
 * - `failed`: a step failed (an approval denied included) and the world is not
 *   back where it was: nothing needed undoing, a step was irreversible, or an
 *   undo failed. The report says which.
 * - `rolled-back`: a step failed and every step that had changed something was
 *   restored.
 * - `cancelled`: the abort signal fired. Nothing is rolled back automatically:
 *   run again with the same journal to resume, or roll back deliberately.
 */
export type RunStatus = 'succeeded' | 'failed' | 'rolled-back' | 'cancelled';

/** How one step ended. `skipped`: it never started because the run stopped first. */
export type StepStatus = 'succeeded' | 'failed' | 'cancelled' | 'skipped';

/** What happened to one step during rollback. */
export interface RollbackStepResult {
  stepId: string;
  /**
   * `rolled-back`: the before state was restored; `irreversible`: the step cannot be
   * undone (a database step not marked reversible, a DNS record set the step created);
   * `failed`: the undo failed; `skipped`: not attempted, because an undo before it failed.
   */
  status: JournalRollbackStatus;
  error?: FailoverError;
  calls: CallTally;
}

/** What rollback did, when a failed run had changes to undo. */
export interface RollbackResult {
  /**
   * `rolled-back`: every step that changed something was restored; `partial`: every
   * reversible one was, irreversible ones remain; `failed`: an undo failed (rollback
   * stops there, leaving the earlier steps in place); `cancelled`: the run was aborted.
   */
  status: 'rolled-back' | 'partial' | 'failed' | 'cancelled';
  /** In the order they were undone: reverse completion order. */
  steps: RollbackStepResult[];
  /**
   * Changed steps rollback left in place because a promotion (or a `rollback: 'never'`
   * step) stays done: its fences and what it depends on. See `RunResult.partialFailover`.
   */
  kept?: Array<{ stepId: string; reason: string }>;
}

/** How one step of a run went. */
export interface StepResult {
  stepId: string;
  name: string;
  kind: LeafStep['kind'];
  status: StepStatus;
  /** The step made a mutating call that changed something (or, resumed, had begun to). */
  changed: boolean;
  attempts: number;
  /** Clock times; absent for a step that never started. */
  startedAt?: number;
  endedAt?: number;
  durationMs: number;
  /** Completed in an earlier run of the same journal and skipped this time. */
  resumed?: boolean;
  error?: FailoverError;
  /** Dry-run: what the step would do. */
  diff?: StepDiff;
  /** The state before the step changed anything: what a rollback restores. */
  undo?: { before: ObservedState };
  /** Provider calls this step made, rollback excluded. */
  calls: CallTally;
  /** Problems that did not fail the step (a notification that could not be sent). */
  warnings?: string[];
  /** Why a fence held, where a size came from (journaled with the step's end). */
  evidence?: StepEvidence;
}

/** What `runPlan` returns for a run that started: status, per-step results, the report, and dry-run diffs. */
export interface RunResult {
  runId: string;
  planId: string;
  status: RunStatus;
  dryRun: boolean;
  startedAt: number;
  endedAt: number;
  /** The unfinished run this one continued, when it resumed from the journal. */
  resumedFrom?: string;
  /** Every leaf step, in topological order. */
  steps: StepResult[];
  /** The failure that stopped the run, if one did. */
  error?: FailoverError;
  rollback?: RollbackResult;
  /**
   * Steps the providers' pre-checks refuse, every one with its step id: found by a
   * dry-run, or by a real run before its first mutating call (which it then never makes).
   */
  refusals?: StepRefusal[];
  /**
   * Set when the run failed after a promotion that stays done: the run ended "failed,
   * failed over partially, traffic held in the target region", rollback kept the fences
   * and what the promotion stands on, and `unfinished` is what the operator must finish.
   */
  partialFailover?: PartialFailover;
  /** Dry-run only: per step id, what it would do. */
  diffs?: Record<string, StepDiff>;
  report: RunReport;
}
