import type { JournalEntry, ObservedState } from '../journal/journal-entry.js';
import { lastRunChain } from '../journal/last-run-chain.js';

/** What the failover run changed, read back from its journal. */
export interface FailoverChanges {
  /** Before-state of every step that changed something, by step id, in the order the steps ended. */
  before: Map<string, ObservedState>;
  /** When the failover run chain ended, if it did. */
  endedAt?: number;
  /** How it ended. */
  status?: string;
}

/**
 * The before-state of each step of `planId`'s last run chain that changed the world
 * (whatever its status: a failed step may have changed something too). A step
 * changed twice across resumed runs keeps its first before-state, the original.
 */
export function failoverChanges(
  entries: readonly JournalEntry[],
  planId: string,
): FailoverChanges | undefined {
  const chain = lastRunChain(entries, planId);
  if (!chain) return undefined;
  const runs = new Set(chain.runIds);
  const before = new Map<string, ObservedState>();
  for (const entry of entries) {
    if (entry.type !== 'step-end' || !runs.has(entry.runId) || !entry.changed || !entry.undo) continue;
    if (!before.has(entry.stepId)) before.set(entry.stepId, entry.undo.before);
  }
  return {
    before,
    ...(chain.endedAt !== undefined && { endedAt: chain.endedAt }),
    ...(chain.status !== undefined && { status: chain.status }),
  };
}
