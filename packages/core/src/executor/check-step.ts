import type { FailoverError } from '../errors/failover-error.js';
import { cancelledError } from '../errors/to-failover-error.js';
import type { CheckStep } from '../plan/step.js';
import { err, ok, type Result } from '../result.js';
import { type CheckObservation, evaluateCheck } from './evaluate-check.js';
import { preconditionFailed } from './executor-errors.js';
import type { StepRun, StepValue } from './step-run.js';

/**
 * A pre-flight gate: evaluates once (with `holdForMs`, again every `intervalMs` until
 * it held that long); a condition that does not hold fails with `precondition-failed`.
 */
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
  if (!run.ctx.dryRun && (step.holdForMs ?? 0) > 0) return holdCheck(run, step, observed.value);
  return ok({ changed: false, ...(observed.value.evidence && { evidence: observed.value.evidence }) });
}

/** `holdForMs`: observes again every `intervalMs` until the hold is over; one break fails the step. */
async function holdCheck(
  run: StepRun,
  step: CheckStep,
  first: CheckObservation,
): Promise<Result<StepValue, FailoverError>> {
  const started = run.ctx.time.now();
  const holdForMs = step.holdForMs ?? 0;
  const interval = step.intervalMs ?? 5_000;
  let last = first;
  while (run.ctx.time.now() - started < holdForMs) {
    const left = holdForMs - (run.ctx.time.now() - started);
    await run.ctx.time.sleep(Math.min(interval, left), run.signal);
    if (run.signal.aborted) return err(cancelledError('executor', `check:${step.check.type}`));
    const observed = await evaluateCheck(run, step.check);
    if (observed.isErr()) return err(observed.error);
    last = observed.value;
    run.lastStatus = `${last.summary}; held ${run.ctx.time.now() - started} of ${holdForMs} ms`;
    if (!last.passed) {
      return err(
        preconditionFailed(
          step.id,
          `check:${step.check.type}`,
          `Check ${step.id} stopped holding after ${run.ctx.time.now() - started} ms of ${holdForMs} ms: ${last.summary}.`,
        ),
      );
    }
  }
  return ok({ changed: false, ...(last.evidence && { evidence: last.evidence }) });
}
