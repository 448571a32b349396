import type { ExecutorEvent, FailoverPlan, PlanStep } from '@failover/core';

/** An approval the run waits on, as the page shows it. */
export interface PendingApprovalView {
  stepId: string;
  message: string;
  since: number;
  /** How to grant it from outside the page. */
  grant: string;
  /**
   * One line per forced promotion the approval gates: its data-loss window, or that it is
   * unknown and why (the request's `dataLoss` summaries, the lines `approvalRequestText`
   * puts under the message). Absent when the approval gates none.
   */
  dataLoss?: string[];
}

/** One stage of the plan: a top-level step or group, and how far its leaf steps got. */
export interface StageProgress {
  id: string;
  total: number;
  succeeded: number;
  failed: number;
  running: number;
}

/** What the live status page shows: read-only, built only from the run's events. */
export interface StatusSnapshot {
  planId: string;
  planName: string;
  runId?: string;
  dryRun: boolean;
  /** `waiting` until the run starts; then `running`, then how it ended. */
  status: 'waiting' | 'running' | 'succeeded' | 'failed' | 'rolled-back' | 'cancelled';
  /** Clock times (the run's clock: the emulator's in a drill). */
  startedAt?: number;
  now: number;
  rtoObjectiveMs?: number;
  stages: StageProgress[];
  running: { stepId: string; kind: string; since: number }[];
  approvals: PendingApprovalView[];
  steps: { total: number; succeeded: number; failed: number; skipped: number };
  rollingBack: boolean;
}

/** Folds executor events into the page's snapshot. Pure apart from its own state. */
export interface StatusState {
  apply(event: ExecutorEvent): void;
  snapshot(now: number): StatusSnapshot;
}

/**
 * @param grantCommand how an operator grants a pending approval from outside the page
 *   (the page itself has no write actions), given the step id.
 */
export function createStatusState(plan: FailoverPlan, grantCommand: (stepId: string) => string): StatusState {
  const stageOf = new Map<string, string>();
  const stages = new Map<string, StageProgress>();
  for (const top of plan.steps) {
    const stage: StageProgress = { id: top.id, total: 0, succeeded: 0, failed: 0, running: 0 };
    stages.set(top.id, stage);
    for (const leaf of leavesOf(top)) {
      stageOf.set(leaf, top.id);
      stage.total += 1;
    }
  }
  const running = new Map<string, { stepId: string; kind: string; since: number }>();
  const approvals = new Map<string, PendingApprovalView>();
  const counts = { total: stageOf.size, succeeded: 0, failed: 0, skipped: 0 };
  let status: StatusSnapshot['status'] = 'waiting';
  let runId: string | undefined;
  let startedAt: number | undefined;
  let rollingBack = false;
  let dryRun = false;
  const stage = (stepId: string) => stages.get(stageOf.get(stepId) ?? '');

  return {
    apply(event) {
      switch (event.type) {
        case 'plan-start':
          status = 'running';
          runId = event.runId;
          dryRun = event.dryRun;
          startedAt ??= event.at;
          break;
        case 'step-start':
          running.set(event.stepId, { stepId: event.stepId, kind: event.kind, since: event.at });
          if (stage(event.stepId)) stage(event.stepId)!.running += 1;
          break;
        case 'step-end': {
          if (running.delete(event.stepId) && stage(event.stepId)) stage(event.stepId)!.running -= 1;
          approvals.delete(event.stepId);
          const target = stage(event.stepId);
          if (event.status === 'succeeded') {
            counts.succeeded += 1;
            if (target) target.succeeded += 1;
          } else {
            counts.failed += 1;
            if (target) target.failed += 1;
          }
          break;
        }
        case 'step-skipped':
          counts.skipped += 1;
          if (event.reason === 'completed-earlier') {
            const target = stage(event.stepId);
            if (target) target.succeeded += 1;
          }
          break;
        case 'approval-request':
          approvals.set(event.stepId, {
            stepId: event.stepId,
            message: event.message,
            since: event.at,
            grant: grantCommand(event.stepId),
            // As read before asking and carried by the event: the page never reads a provider.
            ...(event.dataLoss?.length && { dataLoss: event.dataLoss.map((entry) => entry.summary) }),
          });
          break;
        case 'approval-decision':
          approvals.delete(event.stepId);
          break;
        case 'rollback-start':
          rollingBack = true;
          break;
        case 'rollback-end':
          rollingBack = false;
          break;
        case 'plan-end':
          status = event.status;
          running.clear();
          approvals.clear();
          for (const target of stages.values()) target.running = 0;
          break;
        default:
          break;
      }
    },
    snapshot(now) {
      return {
        planId: plan.id,
        planName: plan.name,
        ...(runId !== undefined && { runId }),
        dryRun,
        status,
        ...(startedAt !== undefined && { startedAt }),
        now,
        ...(plan.objectives?.rtoMs !== undefined && { rtoObjectiveMs: plan.objectives.rtoMs }),
        stages: [...stages.values()].map((entry) => ({ ...entry })),
        running: [...running.values()],
        approvals: [...approvals.values()].map((entry) => ({
          ...entry,
          ...(entry.dataLoss && { dataLoss: [...entry.dataLoss] }),
        })),
        steps: { ...counts },
        rollingBack,
      };
    },
  };
}

function leavesOf(step: PlanStep): string[] {
  return step.kind === 'group' ? step.steps.flatMap(leavesOf) : [step.id];
}
