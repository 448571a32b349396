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
