import {
  cancelledError,
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
import type { PendingApproval } from './pending-approval.js';
import { restateDurableCalls } from './restate-durable-calls.js';
import { type CancelRequest, cancelPromiseName, runCancellation } from './run-cancellation.js';

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
  /** The approval steps waiting for an answer now (`approve`). */
  awaitingApproval?: string[];
  /** The same approvals as they were asked: the question and the data-loss window of each gated promotion. */
  pendingApprovals?: PendingApproval[];
}

/** What `status` answers. */
export interface RunStatusAnswer {
  state: 'not-started' | 'running' | 'finished';
  status?: RunStatus;
  ended: RunProgress['ended'];
  /** The approval steps the run waits on now. */
  awaitingApproval?: string[];
  /** The approvals the run waits on now, as asked (question, data-loss windows): what `failover approve <run>` lists. */
  pendingApprovals?: PendingApproval[];
  /** The Restate invocation id of the run (what the admin API cancels), once it started. */
  invocationId?: string;
  /** Whether a cancel was asked for (it may not have taken effect yet). */
  cancelRequested?: boolean;
}

/** Who asks a run to stop, given to `cancel`. */
export interface CancelInput {
  by?: string;
}

/** What `cancel` answers. */
export interface CancelAnswer {
  /** True if this call asked for the cancel; false if the run had finished or was asked already. */
  requested: boolean;
  state: RunStatusAnswer['state'];
  /** The finished run's status, when it had finished. */
  status?: RunStatus;
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
        // What `cancel` (and the admin API) cancels: this invocation.
        ctx.set('invocation', ctx.request().id);
        const cancellation = runCancellation();
        // A cancel asked for before the run started: the run starts cancelled and does nothing.
        const asked = await ctx
          .promise<CancelRequest>(cancelPromiseName)
          .peek()
          .catch((thrown: unknown) => {
            if (!cancellation.caught(thrown)) throw thrown;
            return {};
          });
        if (asked !== undefined) cancellation.abort();
        const clock = await createDurableClock(ctx, source, options.timeScale ?? 1, cancellation);
        const calls = restateDurableCalls(ctx, clock, source, workerId, cancellation, options.timeScale ?? 1);
        // What `status` answers while the run goes on: state written as steps end, journaled by Restate.
        const ended: RunProgress['ended'] = [];
        // By step id, as each approval-request event asked: its data-loss reads are durable
        // calls, so a replay rebuilds the same entries without calling a provider again.
        const awaiting = new Map<string, PendingApproval>();
        ctx.set<RunProgress>('progress', { planId: plan.id, ended });
        const result = await runPlan(plan, {
          ...options.runOptions,
          providers: options.providers,
          time: clock.time,
          runId: ctx.key,
          abortSignal: cancellation.signal,
          concurrency: 1,
          random: () => ctx.rand.random(),
          durableCalls: calls,
          approver: durableApprover(ctx, calls, request.approve, cancellation),
          // Queued with the calls: the pre-check pass may probe while it reads providers.
          httpProbe: (url, probeOptions) =>
            calls
              .exclusive(() => ctx.run(`http ${url}`, () => probe(url, probeOptions)))
              .catch((thrown: unknown) => {
                if (cancellation.caught(thrown)) throw cancelledError('restate', `http ${url}`, thrown);
                throw thrown;
              }),
          onEvent: (event) => {
            if (event.type === 'approval-request')
              awaiting.set(event.stepId, {
                stepId: event.stepId,
                message: event.message,
                since: event.at,
                timeoutMs: event.timeoutMs,
                ...(event.dataLoss?.length && { dataLoss: event.dataLoss }),
              });
            else if (event.type === 'step-end') {
              awaiting.delete(event.stepId);
              ended.push({ stepId: event.stepId, status: event.status, at: event.at });
            } else return;
            ctx.set<RunProgress>('progress', {
              planId: plan.id,
              ended,
              ...(awaiting.size > 0 && {
                awaitingApproval: [...awaiting.keys()],
                pendingApprovals: [...awaiting.values()],
              }),
            });
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
        const invocationId = await ctx.get<string>('invocation');
        const cancelRequested = (await ctx.promise<CancelRequest>(cancelPromiseName).peek()) !== undefined;
        const known = {
          ended: progress?.ended ?? [],
          ...(progress?.awaitingApproval && !outcome && { awaitingApproval: progress.awaitingApproval }),
          ...(progress?.pendingApprovals && !outcome && { pendingApprovals: progress.pendingApprovals }),
          ...(invocationId !== null && { invocationId }),
          ...(cancelRequested && { cancelRequested }),
        };
        if (outcome) return { state: 'finished', status: outcome.status, ...known };
        return { state: progress ? 'running' : 'not-started', ...known };
      },

      /**
       * Asks the run to stop: marks it (the `cancel` promise, which a run not yet started
       * reads first) and cancels its invocation through Restate. The run ends `cancelled`
       * as a local run does on Ctrl-C: it stops waiting and rolls nothing back (a resume
       * or a new run of the plan takes it from there). A run that finished, or was asked
       * already, is left alone.
       */
      cancel: async (ctx: restate.WorkflowSharedContext, input?: CancelInput): Promise<CancelAnswer> => {
        const outcome = await ctx.get<RunOutcome>('outcome');
        if (outcome) return { requested: false, state: 'finished', status: outcome.status };
        const marker = ctx.promise<CancelRequest>(cancelPromiseName);
        if ((await marker.peek()) !== undefined) return { requested: false, state: 'running' };
        try {
          await marker.resolve(input?.by !== undefined ? { by: input.by } : {});
        } catch (thrown) {
          // Another cancel resolved it first.
          if (thrown instanceof restate.TerminalError) return { requested: false, state: 'running' };
          throw thrown;
        }
        const invocationId = await ctx.get<restate.InvocationId>('invocation');
        if (invocationId === null) return { requested: true, state: 'not-started' };
        ctx.invocation(invocationId).cancel();
        return { requested: true, state: 'running' };
      },

      /** The finished run's outcome, or null while it runs. */
      outcome: async (ctx: restate.WorkflowSharedContext): Promise<RunOutcome | null> =>
        (await ctx.get<RunOutcome>('outcome')) ?? null,
    },
  });
}

/** The workflow's type, for typed clients (`ingress.workflowClient<FailoverWorkflow>(...)`). */
export type FailoverWorkflow = ReturnType<typeof failoverWorkflow>;
