import {
  attempt,
  type CallOptions,
  cancelledError,
  err,
  type FailoverError,
  type FailoverResult,
  isTransient,
  ok,
  type PollOutcome,
  pollUntil,
  type Result,
  retryWithinDeadline,
  type Time,
  type WaitOptions,
} from '@failover/core';
import type { AwsClients, AwsSdkModules } from './aws-clients.js';
import { type AwsErrorContext, mapAwsError } from './aws-error.js';
import type { AwsRateBudget } from './aws-rate-budget.js';
import type { AwsService } from './aws-settings.js';

/** The structural bits of an SDK client and command the call helper needs. */
interface SdkClient {
  send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}
interface SdkCommand {
  middlewareStack: {
    add(middleware: unknown, options: { step: string; priority?: string; name?: string }): void;
  };
}

export interface AwsRequest<S extends AwsService> {
  /** The provider id for errors and `onApiCall`, e.g. `aws.route53`. */
  provider: string;
  service: S;
  /** Region of the call (ignored for Route 53, which is global). */
  region: string;
  /** The AWS operation, e.g. `GetChange`. */
  operation: string;
  mutating: boolean;
}

/**
 * Sends one SDK command: reports every HTTP attempt (the SDK's retries
 * included) through `onApiCall`, takes a token from the account's rate budget
 * before each attempt, and retries transient failures with `retryWithinDeadline`
 * on the injected clock, inside the call's `deadlineAt`: a read on any
 * throttling, 5xx, reset or timeout; a mutation only when it was throttled
 * (refused, so not applied: any other failure of a mutation may have been
 * applied, and goes back to the caller, whose ensure observes before acting
 * again). A throttle also holds the whole account's budget for its
 * Retry-After. Throws a `FailoverError`; the public methods turn it into a
 * Result with `attempt()`.
 */
export async function awsSend<TOutput, S extends AwsService = AwsService>(
  clients: AwsClients,
  request: AwsRequest<S>,
  build: (sdk: AwsSdkModules[S]) => unknown,
  options: CallOptions = {},
): Promise<TOutput> {
  const { runtime } = clients;
  const { abortSignal } = options;
  const budget = runtime.budgets.get(request.service, clients.account);
  const { maxAttempts, baseDelayMs, maxDelayMs, random } = runtime.retry;
  const result = await retryWithinDeadline<TOutput>(
    (attemptNumber) => sendOnce<TOutput, S>(clients, request, build, options, budget, attemptNumber),
    {
      time: runtime.time,
      baseDelayMs,
      maxDelayMs,
      random,
      ...(abortSignal && { abortSignal }),
      ...(options.deadlineAt !== undefined && { deadlineAt: options.deadlineAt }),
      shouldRetry: (error) => isTransient(error) && (error.kind === 'throttled' || !request.mutating),
      maxAttempts,
      onRetry: ({ error, delayMs }) => {
        if (error.kind === 'throttled') budget.hold(error.retryAfterMs ?? delayMs);
      },
    },
  );
  if (abortSignal?.aborted) throw cancelledError(request.provider, request.operation, abortSignal.reason);
  if (result.isErr()) throw result.error;
  return result.value;
}

async function sendOnce<TOutput, S extends AwsService>(
  clients: AwsClients,
  request: AwsRequest<S>,
  build: (sdk: AwsSdkModules[S]) => unknown,
  options: CallOptions,
  budget: AwsRateBudget,
  attemptNumber: number,
): Promise<Result<TOutput, FailoverError>> {
  const { abortSignal, onApiCall } = options;
  if (abortSignal?.aborted)
    return err(cancelledError(request.provider, request.operation, abortSignal.reason));
  try {
    const { client, sdk } = await clients.get(request.service, request.region);
    const command = build(sdk) as SdkCommand;
    // A command-level middleware after the SDK's retry middleware runs once per HTTP attempt.
    command.middlewareStack.add(
      (next: (args: unknown) => Promise<unknown>) => async (args: unknown) => {
        await budget.take(abortSignal);
        onApiCall?.({
          provider: request.provider,
          operation: request.operation,
          mutating: request.mutating,
        });
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low', name: `failoverApiCall${attemptNumber}` },
    );
    return ok(
      (await (client as SdkClient).send(command, abortSignal ? { abortSignal } : undefined)) as TOutput,
    );
  } catch (thrown) {
    return err(mapAwsError(thrown, request));
  }
}

/**
 * Runs the body of one public provider method: an already-aborted call ends as
 * `cancelled` before any request, and whatever the body throws is mapped by the
 * one AWS error mapper. `call` is the caller's options bag, checked because
 * JavaScript callers may pass anything.
 */
export function runAwsMethod<T>(
  provider: string,
  operation: string,
  call: unknown,
  fn: (context: AwsErrorContext, call: CallOptions) => Promise<T>,
): FailoverResult<T> {
  const context = { provider, operation };
  return attempt(
    () => {
      const callOptions = typeof call === 'object' && call !== null ? (call as CallOptions) : {};
      if (callOptions.abortSignal?.aborted)
        throw cancelledError(provider, operation, callOptions.abortSignal.reason);
      return fn(context, callOptions);
    },
    context,
    (thrown) => mapAwsError(thrown, context),
  );
}

/**
 * Waits inside a provider method: `pollUntil` on the injected clock, with each
 * poll's throws mapped by the AWS error mapper, throwing the final error so the
 * enclosing `runAwsMethod` returns it as a Result.
 */
export async function awsPollUntil<T>(args: {
  time: Time;
  context: AwsErrorContext;
  wait: WaitOptions;
  /** Poll interval when neither the call nor the provider options set one (and no expected duration is known). */
  intervalMs: number;
  /** When the operation started, on `time`: the schedule counts its expected duration from it. */
  startedAt?: number;
  abortSignal?: AbortSignal;
  poll: () => Promise<PollOutcome<T>>;
}): Promise<T> {
  const { context } = args;
  const result = await pollUntil<T>({
    time: args.time,
    provider: context.provider,
    operation: context.operation,
    timeoutMs: args.wait.timeoutMs,
    pollIntervalMs: args.wait.pollIntervalMs ?? args.intervalMs,
    ...(args.wait.expectedDurationMs !== undefined && { expectedDurationMs: args.wait.expectedDurationMs }),
    ...(args.startedAt !== undefined && { startedAt: args.startedAt }),
    ...(args.abortSignal && { abortSignal: args.abortSignal }),
    poll: () => attempt(args.poll, context, (thrown) => mapAwsError(thrown, context)),
  });
  if (result.isErr()) throw result.error;
  return result.value;
}
