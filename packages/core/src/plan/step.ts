import type { NotificationStage } from '../notify/notification-stage.js';
import type { ActionSpec } from './action-spec.js';
import type { CheckSpec } from './check-spec.js';

/** Retry policy of one step. Only retryable errors are retried. */
export interface RetryPolicy {
  /** Attempts in all, the first included. Default 3. */
  maxAttempts?: number;
  /** Base of the exponential backoff with full jitter. Default 1 s. */
  baseDelayMs?: number;
  /** Cap of one backoff delay. Default 30 s. */
  maxDelayMs?: number;
}

interface StepBase {
  /** Unique within the plan; what `dependsOn`, the journal and the report use. */
  id: string;
  /** Human label for the report. Default: the id. */
  name?: string;
  /** Ids of steps (or groups) that must succeed before this one starts. */
  dependsOn?: string[];
  /** Whole-step deadline, all attempts and waits included. */
  timeoutMs?: number;
  retry?: RetryPolicy;
}

/** A pre-flight gate: passes or fails the plan, never changes anything. */
export interface CheckStep extends StepBase {
  kind: 'check';
  check: CheckSpec;
  /**
   * The condition must hold continuously this long (observed every `intervalMs`):
   * one observation where it does not fails the step. Default 0: observed once.
   */
  holdForMs?: number;
  /** Between observations while holding. Default 5 s. */
  intervalMs?: number;
}

/** Observe, compare, act on a provider. */
export interface ActionStep extends StepBase {
  kind: 'action';
  action: ActionSpec;
  /**
   * Whether a failure later in the plan undoes this step by restoring the state
   * observed before it. Defaults: dns and scale true, database false.
   */
  reversible?: boolean;
  /**
   * Marks the step as fencing: it takes traffic or writes away from the old
   * primary. A forced database step needs one ordered before it.
   */
  fence?: boolean;
  /**
   * `'never'`: a failure later in the plan never undoes this step, and rollback keeps
   * what it depends on, as for a promotion (the run then ends failed over partially).
   */
  rollback?: 'never';
  /** Counts towards achieved RTO: the plan's traffic is restored when the last such step is verified. Default: dns actions. */
  traffic?: boolean;
}

/** A named human gate. Nothing answering within the timeout is a denial. */
export interface ApprovalStep extends StepBase {
  kind: 'approval';
  /** What the approver is asked. */
  message: string;
  timeoutMs: number;
}

/** Polls a condition until it holds, or fails at the deadline. */
export interface VerifyStep extends StepBase {
  kind: 'verify';
  check: CheckSpec;
  timeoutMs: number;
  /** Default 5 s. */
  intervalMs?: number;
  /**
   * Once it holds, it must keep holding this long without a break (an error rate
   * below 1 % for 5 minutes); a break starts the hold again. Default 0.
   */
  holdForMs?: number;
}

/** Holds for a fixed time (a soak period between failback stages). */
export interface WaitStep extends StepBase {
  kind: 'wait';
  durationMs: number;
}

/** Sends a message through a notifier bound at run time (unbound: the plan is invalid). A failed delivery never fails the plan. */
export interface NotifyStep extends StepBase {
  kind: 'notify';
  channel: string;
  message: string;
  /** The runbook stage it announces: the message is then that stage's template, filled from the run. */
  stage?: NotificationStage;
}

/** Steps run one after another (`sequential`) or together (`parallel`). Steps inside may depend on steps outside. */
export interface GroupStep extends StepBase {
  kind: 'group';
  mode: 'sequential' | 'parallel';
  steps: PlanStep[];
}

/** Any step of a plan, groups included. */
export type PlanStep = CheckStep | ActionStep | ApprovalStep | VerifyStep | WaitStep | NotifyStep | GroupStep;
/** `check`, `action`, `approval`, `verify`, `wait`, `notify` or `group`. */
export type StepKind = PlanStep['kind'];
