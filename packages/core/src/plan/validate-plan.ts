import type { ProviderRegistry } from '../executor/provider-registry.js';
import type { AnyNotifier } from '../notify/any-notifier.js';
import { checkNotifyBinding } from '../notify/check-notify-binding.js';
import { err, ok, type Result } from '../result.js';
import { type CompiledPlan, compilePlanProblems, type LeafStep } from './compile-plan.js';
import type { FailoverPlan } from './failover-plan.js';
import { checkPlanSchema } from './parse-plan.js';
import { joinPlanPath } from './plan-path.js';
import { type PlanProblem, unreadableProblem } from './plan-problem.js';
import { checkStepProviders } from './plan-provider-checks.js';
import { checkForcedDatabaseSteps, checkStepConsistency, type LocatedStep } from './plan-safety-checks.js';
import { planSchemas } from './plan-schema.js';
import { PlanValidationError } from './plan-validation-error.js';

/** A plan that passed validation, compiled, with the notices worth showing (opt-outs, failback regions). */
export type ValidatedPlan = CompiledPlan & { notices: PlanProblem[] };

/** Options of `validatePlan`: with providers, capability and kind checks run too. */
export interface ValidatePlanOptions {
  /**
   * The providers the plan will run with. When given, every provider name must
   * be bound to a provider of the right kind that declares the capabilities
   * the steps need. When absent, those checks are skipped.
   */
  providers?: ProviderRegistry;
  /**
   * The notifier notify steps will use; `null` when none is bound. When given
   * (`null` included), every notify step must have a notifier that delivers to its
   * channel (`missing-notifier`). When absent, that check is skipped.
   */
  notifier?: AnyNotifier | null;
}

/**
 * Everything that can be known about a plan before anything runs, reported
 * at once: the document's shape (see `parsePlan`), ids and dependencies (see
 * `compilePlan`), and meaning:
 * - `missing-provider`, `wrong-provider-kind`, `missing-capability` (only with `providers`);
 * - `missing-notifier`: a notify step no notifier delivers to (only with `notifier`);
 * - `forced-without-fence`: a forced database step with no `fence: true` action among its ancestors;
 * - `forced-without-approval`: the same with no approval step (a notice instead when
 *   `allowForcedWithoutApproval` is set);
 * - `inconsistent-size`, `empty-desired-state`;
 * - `invalid-advance-towards`: a DNS step's `advanceTowards` without `weightPercents`, not
 *   summing to 100, or giving no target more than the stage does;
 * - notice `region-not-target`: a database step moving the writer elsewhere than `targetRegion`
 *   (or one of its `targetRegionAliases`);
 * - notice `same-region`: `sourceRegion` equals `targetRegion` (an in-region failover).
 * Never throws.
 *
 * @example
 * const validated = validatePlan(JSON.parse(text), { providers: { dns: route53, db: aurora } });
 * if (validated.isErr()) for (const p of validated.error.problems) console.error(`${p.path}: ${p.message}`);
 * else for (const n of validated.value.notices) console.warn(`${n.path}: ${n.message}`);
 */
export function validatePlan(
  input: unknown,
  options: ValidatePlanOptions = {},
): Result<ValidatedPlan, PlanValidationError> {
  let problems: PlanProblem[];
  let outcome: { validated?: ValidatedPlan; problems: PlanProblem[] };
  try {
    outcome = collect(input, options);
    problems = outcome.problems;
  } catch (thrown) {
    // A throwing getter on the input or on a provider object, absurd nesting.
    problems = [unreadableProblem(thrown)];
    outcome = { problems };
  }
  if (outcome.validated && problems.length === 0) return ok(outcome.validated);
  return err(new PlanValidationError(problems));
}

function collect(
  input: unknown,
  options: ValidatePlanOptions,
): { validated?: ValidatedPlan; problems: PlanProblem[] } {
  const schema = checkPlanSchema(input);
  const problems = [...schema.problems];
  const notices: PlanProblem[] = [];
  // With schema problems, keep going on the raw document so that graph and
  // safety problems show up in the same report; steps that are malformed
  // themselves are skipped by the checks below.
  const plan = schema.plan ?? (hasStepArray(input) ? (input as FailoverPlan) : undefined);
  if (!plan) return { problems };

  const graph = compilePlanProblems(plan);
  const reported = new Set(problems.map((problem) => problem.path));
  for (const problem of graph.problems) if (!reported.has(problem.path)) problems.push(problem);

  if (
    typeof plan.sourceRegion === 'string' &&
    plan.sourceRegion !== '' &&
    plan.sourceRegion === plan.targetRegion
  ) {
    // An in-region failover (Multi-AZ, Cloud SQL HA) is legitimate; say so rather than reject it.
    notices.push({
      path: 'targetRegion',
      code: 'same-region',
      message: `targetRegion is the same as sourceRegion ("${plan.sourceRegion}"): an in-region failover.`,
    });
  }

  const forced: LocatedStep[] = [];
  for (const located of leaves(plan.steps, 'steps', schema.plan !== undefined)) {
    if (options.providers) checkStepProviders(located.step, located.path, options.providers, problems);
    if (options.notifier !== undefined)
      checkNotifyBinding(located.step, located.path, options.notifier, problems);
    checkStepConsistency(located, plan, problems, notices);
    if (
      located.step.kind === 'action' &&
      located.step.action.type === 'database' &&
      located.step.action.mode === 'forced'
    )
      forced.push(located);
  }
  checkForcedDatabaseSteps(plan, forced, graph.steps, graph.compiled?.order, problems, notices);

  if (problems.length > 0 || !graph.compiled) return { problems };
  return { validated: { ...graph.compiled, notices }, problems };
}

/**
 * The leaf steps of the document with their paths. `trusted` when the whole
 * plan passed the schema; otherwise each step is checked on its own and kept
 * only if well-formed (with the original object, so graph lookups still match).
 */
function* leaves(steps: unknown, path: string, trusted: boolean): Generator<LocatedStep> {
  if (!Array.isArray(steps)) return;
  for (let index = 0; index < steps.length; index++) {
    const raw: unknown = steps[index];
    const at = joinPlanPath(path, index);
    if (typeof raw !== 'object' || raw === null) continue;
    const step = raw as { kind?: unknown; steps?: unknown };
    if (step.kind === 'group') {
      yield* leaves(step.steps, joinPlanPath(at, 'steps'), trusted);
    } else if (trusted || planSchemas().planStepSchema.safeParse(raw).success) {
      yield { step: raw as LeafStep, path: at };
    }
  }
}

function hasStepArray(input: unknown): boolean {
  return typeof input === 'object' && input !== null && Array.isArray((input as { steps?: unknown }).steps);
}
