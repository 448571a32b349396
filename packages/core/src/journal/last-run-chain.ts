import type { JournalEntry, JournalRunStatus, RunStartEntry } from './journal-entry.js';

/** The last run chain of a plan in a journal (a fresh run and the runs that resumed it), as a summary. */
export interface RunChainSummary {
  /** The chain's last run. */
  runId: string;
  /** Every run of the chain, first to last. */
  runIds: string[];
  /** When the chain's first run started. */
  startedAt: number;
  /** How the last run ended; `undefined` when it never did (it crashed, or still runs). */
  status?: JournalRunStatus;
  /** When it ended. */
  endedAt?: number;
  /** What the chain's first run recorded about where it ran (`RunStartEntry.environment`). */
  environment?: Record<string, string>;
}

/**
 * The plan's last run chain in `entries`, or `undefined` when the plan never
 * ran there. Lets a caller refuse to "resume" a run that already finished, and
 * compare the world a resume would act on with the one the chain started in.
 */
export function lastRunChain(entries: readonly JournalEntry[], planId: string): RunChainSummary | undefined {
  let starts: RunStartEntry[] | undefined;
  for (const entry of entries) {
    if (entry.type !== 'run-start' || entry.planId !== planId) continue;
    if (entry.resumes !== undefined && starts) starts.push(entry);
    else starts = [entry];
  }
  if (!starts) return undefined;
  const first = starts[0]!;
  const last = starts[starts.length - 1]!;
  const ended = entries.findLast((entry) => entry.type === 'run-end' && entry.runId === last.runId);
  return {
    runId: last.runId,
    runIds: starts.map((start) => start.runId),
    startedAt: first.at,
    ...(ended?.type === 'run-end' && { status: ended.status, endedAt: ended.at }),
    ...(first.environment && { environment: first.environment }),
  };
}
