import { FailoverError, type SerializedFailoverError } from '../errors/failover-error.js';
import type { OperationHandle } from '../providers/operation-handle.js';
import type { IncidentDetection } from '../report/incident-review.js';
import { err, ok, type Result } from '../result.js';
import type { JournalEntry, ObservedState, RunStartEntry } from './journal-entry.js';
import { journaledDetection } from './journaled-detection.js';

/** A step that finished in an earlier run of the chain: skipped on resume, kept for rollback. */
export interface CompletedStepRecord {
  stepId: string;
  runId: string;
  startedAt: number;
  endedAt: number;
  attempts: number;
  changed: boolean;
  undo?: { before: ObservedState };
}

/** A step that was under way when the earlier run stopped. */
export interface InFlightStepRecord {
  stepId: string;
  /** State observed before the first mutating call (from `step-intent`). */
  intentBefore?: { before: ObservedState };
  /** The last `ensure*` outcome journaled (from `step-handle`): wait on its handle instead of ensuring again. */
  ensured?: { changed: boolean; before: ObservedState; handle?: OperationHandle };
}

/** What an unfinished run left behind, for the next run to continue from. */
export interface ResumeState {
  /** The run this one continues (the last run of the chain). */
  resumes: string;
  /** When the chain's first run started: the report measures RTO from here. */
  chainStartedAt: number;
  /** The incident's detection, as the chain's first run recorded it: the report's time to detect. */
  detection?: IncidentDetection;
  /** In completion order. */
  completed: Map<string, CompletedStepRecord>;
  inFlight: Map<string, InFlightStepRecord>;
  /** The before-state of every step that ended having changed something, whatever its status. */
  undos: Map<string, { before: ObservedState }>;
  /** Present when the chain had started rolling back: the resumed run only finishes the rollback. */
  rollback?: { stepIds: string[]; done: Map<string, { status: string; error?: SerializedFailoverError }> };
}

/**
 * Reads a journal back for a plan: the state of its last run chain (a run and
 * the runs that resumed it) if that chain is unfinished (crashed, or cancelled),
 * `undefined` if there is nothing to resume. A chain of a different plan
 * version (fingerprint) is a `conflict`: resuming it could skip steps that changed.
 */
export function replayJournal(
  entries: readonly JournalEntry[],
  planId: string,
  fingerprint: string,
): Result<ResumeState | undefined, FailoverError> {
  const chain = lastChain(entries, planId);
  if (!chain) return ok(undefined);
  const { starts, runIds } = chain;
  const lastRun = starts[starts.length - 1]!;
  const ended = entries.findLast((entry) => entry.type === 'run-end' && entry.runId === lastRun.runId);
  if (ended?.type === 'run-end' && ended.status !== 'cancelled') return ok(undefined);
  if (lastRun.fingerprint !== fingerprint) {
    return err(
      new FailoverError({
        kind: 'conflict',
        message: `The journal holds an unfinished run (${lastRun.runId}) of a different version of plan ${planId}; finish it with that version, or use a new journal.`,
        provider: 'executor',
        operation: 'resume',
      }),
    );
  }

  const state: ResumeState = {
    resumes: lastRun.runId,
    chainStartedAt: starts[0]!.at,
    completed: new Map(),
    inFlight: new Map(),
    undos: new Map(),
  };
  const detection = journaledDetection(starts);
  if (detection) state.detection = detection;
  for (const entry of entries) {
    if (!runIds.has(entry.runId)) continue;
    switch (entry.type) {
      case 'step-intent': {
        const record = inFlight(state, entry.stepId);
        // The first observation wins: later ones may already see the change.
        record.intentBefore ??= { before: entry.before };
        break;
      }
      case 'step-handle':
        inFlight(state, entry.stepId).ensured = {
          changed: entry.changed,
          before: entry.before,
          ...(entry.handle && { handle: entry.handle }),
        };
        break;
      case 'step-end':
        if (entry.undo) state.undos.set(entry.stepId, entry.undo);
        if (entry.status === 'succeeded') {
          state.inFlight.delete(entry.stepId);
          state.completed.set(entry.stepId, {
            stepId: entry.stepId,
            runId: entry.runId,
            startedAt: entry.startedAt,
            endedAt: entry.at,
            attempts: entry.attempts,
            changed: entry.changed,
            ...(entry.undo && { undo: entry.undo }),
          });
        }
        break;
      case 'rollback-start':
        state.rollback ??= { stepIds: entry.stepIds, done: new Map() };
        break;
      case 'rollback-step':
        state.rollback?.done.set(entry.stepId, {
          status: entry.status,
          ...(entry.error && { error: entry.error }),
        });
        break;
      default:
        break;
    }
  }
  return ok(state);
}

function inFlight(state: ResumeState, stepId: string): InFlightStepRecord {
  let record = state.inFlight.get(stepId);
  if (!record) {
    record = { stepId };
    state.inFlight.set(stepId, record);
  }
  return record;
}

/** The run-starts of the plan's last chain: its last fresh start and every resume after it. */
function lastChain(
  entries: readonly JournalEntry[],
  planId: string,
): { starts: RunStartEntry[]; runIds: Set<string> } | undefined {
  let starts: RunStartEntry[] | undefined;
  for (const entry of entries) {
    if (entry.type !== 'run-start' || entry.planId !== planId) continue;
    if (entry.resumes !== undefined && starts) starts.push(entry);
    else starts = [entry];
  }
  return starts && { starts, runIds: new Set(starts.map((start) => start.runId)) };
}
