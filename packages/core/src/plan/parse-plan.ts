import { err, ok, type Result } from '../result.js';
import type { FailoverPlan } from './failover-plan.js';
import { type PlanProblem, unreadableProblem } from './plan-problem.js';
import { planSchemas } from './plan-schema.js';
import { schemaProblems } from './plan-schema-problems.js';
import { PlanValidationError } from './plan-validation-error.js';
import type { PlanStep } from './step.js';

/**
 * Checks that `input` is a well-formed plan document (shape, field types,
 * numbers in range, no unknown fields) and returns a fresh, typed copy. Every
 * problem is listed with its path. It does not look at ids or dependencies:
 * `compilePlan` and `validatePlan` do. Never throws.
 *
 * @example
 * const plan = parsePlan(yaml.load(text));
 * if (plan.isErr()) for (const p of plan.error.problems) console.error(`${p.path}: ${p.message}`);
 */
export function parsePlan(input: unknown): Result<FailoverPlan, PlanValidationError> {
  const checked = checkPlanSchema(input);
  return checked.plan ? ok(checked.plan) : err(new PlanValidationError(checked.problems));
}

/**
 * `parsePlan` for JSON text. Malformed JSON is an `invalid-input` error with
 * path `''` and the parser's reason. Never throws.
 *
 * @example
 * const plan = parsePlanJson(await readFile('plan.json', 'utf8'));
 */
export function parsePlanJson(text: string): Result<FailoverPlan, PlanValidationError> {
  if (typeof text !== 'string') {
    return err(problem('malformed-json', `the plan must be JSON text, got ${typeof text}.`));
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (thrown) {
    const reason = thrown instanceof Error ? thrown.message : String(thrown);
    return err(problem('malformed-json', `the plan is not valid JSON: ${reason}.`, thrown));
  }
  return parsePlan(input);
}

/**
 * The plan as JSON text: fields in the model's order, two-space indent, and a
 * trailing newline, so the same plan always gives the same text and diffs stay
 * small. Lossless: `parsePlanJson(serializePlan(plan))` deep-equals `plan` for
 * any plan `parsePlan` accepts.
 *
 * @example
 * await writeFile('plan.json', serializePlan(plan));
 */
export function serializePlan(plan: FailoverPlan): string {
  try {
    const checked = planSchemas().failoverPlanSchema.safeParse(plan);
    return `${JSON.stringify(checked.success ? canonical(checked.data) : plan, null, 2)}\n`;
  } catch {
    // Only a plan that bypassed the types can get here (a cycle, a BigInt).
    return `${JSON.stringify(plan, safeReplacer(), 2)}\n`;
  }
}

/**
 * Schema-checks `input`. Problems, or the parsed plan when there are none.
 * @internal
 */
export function checkPlanSchema(input: unknown): { plan?: FailoverPlan; problems: PlanProblem[] } {
  try {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      const found = input === null ? 'null' : Array.isArray(input) ? 'an array' : typeof input;
      return {
        problems: [{ path: '', code: 'invalid-type', message: `the plan must be an object, got ${found}.` }],
      };
    }
    const result = planSchemas().failoverPlanSchema.safeParse(input);
    if (result.success) return { plan: result.data, problems: [] };
    return { problems: schemaProblems(result.error.issues, input) };
  } catch (thrown) {
    // A stack overflow on absurd nesting, or a throwing getter on the input.
    return { problems: [unreadableProblem(thrown)] };
  }
}

/**
 * Schema objects come out of zod in the model's field order; maps keyed by the
 * user (DNS target patches, provider options) are sorted so their order in the
 * input does not change the text.
 */
function canonical(plan: FailoverPlan): FailoverPlan {
  const visit = (steps: PlanStep[]) => {
    for (const step of steps) {
      if (step.kind === 'group') visit(step.steps);
      if (step.kind !== 'action') continue;
      const action = step.action;
      if (action.type === 'dns' && action.desired.targets)
        action.desired.targets = sortKeys(action.desired.targets);
      if (action.type === 'database' && action.providerOptions)
        action.providerOptions = sortDeep(action.providerOptions) as typeof action.providerOptions;
    }
  };
  visit(plan.steps);
  return plan;
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((key) => [key, record[key]!]),
  );
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((key) => [key, sortDeep(record[key])]),
  );
}

function problem(code: string, message: string, cause?: unknown): PlanValidationError {
  return new PlanValidationError([{ path: '', code, message }], { cause });
}

function safeReplacer() {
  const seen = new WeakSet<object>();
  return (_key: string, value: unknown) => {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'object' && value !== null) {
      if (seen.has(value)) return '[circular]';
      seen.add(value);
    }
    return value;
  };
}
