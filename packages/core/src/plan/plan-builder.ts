import { err, ok, type Result } from '../result.js';
import { compilePlan } from './compile-plan.js';
import type { FailoverPlan } from './failover-plan.js';
import { parsePlan } from './parse-plan.js';
import { parallel, sequential } from './plan-control-factories.js';
import type { PlanProblem } from './plan-problem.js';
import type { StepOptions } from './plan-step-options.js';
import { PlanValidationError } from './plan-validation-error.js';
import type { PlanStep } from './step.js';

/** Everything about a plan but its steps. `version` is filled in. */
export type PlanHeader = Omit<FailoverPlan, 'version' | 'steps'>;

/**
 * Builds a plan step by step. Immutable: every call returns a new builder, so
 * a shared base can be extended in several ways. Steps are plain data from the
 * factories (`check.*`, `dns.*`, `database.*`, `scale.*`, `approval`, `verify`,
 * `wait`, `notify`, `sequential`, `parallel`) or written by hand.
 *
 * Top-level steps have no implicit order: say what each waits for with the
 * `dependsOn` option, `.after()`, or by putting steps in a `sequential` group.
 */
export class PlanBuilder {
  readonly #header: PlanHeader;
  readonly #steps: readonly PlanStep[];
  /** Misuse of the builder itself, reported by `build()`. */
  readonly #problems: readonly PlanProblem[];

  constructor(header: PlanHeader, steps: readonly PlanStep[] = [], problems: readonly PlanProblem[] = []) {
    this.#header = header;
    this.#steps = steps;
    this.#problems = problems;
  }

  /** Adds steps at the top level, in order. */
  step(...steps: PlanStep[]): PlanBuilder {
    return new PlanBuilder(this.#header, [...this.#steps, ...steps], this.#problems);
  }

  /** Adds a group whose steps run one after another. */
  sequential(id: string, steps: PlanStep[], options?: StepOptions): PlanBuilder {
    return this.step(sequential(id, steps, options));
  }

  /** Adds a group whose steps have no order between them. */
  parallel(id: string, steps: PlanStep[], options?: StepOptions): PlanBuilder {
    return this.step(parallel(id, steps, options));
  }

  /**
   * Makes the step added last wait for `ids` (steps or groups), on top of its
   * own `dependsOn`. `.step(x).after('a', 'b')` reads "x, after a and b".
   */
  after(...ids: (string | string[])[]): PlanBuilder {
    const wanted = ids.flat();
    const last = this.#steps[this.#steps.length - 1];
    if (!last) {
      const problem: PlanProblem = {
        path: 'steps',
        code: 'after-without-step',
        message: `.after(${wanted.map((id) => JSON.stringify(id)).join(', ')}) was called before any step was added.`,
      };
      return new PlanBuilder(this.#header, this.#steps, [...this.#problems, problem]);
    }
    const dependsOn = [...(last.dependsOn ?? [])];
    for (const id of wanted) if (!dependsOn.includes(id)) dependsOn.push(id);
    return new PlanBuilder(
      this.#header,
      [...this.#steps.slice(0, -1), { ...last, dependsOn }],
      this.#problems,
    );
  }

  /** The plan as data, unchecked (what `build()` checks). */
  toPlan(): FailoverPlan {
    return { version: 1, ...this.#header, steps: [...this.#steps] };
  }

  /**
   * Checks the plan (`parsePlan`, then `compilePlan`: shape, numbers, ids,
   * dependencies, cycles) and returns it, or every problem found. Provider
   * bindings and forced-failover safety are checked by `validatePlan`, which
   * the executor runs before anything else.
   */
  build(): Result<FailoverPlan, PlanValidationError> {
    if (this.#problems.length > 0) return err(new PlanValidationError(this.#problems));
    const parsed = parsePlan(this.toPlan());
    if (parsed.isErr()) return err(parsed.error);
    const compiled = compilePlan(parsed.value);
    return compiled.isErr() ? err(compiled.error) : ok(parsed.value);
  }
}

/**
 * Starts a plan.
 *
 * @example
 * const plan = definePlan({ id: 'eu-failover', name: 'EU failover', sourceRegion: 'eu-west-1', targetRegion: 'eu-central-1', objectives: { rtoMs: 15 * 60_000 } })
 *   .step(check.replicationLag('lag', { provider: 'db', database: { id: 'orders' }, maxLagMs: 100 }))
 *   .parallel('prepare', [scale.pool('scale-dr', { provider: 'k8s', pool, desired: 6 }), dns.setTtl('ttl', { provider: 'dns', record, ttl: 30 })], { dependsOn: ['lag'] })
 *   .step(dns.fence('fence', { provider: 'dns', record, target: 'primary' })).after('prepare')
 *   .step(approval('approve-forced', 'Promote with data loss?', { timeoutMs: 15 * 60_000 })).after('fence')
 *   .step(database.ensureWriter('promote', { provider: 'db', database: { id: 'orders' }, region: 'eu-central-1', mode: 'forced' })).after('approve-forced')
 *   .build(); // Result<FailoverPlan, PlanValidationError>
 */
export function definePlan(header: PlanHeader): PlanBuilder {
  return new PlanBuilder({ ...header });
}
