import { FailoverError } from '@failover/core';

/** Checks shared by the simulated providers. Each returns an `invalid-input` error or undefined. */
export function invalidInput(
  provider: string,
  operation: string,
  message: string,
  path?: string,
): FailoverError {
  return new FailoverError({
    kind: 'invalid-input',
    message,
    provider,
    operation,
    ...(path !== undefined && { path }),
  });
}

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const isNonEmptyString = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0;

export const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0;

/** The handle id of an operation, or an `invalid-input` error for anything that is not a handle. */
export function handleId(provider: string, operation: string, handle: unknown): string | FailoverError {
  if (!isObject(handle) || !isNonEmptyString(handle.id)) {
    return invalidInput(provider, operation, 'The operation handle has no id.', 'handle.id');
  }
  return handle.id;
}

/** The wait deadline, or an `invalid-input` error. */
export function waitTimeout(provider: string, operation: string, options: unknown): number | FailoverError {
  const timeoutMs = isObject(options) ? options.timeoutMs : undefined;
  if (typeof timeoutMs !== 'number' || !(timeoutMs >= 0)) {
    return invalidInput(provider, operation, 'A wait needs timeoutMs >= 0.', 'timeoutMs');
  }
  return timeoutMs;
}
