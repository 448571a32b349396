import type { IncidentDetection } from '../report/incident-review.js';
import type { RunStartEntry } from './journal-entry.js';

/**
 * A `run-start` entry that also carries the incident's detection: written by
 * `runPlan` when it was given one, so a resumed run (and a report rebuilt from
 * the journal) keeps the time to detect. Readers of older journals find none.
 */
export type RunStartWithDetection = RunStartEntry & { detection?: IncidentDetection };

/**
 * The detection recorded by the runs of a chain: the first one recorded (a resume
 * keeps the incident it continues). A malformed one is ignored: it feeds only the report.
 */
export function journaledDetection(starts: readonly RunStartEntry[]): IncidentDetection | undefined {
  for (const start of starts) {
    const detection = (start as RunStartWithDetection).detection;
    if (isDetection(detection)) return detection;
  }
  return undefined;
}

function isDetection(value: unknown): value is IncidentDetection {
  if (typeof value !== 'object' || value === null) return false;
  const { startedAt, detectedAt, approvedAt } = value as Record<string, unknown>;
  const time = (at: unknown) => typeof at === 'number' && Number.isFinite(at);
  return time(startedAt) && time(detectedAt) && (approvedAt === undefined || time(approvedAt));
}
