import type { SerializedFailoverError } from '../errors/failover-error.js';
import type { JournalRollbackStatus } from '../journal/journal-entry.js';
import type { LeafStep } from '../plan/compile-plan.js';
import type { OperationHandle } from '../providers/operation-handle.js';
import type { ApprovalDataLoss } from './approver.js';
import type { CallTally } from './call-counts.js';
import type { RollbackResult, RunStatus, StepStatus } from './run-result.js';
import type { StepDiff } from './step-diff.js';

interface EventBase {
  runId: string;
  /** Clock time (the injected clock), epoch ms. */
  at: number;
}

/** The run started (or resumed). */
export interface PlanStartEvent extends EventBase {
  type: 'plan-start';
  planId: string;
  planName: string;
  dryRun: boolean;
  steps: number;
  /** The unfinished run this one continues. */
  resumes?: string;
}

/** A step started (an attempt of it). */
export interface StepStartEvent extends EventBase {
  type: 'step-start';
  stepId: string;
  kind: LeafStep['kind'];
  /** Continues a step that was under way when an earlier run stopped. */
  resumed?: boolean;
}

/** A retryable error; the next attempt starts after `delayMs`. */
export interface StepRetryEvent extends EventBase {
  type: 'step-retry';
  stepId: string;
  /** The attempt about to start (2 for the first retry). */
  attempt: number;
  delayMs: number;
  error: SerializedFailoverError;
}

/** The step waits on a started remote change. */
export interface StepWaitEvent extends EventBase {
  type: 'step-wait';
  stepId: string;
  handle: OperationHandle;
}

/** A step ended: status, whether it changed something, attempts, calls, and in a dry-run its diff. */
export interface StepEndEvent extends EventBase {
  type: 'step-end';
  stepId: string;
  status: Exclude<StepStatus, 'skipped'>;
  changed: boolean;
  durationMs: number;
  attempts: number;
  error?: SerializedFailoverError;
  /** Dry-run: what the step would change. */
  diff?: StepDiff;
  /** API and provider calls the step made. */
  calls: CallTally;
}

/** A step that will not run now: completed in an earlier run, or never started because the run stopped. */
export interface StepSkippedEvent extends EventBase {
  type: 'step-skipped';
  stepId: string;
  reason: 'completed-earlier' | 'run-stopped';
}

/** An approval step asks its approver. */
export interface ApprovalRequestEvent extends EventBase {
  type: 'approval-request';
  stepId: string;
  message: string;
  timeoutMs: number;
  /** The data-loss window of each forced promotion the approval gates (`ApprovalRequest.dataLoss`). */
  dataLoss?: ApprovalDataLoss[];
}

/** An approval step got its answer (or timed out: a denial). */
export interface ApprovalDecisionEvent extends EventBase {
  type: 'approval-decision';
  stepId: string;
  approved: boolean;
  by?: string;
  reason?: string;
}

/** Rollback began, of these steps in this order (newest first). */
export interface RollbackStartEvent extends EventBase {
  type: 'rollback-start';
  /** Steps to undo, in the order they will be undone. */
  stepIds: string[];
}

/** One step was undone, found irreversible, or failed to undo. */
export interface RollbackStepEvent extends EventBase {
  type: 'rollback-step';
  stepId: string;
  status: JournalRollbackStatus;
  error?: SerializedFailoverError;
}

/** Rollback finished, with its status. */
export interface RollbackEndEvent extends EventBase {
  type: 'rollback-end';
  status: RollbackResult['status'];
}

/** The run ended, with its status. */
export interface PlanEndEvent extends EventBase {
  type: 'plan-end';
  status: RunStatus;
  durationMs: number;
  error?: SerializedFailoverError;
}

/** Something the operator should know that did not fail the run. */
export interface WarningEvent extends EventBase {
  type: 'warning';
  stepId?: string;
  message: string;
  error?: SerializedFailoverError;
}

/** Every state change of a run, as plain JSON (errors redacted). */
export type ExecutorEvent =
  | PlanStartEvent
  | StepStartEvent
  | StepRetryEvent
  | StepWaitEvent
  | StepEndEvent
  | StepSkippedEvent
  | ApprovalRequestEvent
  | ApprovalDecisionEvent
  | RollbackStartEvent
  | RollbackStepEvent
  | RollbackEndEvent
  | PlanEndEvent
  | WarningEvent;

/** The `type` of every executor event. */
export type ExecutorEventType = ExecutorEvent['type'];
