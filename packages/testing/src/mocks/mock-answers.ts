import {
  err,
  FailoverError,
  type FailoverResult,
  ok,
  type Result,
  ResultAsync,
  toFailoverError,
} from '@failover/core';

/**
 * How a mocked method answers one call:
 * - a value: the call succeeds with it;
 * - a `FailoverError`: the call fails with it;
 * - a function of the call's arguments returning either of those, a `Result`, or a promise of them.
 */
export type MockAnswer<TArgs extends unknown[], T> =
  | T
  | FailoverError
  | ((
      ...args: TArgs
    ) =>
      | T
      | FailoverError
      | Result<T, FailoverError>
      | PromiseLike<T | FailoverError | Result<T, FailoverError>>);

/** One answer for every call, or a list: one per call in order, the last repeating once the list runs out. */
export type MockAnswers<TArgs extends unknown[], T> =
  | MockAnswer<TArgs, T>
  | ReadonlyArray<MockAnswer<TArgs, T>>;

/** One call a mock received. `args` are the arguments as passed (options and signals included). */
export interface MockCall<TOperation extends string = string> {
  /** Order among all calls of this mock, from 1. */
  seq: number;
  operation: TOperation;
  args: unknown[];
}

/** What every mock adds to the interface it implements. */
export interface MockRecorder<TOperation extends string> {
  /** Every call so far, in order. */
  readonly calls: ReadonlyArray<MockCall<TOperation>>;
  /** Calls so far, of one method or of all. */
  callCount(operation?: TOperation): number;
}

export interface MockState<TOperation extends string> extends MockRecorder<TOperation> {
  method<TArgs extends unknown[], T>(
    operation: TOperation,
    configured: boolean,
    answers: MockAnswers<TArgs, T> | undefined,
  ): (...args: TArgs) => FailoverResult<T>;
}

export function createMockState<TOperation extends string>(provider: string): MockState<TOperation> {
  const calls: Array<MockCall<TOperation>> = [];
  return {
    calls,
    callCount: (operation) =>
      operation === undefined ? calls.length : calls.filter((c) => c.operation === operation).length,
    method<TArgs extends unknown[], T>(
      operation: TOperation,
      configured: boolean,
      answers: MockAnswers<TArgs, T> | undefined,
    ) {
      let index = 0;
      return (...args: TArgs): FailoverResult<T> => {
        calls.push({ seq: calls.length + 1, operation, args });
        if (!configured) {
          return ResultAsync.fromSafePromise(Promise.resolve()).andThen(() =>
            err(
              new FailoverError({
                kind: 'unsupported',
                message: `${provider}.${operation} has no answer configured in this mock.`,
                provider,
                operation,
              }),
            ),
          );
        }
        const list = Array.isArray(answers) ? (answers as ReadonlyArray<MockAnswer<TArgs, T>>) : [answers];
        const answer = list[Math.min(index++, list.length - 1)] as MockAnswer<TArgs, T>;
        const settle = async (): Promise<Result<T, FailoverError>> => {
          const produced =
            typeof answer === 'function'
              ? await (answer as (...a: TArgs) => unknown)(...args)
              : (answer as unknown);
          if (FailoverError.isInstance(produced)) return err(produced);
          if (isResult(produced)) return produced as Result<T, FailoverError>;
          return ok(produced as T);
        };
        return ResultAsync.fromPromise(settle(), (thrown) =>
          toFailoverError(thrown, provider, operation),
        ).andThen((result) => result);
      };
    },
  };
}

function isResult(value: unknown): value is Result<unknown, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { isOk?: unknown }).isOk === 'function' &&
    typeof (value as { isErr?: unknown }).isErr === 'function'
  );
}
