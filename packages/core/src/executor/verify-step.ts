import type { FailoverError } from '../errors/failover-error.js';
import type { VerifyStep } from '../plan/step.js';
import { pollUntil } from '../providers/poll-until.js';
import { err, errAsync, ok, type Result, ResultAsync } from '../result.js';
import { evaluateCheck } from './evaluate-check.js';
import { remainingMs } from './run-context.js';
import type { StepRun, StepValue } from './step-run.js';

/**
 * Polls the check every `intervalMs` (default 5 s) until it holds (and, with
 * `holdForMs`, has held that long without a break), or fails with `timeout` at
 * the step's deadline. A retryable observation error is
 * polled through; any other ends the step. A dry-run observes once.
 */
export async function runVerifyStep(
  run: StepRun,
  step: VerifyStep,
): Promise<Result<StepValue, FailoverError>> {
  if (run.ctx.dryRun) {
    const observed = await evaluateCheck(run, step.check);
    if (observed.isErr()) return err(observed.error);
    const { passed, actual, expected, summary } = observed.value;
    return ok({ changed: false, diff: { type: 'verify', passesNow: passed, actual, expected, summary } });
  }
  const interval = step.intervalMs ?? 5_000;
  const holdForMs = step.holdForMs ?? 0;
  // When the condition began to hold without a break (holdForMs: it must hold that long).
  let holdingSince: number | undefined;
  const verified = await pollUntil({
    time: run.ctx.time,
    provider: 'executor',
    operation: `verify:${step.check.type}`,
    timeoutMs: remainingMs(run),
    pollIntervalMs: interval,
    maxIntervalMs: interval,
    abortSignal: run.signal,
    poll: () =>
      new ResultAsync(evaluateCheck(run, step.check))
        .map((observation) => {
          run.lastStatus = observation.summary;
          if (!observation.passed) {
            holdingSince = undefined;
            return { done: false as const, status: observation.summary };
          }
          const now = run.ctx.time.now();
          holdingSince ??= now;
          if (now - holdingSince >= holdForMs) return { done: true as const, value: observation };
          const status = `${observation.summary}; held ${now - holdingSince} of ${holdForMs} ms`;
          run.lastStatus = status;
          return { done: false as const, status };
        })
        .orElse((error) => {
          // An observation that failed proves nothing held: the hold starts again.
          holdingSince = undefined;
          return errAsync(error);
        }),
  });
  if (verified.isErr()) return err(verified.error);
  return ok({ changed: false });
}
