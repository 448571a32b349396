/**
 * One thing wrong with a plan, located by a path into the plan document in
 * `steps[2].steps[0].dependsOn[1]` notation (`''` is the document itself).
 */
export interface PlanProblem {
  path: string;
  /** Stable machine-readable code, e.g. `duplicate-id`, `cycle`, `missing-provider`. */
  code: string;
  /** One sentence for humans, naming the field. */
  message: string;
}

/** The problem reported when reading the input threw (absurd nesting, a throwing getter). */
export function unreadableProblem(thrown: unknown): PlanProblem {
  const reason =
    thrown instanceof RangeError
      ? 'it is nested too deeply'
      : thrown instanceof Error
        ? thrown.message
        : String(thrown);
  return { path: '', code: 'unreadable', message: `the plan could not be read: ${reason}.` };
}
