import type { RunResult } from '@failover/core';

/** The ids of the steps a (dry) run found a difference for: what a real run would change. */
export const changedSteps = (run: RunResult): string[] =>
  Object.entries(run.diffs ?? {})
    .filter(([, diff]) => (diff as { wouldChange?: boolean }).wouldChange)
    .map(([id]) => id);
