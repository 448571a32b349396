// The neverthrow seam: adapters and users import Result types from here, so the
// library behind them could change without touching every package.
export {
  type Err,
  err,
  errAsync,
  type Ok,
  ok,
  okAsync,
  Result,
  ResultAsync,
  safeTry,
} from 'neverthrow';

import { ResultAsync } from 'neverthrow';
import type { FailoverError } from './errors/failover-error.js';
import { toFailoverError } from './errors/to-failover-error.js';

/** What every public async call returns. */
export type FailoverResult<T> = ResultAsync<T, FailoverError>;

/**
 * Runs `fn` and turns a throw or a rejection into a `FailoverError`, using
 * `mapError` (the adapter's one error mapper) or `unexpected` by default.
 */
export function attempt<T>(
  fn: () => PromiseLike<T> | T,
  context: { provider: string; operation: string },
  mapError: (thrown: unknown) => FailoverError = (thrown) =>
    toFailoverError(thrown, context.provider, context.operation),
): FailoverResult<T> {
  return ResultAsync.fromPromise((async () => fn())(), (thrown) => safeMap(mapError, thrown, context));
}

function safeMap(
  mapError: (thrown: unknown) => FailoverError,
  thrown: unknown,
  context: { provider: string; operation: string },
): FailoverError {
  try {
    return mapError(thrown);
  } catch (mapperFailure) {
    return toFailoverError(mapperFailure, context.provider, context.operation);
  }
}
