import type { FailoverError } from '../errors/failover-error.js';
import type { CheckStep } from '../plan/step.js';
import { err, ok, type Result } from '../result.js';
import { evaluateCheck } from './evaluate-check.js';
import { preconditionFailed } from './executor-errors.js';
import type { StepRun, StepValue } from './step-run.js';

/** A pre-flight gate: evaluates once; a condition that does not hold fails with `precondition-failed`. */
export async function runCheckStep(run: StepRun, step: CheckStep): Promise<Result<StepValue, FailoverError>> {
  const observed = await evaluateCheck(run, step.check);
  if (observed.isErr()) return err(observed.error);
  const { passed, actual, expected, summary } = observed.value;
  if (run.ctx.dryRun && passed) {
    return ok({ changed: false, diff: { type: 'check', passed, actual, expected, summary } });
  }
  if (!passed)
    return err(
      preconditionFailed(step.id, `check:${step.check.type}`, `Check ${step.id} failed: ${summary}.`),
    );
  return ok({ changed: false, ...(observed.value.evidence && { evidence: observed.value.evidence }) });
}
