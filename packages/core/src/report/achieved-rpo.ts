import type { StepResult } from '../executor/run-result.js';
import type { LeafStep } from '../plan/compile-plan.js';

/** The data loss of one database step, as achieved. */
export interface DatabaseRpo {
  stepId: string;
  /** The database (`DatabaseRef.id`). */
  database: string;
  /** The region its writer moved to. */
  region: string;
  mode: 'planned' | 'forced';
  /**
   * The data-loss window: 0 for a planned move (the cloud waits for the replicas),
   * the last lag observed before a forced promotion, null when it was not observed.
   */
  achievedMs: number | null;
  /** Offset from the run's start at which the writer had moved (the step ended): the database's own RTO. */
  recoveredAtMs?: number;
}

/**
 * Achieved recovery point, per database step that changed something, and the
 * worst of them against `objectives.rpoMs`. `met` is false when a window is unknown.
 */
export interface RpoReport {
  databases: DatabaseRpo[];
  achievedMs: number | null;
  objectiveMs?: number;
  met?: boolean;
}

/** The RPO section of a report, from the database steps that ran and their data-loss evidence. */
export function achievedRpo(input: {
  steps: readonly LeafStep[];
  results: readonly (StepResult | undefined)[];
  origin: number;
  objectiveMs?: number;
}): RpoReport | undefined {
  const databases: DatabaseRpo[] = [];
  input.steps.forEach((step, index) => {
    if (step.kind !== 'action' || step.action.type !== 'database') return;
    const result = input.results[index];
    if (result?.status !== 'succeeded' || !result.changed) return;
    const evidence = result.evidence?.type === 'data-loss-window' ? result.evidence : undefined;
    databases.push({
      stepId: step.id,
      database: step.action.database.id,
      region: step.action.region,
      mode: step.action.mode,
      achievedMs: step.action.mode === 'planned' ? 0 : (evidence?.lagMs ?? null),
      ...(result.endedAt !== undefined && { recoveredAtMs: result.endedAt - input.origin }),
    });
  });
  if (databases.length === 0) return undefined;
  const unknown = databases.some((database) => database.achievedMs === null);
  const achievedMs = unknown ? null : Math.max(...databases.map((database) => database.achievedMs ?? 0));
  return {
    databases,
    achievedMs,
    ...(input.objectiveMs !== undefined && {
      objectiveMs: input.objectiveMs,
      met: achievedMs !== null && achievedMs <= input.objectiveMs,
    }),
  };
}
