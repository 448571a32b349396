import { type FailoverError, FailoverError as Failure, ResultAsync } from '@failover/core';
import * as clients from '@restatedev/restate-sdk-clients';
import {
  type ApprovalInput,
  type CancelAnswer,
  type CancelInput,
  type FailoverWorkflow,
  failoverWorkflowName,
  type RunOutcome,
  type RunRequest,
  type RunStatusAnswer,
} from './failover-workflow.js';

/** Submits runs to a Restate ingress and follows them. Every call is a Result. */
export interface FailoverRunClient {
  /** Starts run `runId` (submitting the same id again is a no-op: Restate runs a workflow key once). */
  submit(runId: string, request: RunRequest): ResultAsync<void, FailoverError>;
  /** Waits for run `runId` to finish, and returns its outcome. */
  attach(runId: string): ResultAsync<RunOutcome, FailoverError>;
  /** Gives or refuses an approval run `runId` waits for. */
  approve(runId: string, input: ApprovalInput): ResultAsync<void, FailoverError>;
  /** How far run `runId` is: the steps ended so far, and its status once finished. */
  status(runId: string): ResultAsync<RunStatusAnswer, FailoverError>;
  /** The finished outcome of run `runId`, or null while it runs. */
  outcome(runId: string): ResultAsync<RunOutcome | null, FailoverError>;
  /** Asks run `runId` to stop (it ends `cancelled`, rolling nothing back); a finished run is left alone. */
  cancel(runId: string, input?: CancelInput): ResultAsync<CancelAnswer, FailoverError>;
}

/** A client of the failover workflow behind the Restate ingress at `ingressUrl`. */
export function failoverRunClient(ingressUrl: string): FailoverRunClient {
  const ingress = clients.connect({ url: ingressUrl });
  const workflow = (runId: string) =>
    ingress.workflowClient<FailoverWorkflow>({ name: failoverWorkflowName } as never, runId);
  const call = <T>(operation: string, work: () => PromiseLike<T>) =>
    ResultAsync.fromPromise(Promise.resolve().then(work), (cause: unknown) =>
      Failure.isInstance(cause)
        ? cause
        : new Failure({
            kind: 'unavailable',
            message: `restate ${operation} failed: ${cause instanceof Error ? cause.message : String(cause)}`,
            provider: 'restate',
            operation,
            retryable: true,
            cause,
          }),
    );
  return {
    submit: (runId, request) =>
      call('submit', async () => {
        await workflow(runId).workflowSubmit(request);
      }),
    attach: (runId) => call('attach', () => workflow(runId).workflowAttach()),
    approve: (runId, input) => call('approve', () => workflow(runId).approve(input)),
    status: (runId) => call('status', () => workflow(runId).status()),
    outcome: (runId) => call('outcome', () => workflow(runId).outcome()),
    cancel: (runId, input = {}) => call('cancel', () => workflow(runId).cancel(input)),
  };
}
