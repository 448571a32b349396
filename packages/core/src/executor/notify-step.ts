import type { FailoverError } from '../errors/failover-error.js';
import { redact } from '../errors/redact.js';
import { toFailoverError } from '../errors/to-failover-error.js';
import type { NotifyStep } from '../plan/step.js';
import { ok, type Result } from '../result.js';
import type { StepRun, StepValue } from './step-run.js';

/**
 * Sends the message through the notifier. A notification that cannot be sent
 * (no notifier, or it failed) is a warning event, never a failed step. A
 * dry-run sends nothing.
 */
export async function runNotifyStep(
  run: StepRun,
  step: NotifyStep,
): Promise<Result<StepValue, FailoverError>> {
  const { ctx } = run;
  if (ctx.dryRun) {
    return ok({
      changed: false,
      diff: { type: 'notify', wouldNotify: { channel: step.channel, message: step.message } },
    });
  }
  if (!ctx.notifier) {
    warn(run, `No notifier was configured; the message to ${step.channel} was not sent.`);
    return ok({ changed: false });
  }
  try {
    await ctx.notifier({ planId: ctx.planId, stepId: step.id, channel: step.channel, message: step.message });
  } catch (thrown) {
    const error = toFailoverError(thrown, 'notifier', 'notify');
    warn(run, `The message to ${step.channel} could not be sent: ${error.message}`, error);
  }
  return ok({ changed: false });
}

function warn(run: StepRun, message: string, error?: FailoverError): void {
  const safe = redact(message);
  run.warnings ??= [];
  run.warnings.push(safe);
  const { ctx } = run;
  if (ctx.listening) {
    ctx.emit({
      type: 'warning',
      runId: ctx.runId,
      at: ctx.time.now(),
      stepId: run.step.id,
      message: safe,
      ...(error && { error: error.toJSON() }),
    });
  }
}
