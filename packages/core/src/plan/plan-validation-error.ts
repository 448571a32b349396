import { FailoverError, type SerializedFailoverError } from '../errors/failover-error.js';
import { redact } from '../errors/redact.js';
import type { PlanProblem } from './plan-problem.js';

const marker = Symbol.for('@failover/core/PlanValidationError');
const shown = 5;

/**
 * A plan that cannot run, with every problem found (not just the first). An
 * `invalid-input` `FailoverError` whose `path` is the first problem's path.
 */
export class PlanValidationError extends FailoverError {
  readonly problems: readonly PlanProblem[];

  constructor(problems: readonly PlanProblem[], options: { cause?: unknown } = {}) {
    const safe = problems.map((problem) => ({ ...problem, message: redact(problem.message) }));
    super({
      kind: 'invalid-input',
      message: summarise(safe),
      provider: 'plan',
      operation: 'validate',
      path: safe[0]?.path ?? '',
      cause: options.cause,
    });
    Object.defineProperty(this, marker, { value: true });
    this.problems = safe;
  }

  /** True for any `PlanValidationError`, even one from another copy of this package. */
  static override isInstance(value: unknown): value is PlanValidationError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
  }

  override toJSON(): SerializedFailoverError & { problems: PlanProblem[] } {
    return { ...super.toJSON(), problems: this.problems.map((problem) => ({ ...problem })) };
  }
}

function summarise(problems: readonly PlanProblem[]): string {
  if (problems.length === 0) return 'The plan is invalid.';
  const lines = problems.slice(0, shown).map((problem) => describe(problem));
  const more = problems.length > shown ? ` (and ${problems.length - shown} more)` : '';
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return `The plan is invalid: ${count}${more}. ${lines.join(' ')}`;
}

function describe(problem: PlanProblem): string {
  return problem.path === '' ? problem.message : `${problem.path}: ${problem.message}`;
}
