import type { FailoverError } from '../errors/failover-error.js';
import { approvalRequestText } from '../executor/approval-data-loss-text.js';
import type { ExecutorEvent } from '../executor/executor-event.js';
import type { FailoverPlan } from '../plan/failover-plan.js';
import type { RetryPolicy } from '../plan/step.js';
import { formatDuration } from '../report/format-duration.js';
import type { Time } from '../time/time.js';
import type { AnyNotifier } from './any-notifier.js';
import { deliverNotification } from './deliver-notification.js';
import { type Notification, runDedupKey } from './notification.js';
import type { NotificationData } from './notification-data.js';
import type { NotificationStage } from './notification-stage.js';
import { type NotificationTemplates, renderNotification } from './notification-templates.js';
import { toNotifierV1 } from './to-notifier-v1.js';

/** Options of `notifyRunEvents`. */
export interface RunEventNotificationsOptions {
  /** The channel every stage message goes to, e.g. `slack:#incidents` or `pagerduty`. */
  channel: string;
  /** The plan being run: its name, regions and RTO objective fill the templates. */
  plan: Pick<FailoverPlan, 'id' | 'name' | 'sourceRegion' | 'targetRegion' | 'objectives'>;
  /** The run's clock (the backoff sleeps on it). */
  time: Time;
  /** `failback`: the run's start and end are failback stages. Default `failover`. */
  direction?: 'failover' | 'failback';
  /** Stages to send. Default: all the run can produce. */
  stages?: readonly NotificationStage[];
  templates?: NotificationTemplates;
  /** Default: 5 attempts, 1 s base, 10 s cap. */
  retry?: Required<RetryPolicy>;
  /** Time spent retrying one message. Default 60 s. */
  budgetMs?: number;
  random?: () => number;
  /** A message that could not be delivered (after its retries). */
  onFailure?: (stage: NotificationStage, error: FailoverError) => void;
}

/** What happened to each stage message. */
export interface StageDelivery {
  stage: NotificationStage;
  error?: FailoverError;
}

/** The listener to pass as (or call from) `RunOptions.onEvent`. */
export interface RunEventNotifications {
  onEvent(event: ExecutorEvent): void;
  /** Resolves when every message sent so far is delivered or given up on. */
  settled(): Promise<StageDelivery[]>;
}

/**
 * Announces a run's stages from its events, without a notify step in the plan:
 * the start (`failover-started`), an approval it waits on (`approval-needed`,
 * with the question and, under it, the data-loss window of each forced
 * promotion it gates), and the end: `failover-completed` with the achieved
 * time, or `failover-failed` with the failing step and its error. Delivery happens in
 * the background, in order (each message after the previous one is delivered or
 * given up on, its retry budget counted from then), and never slows the run;
 * call `settled()` before exiting. A dry-run sends nothing.
 */
export function notifyRunEvents(
  notifier: AnyNotifier,
  options: RunEventNotificationsOptions,
): RunEventNotifications {
  const target = toNotifierV1(notifier);
  const failback = options.direction === 'failback';
  const wanted = options.stages ? new Set(options.stages) : undefined;
  const pending: Promise<StageDelivery>[] = [];
  let dryRun = false;
  let startedAt: number | undefined;
  let failed: { stepId: string; error?: string } | undefined;

  const send = (stage: NotificationStage, event: ExecutorEvent, extra: Partial<NotificationData>) => {
    if (dryRun || (wanted && !wanted.has(stage))) return;
    const { plan } = options;
    const data: NotificationData = {
      planId: plan.id,
      planName: plan.name,
      runId: event.runId,
      sourceRegion: plan.sourceRegion,
      targetRegion: plan.targetRegion,
      stepId: 'stepId' in event && event.stepId ? event.stepId : 'run',
      ...(startedAt !== undefined && { elapsedMs: event.at - startedAt }),
      ...(plan.objectives?.rtoMs !== undefined && { objectiveRtoMs: plan.objectives.rtoMs }),
      ...extra,
    };
    const notification: Notification = {
      planId: plan.id,
      runId: event.runId,
      stepId: data.stepId,
      channel: options.channel,
      dedupKey: runDedupKey(plan.id, event.runId),
      at: event.at,
      stage,
      ...renderNotification(stage, data, options.templates),
      facts: facts(data),
    };
    // In order, one at a time: an acknowledge must not overtake the trigger it acknowledges.
    const delivery = (pending.at(-1) ?? Promise.resolve()).then(() =>
      deliverNotification(target, notification, {
        time: options.time,
        retry: options.retry ?? { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 10_000 },
        deadline: options.time.now() + (options.budgetMs ?? 60_000),
        ...(options.random && { random: options.random }),
      }).match(
        (): StageDelivery => ({ stage }),
        (error): StageDelivery => {
          options.onFailure?.(stage, error);
          return { stage, error };
        },
      ),
    );
    pending.push(delivery);
  };

  return {
    onEvent(event) {
      switch (event.type) {
        case 'plan-start':
          dryRun = event.dryRun;
          startedAt = event.at;
          send(failback ? 'failback-started' : 'failover-started', event, {});
          return;
        case 'step-end':
          if (event.status === 'failed' && !failed) {
            failed = { stepId: event.stepId, ...(event.error && { error: event.error.message }) };
          }
          return;
        case 'approval-request':
          // The data-loss window of each forced promotion it gates, one line each, under the question.
          send('approval-needed', event, {
            message: approvalRequestText(event),
            ...(event.dataLoss && { dataLoss: event.dataLoss }),
          });
          return;
        case 'plan-end':
          if (event.status === 'succeeded') {
            send(failback ? 'failback-completed' : 'failover-completed', event, {
              elapsedMs: event.durationMs,
            });
          } else if (event.status !== 'cancelled') {
            send('failover-failed', event, {
              elapsedMs: event.durationMs,
              failedStep: failed?.stepId ?? 'unknown',
              error: failed?.error ?? event.error?.message ?? `the run ended ${event.status}`,
              ...(event.status === 'rolled-back' && { message: 'The completed steps were rolled back.' }),
            });
          }
          return;
        default:
          return;
      }
    },
    settled: () => Promise.all(pending),
  };
}

function facts(data: NotificationData): Record<string, string> {
  return {
    from: data.sourceRegion,
    to: data.targetRegion,
    ...(data.elapsedMs !== undefined && { elapsed: formatDuration(data.elapsedMs) }),
    ...(data.failedStep && { 'failed step': data.failedStep }),
  };
}
