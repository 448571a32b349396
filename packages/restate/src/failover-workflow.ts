import {
  type FailoverPlan,
  fetchProbe,
  type HttpProbe,
  type ProviderRegistry,
  type RunOptions,
  type RunReport,
  type RunStatus,
  runPlan,
} from '@failover/core';
import * as restate from '@restatedev/restate-sdk';
import { approvalPromiseName, durableApprover } from './durable-approver.js';
import { type ClockSource, createDurableClock } from './durable-clock.js';
import { restateDurableCalls } from './restate-durable-calls.js';

/** The Restate service name of the workflow; a run is one workflow instance keyed by its run id. */
export const failoverWorkflowName = 'failover-run';

/** What `run` is submitted with. */
export interface RunRequest {
  /** Which of the worker's plans to run. */
  planId: string;
  /** Approval steps approved up front (`*` for all); the others wait for `approve`. */
  approve?: string[];
}

/** An approval given or refused through the `approve` handler. */
export interface ApprovalInput {
  stepId: string;
  approved: boolean;
  by?: string;
  reason?: string;
}

/** What a finished run returns, and `outcome` answers. */
export interface RunOutcome {
  runId: string;
  planId: string;
  status: RunStatus;
  report: RunReport;
  /** The workers that made the run's provider calls, in order (one per stretch). */
  workers: string[];
}

/** The steps that ended so far, as `status` reports them. */
export interface RunProgress {
  planId: string;
  ended: Array<{ stepId: string; status: string; at: number }>;
}

/** What `status` answers. */
export interface RunStatusAnswer {
  state: 'not-started' | 'running' | 'finished';
  status?: RunStatus;
  ended: RunProgress['ended'];
}

export interface FailoverWorkflowOptions {
  /** The plans this worker can run, by id (every worker of a deployment serves the same ones). */
  plans: readonly FailoverPlan[];
  /** The providers the plans name. Built once per worker. */
  providers: ProviderRegistry;
  /** Names this worker in `RunOutcome.workers` (default: its process id). */
  workerId?: string;
  /** Where the run's clock starts and what each call's end time is read from. Default: the wall clock. */
  clock?: ClockSource;
  /** How much faster than the wall clock `clock` runs (an emulator's time scale). Default 1. */
  timeScale?: number;
  /** Performs `http` checks, each journaled. Default: a GET with global fetch. */
  httpProbe?: HttpProbe;
  /** Passed to `runPlan` as they are (retry policy, default timeout, notifier...). */
  runOptions?: Pick<RunOptions, 'defaultRetry' | 'defaultTimeoutMs' | 'notifier' | 'signals' | 'capacity'>;
}

/**
 * A plan run as a Restate workflow: the same `runPlan`, with every provider call, clock
 * reading, sleep, random draw, probe and approval made durable by Restate. A worker that
 * dies is replaced by another, which replays the journal (no completed call is made
 * again) and carries on from the call that was in flight.
 *
 * Steps run one at a time (`concurrency: 1`): a replay must make its durable calls in
 * the order the first execution made them, and with steps in parallel that order would
 * depend on which answer arrived first, which a replay cannot reproduce.
 */
export function failoverWorkflow(options: FailoverWorkflowOptions) {
  const plans = new Map(options.plans.map((plan) => [plan.id, plan]));
  const workerId = options.workerId ?? `worker-${process.pid}`;
  const source = options.clock ?? { now: () => Date.now() };
  const probe = options.httpProbe ?? fetchProbe;
  return restate.workflow({
    name: failoverWorkflowName,
    handlers: {
      run: async (ctx: restate.WorkflowContext, request: RunRequest): Promise<RunOutcome> => {
        const plan = plans.get(request?.planId);
        if (!plan) {
          throw new restate.TerminalError(
            `This worker has no plan "${String(request?.planId)}" (it has: ${[...plans.keys()].join(', ') || 'none'}).`,
          );
        }
        const clock = await createDurableClock(ctx, source, options.timeScale ?? 1);
        const calls = restateDurableCalls(ctx, clock, source, workerId);
        // What `status` answers while the run goes on: state written as steps end, journaled by Restate.
        const ended: RunProgress['ended'] = [];
        ctx.set<RunProgress>('progress', { planId: plan.id, ended });
        const result = await runPlan(plan, {
          ...options.runOptions,
          providers: options.providers,
          time: clock.time,
          runId: ctx.key,
          concurrency: 1,
          random: () => ctx.rand.random(),
          durableCalls: calls,
          approver: durableApprover(ctx, request.approve),
          httpProbe: (url, probeOptions) => ctx.run(`http ${url}`, () => probe(url, probeOptions)),
          onEvent: (event) => {
            if (event.type !== 'step-end') return;
            ended.push({ stepId: event.stepId, status: event.status, at: event.at });
            ctx.set<RunProgress>('progress', { planId: plan.id, ended });
          },
        });
        if (result.isErr()) throw new restate.TerminalError(result.error.message);
        const outcome: RunOutcome = {
          runId: ctx.key,
          planId: plan.id,
          status: result.value.status,
          report: JSON.parse(JSON.stringify(result.value.report)) as RunReport,
          workers: [...calls.workers],
        };
        ctx.set('outcome', outcome);
        return outcome;
      },

      /** Gives or refuses an approval the run waits for (or will wait for). */
      approve: async (ctx: restate.WorkflowSharedContext, input: ApprovalInput): Promise<void> => {
        if (typeof input?.stepId !== 'string') throw new restate.TerminalError('approve needs a stepId.');
        await ctx
          .promise(approvalPromiseName(input.stepId))
          .resolve(
            input.approved
              ? { approved: true, ...(input.by !== undefined && { by: input.by }) }
              : { approved: false, ...(input.reason !== undefined && { reason: input.reason }) },
          );
      },

      /** How far the run is: the steps that ended so far, and the outcome once it finished. */
      status: async (ctx: restate.WorkflowSharedContext): Promise<RunStatusAnswer> => {
        const outcome = await ctx.get<RunOutcome>('outcome');
        const progress = await ctx.get<RunProgress>('progress');
        if (outcome) return { state: 'finished', status: outcome.status, ended: progress?.ended ?? [] };
        return { state: progress ? 'running' : 'not-started', ended: progress?.ended ?? [] };
      },

      /** The finished run's outcome, or null while it runs. */
      outcome: async (ctx: restate.WorkflowSharedContext): Promise<RunOutcome | null> =>
        (await ctx.get<RunOutcome>('outcome')) ?? null,
    },
  });
}

/** The workflow's type, for typed clients (`ingress.workflowClient<FailoverWorkflow>(...)`). */
export type FailoverWorkflow = ReturnType<typeof failoverWorkflow>;
