import type { ObservedState } from '../journal/journal-entry.js';
import type { LeafStep } from '../plan/compile-plan.js';
import type { OperationHandle } from '../providers/operation-handle.js';
import type { CallScope } from './run-context.js';
import type { StepDiff } from './step-diff.js';
import type { StepEvidence } from './step-evidence.js';

/** How far a step got; it survives retries, and a resumed run seeds it from the journal. */
export interface StepProgress {
  /** State observed before the first mutating call (journaled as `step-intent`). */
  intentBefore?: { before: ObservedState };
  /** Mutating calls begun by this process for the step (a journaled intent from an earlier run is not counted). */
  mutatingAttempts?: number;
  /** The outcome of `ensure*` (journaled as `step-handle`): from here on the step only waits. */
  ensured?: { changed: boolean; before: ObservedState; handle?: OperationHandle };
}

/** One step being executed. Internal to the executor. */
export interface StepRun extends CallScope {
  readonly step: LeafStep;
  readonly progress: StepProgress;
  /** Set once the step's result is final: late work (after a timeout) must not journal. */
  finished: boolean;
  /** The last observation of a verify step, quoted when it times out. */
  lastStatus?: string;
  warnings?: string[];
  /** Evidence found on the way (a size from recorded capacity), when the body's value has none. */
  evidence?: StepEvidence;
}

/** What a step body produces on success. */
export interface StepValue {
  changed: boolean;
  undo?: { before: ObservedState };
  diff?: StepDiff;
  /** Why a fence held, where a size came from: journaled and reported. */
  evidence?: StepEvidence;
}
