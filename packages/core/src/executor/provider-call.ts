import { FailoverError } from '../errors/failover-error.js';
import { cancelledError, toFailoverError } from '../errors/to-failover-error.js';
import type { ApiCall, CallOptions } from '../providers/call-options.js';
import { isTransient, retryWithinDeadline } from '../providers/retry-within-deadline.js';
import { err, type Result } from '../result.js';
import { type CallCategory, providerCounts } from './call-counts.js';
import { recordCall, replayCall } from './durable-calls.js';
import type { CallScope } from './run-context.js';

/**
 * Calls one provider method safely: refuses once the scope is aborted (so a
 * step that timed out never makes another call), counts the call and the API
 * requests it reports, and turns a throw, a rejected promise or a malformed
 * return value into an `unexpected` error instead of crashing the run.
 *
 * A transient failure (throttled, unavailable) is retried here, as a budget of
 * time inside the step's deadline, rather than costing the step an attempt:
 * every provider method is idempotent by contract (an `ensure` observes first
 * and waits on an operation in flight), so calling it again is safe even when
 * the failed call had been applied. Adapters that retry each request already
 * (the AWS, Azure and GCP ones) rarely get here; custom adapters need not.
 *
 * @param provider the plan's name for the provider (what counts are keyed by)
 * @param identity the provider's own id (`aws.route53`), used in errors
 */
export async function callProvider<T>(
  scope: CallScope,
  provider: string,
  identity: string,
  category: CallCategory,
  operation: string,
  invoke: (options: CallOptions) => PromiseLike<Result<T, FailoverError>>,
): Promise<Result<T, FailoverError>> {
  const { ctx } = scope;
  const deadlineAt = Number.isFinite(scope.deadline) ? scope.deadline : undefined;
  return retryWithinDeadline((_attempt) => callOnce(scope, provider, identity, category, operation, invoke), {
    time: ctx.time,
    random: ctx.random,
    abortSignal: scope.signal,
    ...(deadlineAt !== undefined && { deadlineAt }),
    baseDelayMs: 500,
    shouldRetry: isTransient,
  });
}

async function callOnce<T>(
  scope: CallScope,
  provider: string,
  identity: string,
  category: CallCategory,
  operation: string,
  invoke: (options: CallOptions) => PromiseLike<Result<T, FailoverError>>,
): Promise<Result<T, FailoverError>> {
  if (scope.signal.aborted) return err(cancelledError('executor', operation));
  const total = scope.calls.total;
  const mine = providerCounts(scope.calls, provider);
  total[category]++;
  mine[category]++;
  const countApiCall = (call: ApiCall) => {
    total.apiCalls++;
    mine.apiCalls++;
    if (call?.mutating) {
      total.mutatingApiCalls++;
      mine.mutatingApiCalls++;
    }
  };
  const durable = scope.ctx.durableCalls;
  if (!durable) return invokeChecked(scope, identity, operation, invoke, countApiCall);
  // Made once across replays: a replay gets the recorded outcome and counts its requests again.
  const recorded = await durable.record(
    `${provider}.${operation}`,
    async () => {
      const apiCalls: ApiCall[] = [];
      const result = await invokeChecked(scope, identity, operation, invoke, (call) => {
        if (call)
          apiCalls.push({ provider: call.provider, operation: call.operation, mutating: call.mutating });
      });
      return recordCall(result, apiCalls);
    },
    scope.signal,
  );
  for (const call of recorded.apiCalls) countApiCall(call);
  return replayCall<T>(recorded);
}

/** Calls the method, turning a throw or a malformed return value into an `unexpected` error. */
async function invokeChecked<T>(
  scope: CallScope,
  identity: string,
  operation: string,
  invoke: (options: CallOptions) => PromiseLike<Result<T, FailoverError>>,
  onApiCall: (call: ApiCall) => void,
): Promise<Result<T, FailoverError>> {
  try {
    const result = await invoke({
      abortSignal: scope.signal,
      ...(Number.isFinite(scope.deadline) && { deadlineAt: scope.deadline }),
      onApiCall,
    });
    if (!isResult<T>(result)) {
      return err(
        new FailoverError({
          kind: 'unexpected',
          message: `${identity}.${operation} returned something that is not a Result.`,
          provider: identity,
          operation,
        }),
      );
    }
    if (result.isErr() && !FailoverError.isInstance(result.error)) {
      return err(toFailoverError(result.error, identity, operation));
    }
    return result;
  } catch (thrown) {
    return err(toFailoverError(thrown, identity, operation));
  }
}

function isResult<T>(value: unknown): value is Result<T, FailoverError> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { isErr?: unknown }).isErr === 'function' &&
    typeof (value as { isOk?: unknown }).isOk === 'function'
  );
}
