import type { LeafStep } from '../plan/compile-plan.js';

/**
 * How long a step may take in all, attempts and waits included. Approval and
 * verify steps carry their own; a wait step without one has none (its
 * duration bounds it); any other step defaults to the run's `defaultTimeoutMs`.
 */
export function stepTimeoutMs(step: LeafStep, defaultTimeoutMs: number): number | undefined {
  if (step.timeoutMs !== undefined) return step.timeoutMs;
  return step.kind === 'wait' ? undefined : defaultTimeoutMs;
}
