import type { FailoverError } from '../errors/failover-error.js';
import { cancelledError, toFailoverError } from '../errors/to-failover-error.js';
import type { ApprovalStep } from '../plan/step.js';
import { err, ok, type Result } from '../result.js';
import { observeGatedDataLoss } from './approval-data-loss.js';
import type { ApprovalDecision } from './approver.js';
import { preconditionFailed } from './executor-errors.js';
import type { StepRun, StepValue } from './step-run.js';

/**
 * Asks the approver, after reading the data-loss window of each forced database
 * promotion waiting on the approval (`ApprovalRequest.dataLoss`). A denial fails
 * the step with `precondition-failed`; so does no answer within `timeoutMs` (the
 * step's deadline, turned into a denial by `approvalTimedOut`). A dry-run does
 * not ask (nor read): it reports that it would.
 */
export async function runApprovalStep(
  run: StepRun,
  step: ApprovalStep,
): Promise<Result<StepValue, FailoverError>> {
  const { ctx } = run;
  if (ctx.dryRun)
    return ok({ changed: false, diff: { type: 'approval', wouldAsk: true, message: step.message } });

  // Whoever approves losing data sees how much first (or that nobody knows).
  const gated = ctx.forcedStepsByApproval?.get(step.id);
  const dataLoss = gated && gated.length > 0 ? await observeGatedDataLoss(run, gated) : undefined;
  if (run.signal.aborted || run.finished) return err(cancelledError('executor', 'approval'));

  if (ctx.listening) {
    ctx.emit({
      type: 'approval-request',
      runId: ctx.runId,
      at: ctx.time.now(),
      stepId: step.id,
      message: step.message,
      timeoutMs: step.timeoutMs,
      ...(dataLoss && { dataLoss }),
    });
  }
  // A human may take minutes: whatever the journal holds is on disk before the wait.
  if (!(await ctx.flushJournal())) return err(ctx.fatal ?? cancelledError('executor', 'approval'));
  let decision: ApprovalDecision;
  try {
    decision = await ctx.approver({
      planId: ctx.planId,
      stepId: step.id,
      message: step.message,
      timeoutMs: step.timeoutMs,
      ...(dataLoss && { dataLoss }),
      abortSignal: run.signal,
    });
  } catch (thrown) {
    return err(toFailoverError(thrown, 'approver', 'approve'));
  }
  // An answer after the deadline or a cancel does not count.
  if (run.signal.aborted || run.finished) return err(cancelledError('executor', 'approval'));

  const approved = decision?.approved === true;
  const by = approved && 'by' in decision ? decision.by : undefined;
  const reason = !approved ? ((decision as { reason?: string } | undefined)?.reason ?? 'denied') : undefined;
  emitDecision(run, approved, by, reason);
  if (approved) return ok({ changed: false });
  return err(preconditionFailed(step.id, 'approval', `Approval ${step.id} was denied: ${sentence(reason)}`));
}

/** The denial an approval step ends with when nobody answered in time. */
export function approvalTimedOut(run: StepRun, step: ApprovalStep): FailoverError {
  const reason = `no answer within ${step.timeoutMs} ms`;
  emitDecision(run, false, undefined, reason);
  return preconditionFailed(step.id, 'approval', `Approval ${step.id} was denied: ${sentence(reason)}`);
}

function emitDecision(run: StepRun, approved: boolean, by: string | undefined, reason: string | undefined) {
  const { ctx } = run;
  if (!ctx.listening) return;
  ctx.emit({
    type: 'approval-decision',
    runId: ctx.runId,
    at: ctx.time.now(),
    stepId: run.step.id,
    approved,
    ...(by !== undefined && { by }),
    ...(reason !== undefined && { reason }),
  });
}

/** An approver's reason as the end of a sentence: one full stop, whether or not it brought its own. */
function sentence(reason: string | undefined): string {
  const text = (reason ?? 'denied').trim();
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
