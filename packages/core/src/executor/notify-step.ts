import type { FailoverError } from '../errors/failover-error.js';
import { redact } from '../errors/redact.js';
import { deliverNotification } from '../notify/deliver-notification.js';
import { type Notification, runDedupKey } from '../notify/notification.js';
import { renderNotification } from '../notify/notification-templates.js';
import type { NotifyStep } from '../plan/step.js';
import { formatDuration } from '../report/format-duration.js';
import { ok, type Result } from '../result.js';
import type { RunContext } from './run-context.js';
import type { StepRun, StepValue } from './step-run.js';

/** Time a notify step spends retrying a failing channel unless its `timeoutMs` says otherwise. */
export const notifyBudgetMs = 30_000;

/**
 * Sends the message through the notifier, retrying a failing channel with
 * backoff for at most `notifyBudgetMs` (or the step's `timeoutMs`), so a dead
 * chat service delays the steps after it by seconds, not minutes. A message that
 * cannot be sent is a warning event, never a failed step. A dry-run sends nothing.
 * Validation guarantees a notifier is bound.
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
  const now = ctx.time.now();
  const budget = step.timeoutMs ?? notifyBudgetMs;
  const delivered = await deliverNotification(ctx.notifier, notificationOfStep(ctx, step, now), {
    time: ctx.time,
    random: ctx.random,
    abortSignal: run.signal,
    deadline: Math.min(run.deadline, now + budget),
    retry: {
      maxAttempts: step.retry?.maxAttempts ?? 10,
      baseDelayMs: step.retry?.baseDelayMs ?? 1_000,
      maxDelayMs: step.retry?.maxDelayMs ?? 10_000,
    },
  });
  if (delivered.isErr()) {
    const error = delivered.error;
    warn(run, `The message to ${step.channel} could not be sent: ${error.message}`, error);
  }
  return ok({ changed: false });
}

/** The notification a notify step sends: its stage's template when it names one, else its message. */
export function notificationOfStep(ctx: RunContext, step: NotifyStep, at: number): Notification {
  const { notice } = ctx;
  const base = {
    planId: ctx.planId,
    runId: ctx.runId,
    stepId: step.id,
    channel: step.channel,
    dedupKey: runDedupKey(ctx.planId, ctx.runId),
    at,
  };
  if (!step.stage) return { ...base, title: step.message, message: step.message, severity: 'info' };
  const elapsedMs = at - notice.startedAt;
  const rendered = renderNotification(
    step.stage,
    {
      planId: ctx.planId,
      planName: notice.planName,
      runId: ctx.runId,
      sourceRegion: notice.sourceRegion,
      targetRegion: notice.targetRegion,
      stepId: step.id,
      message: step.message,
      elapsedMs,
      ...(notice.objectiveRtoMs !== undefined && { objectiveRtoMs: notice.objectiveRtoMs }),
    },
    notice.templates,
  );
  return {
    ...base,
    ...rendered,
    stage: step.stage,
    facts: {
      from: notice.sourceRegion,
      to: notice.targetRegion,
      elapsed: formatDuration(elapsedMs),
    },
  };
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
