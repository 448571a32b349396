import type { FailoverError } from '@failover/core';
import { type AwsErrorContext, invalidInput } from './aws-error.js';

const regionPattern = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** `us-east-1`, `ap-southeast-2`, `us-gov-west-1`... */
export function isAwsRegion(value: unknown): value is string {
  return typeof value === 'string' && regionPattern.test(value);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

/**
 * The region a regional call goes to: named by the call, else by the provider
 * options, else by the factory settings. Never guessed.
 */
export function resolveRegion(context: AwsErrorContext, ...candidates: Array<string | undefined>): string {
  const region = candidates.find((candidate) => candidate !== undefined);
  if (region === undefined) {
    throw invalidInput(
      context,
      'No AWS region: name it in the call, in the provider options or in createAws({ region }).',
      'region',
    );
  }
  if (!isAwsRegion(region)) throw invalidInput(context, `"${region}" is not an AWS region.`, 'region');
  return region;
}

/** Throws the `invalid-input` error when the condition fails. */
export function check(
  condition: unknown,
  context: AwsErrorContext,
  message: string,
  path?: string,
): asserts condition {
  if (!condition) throw invalidInput(context, message, path) satisfies FailoverError;
}

/**
 * Checks a database step's desired state before any call: an object with an AWS
 * region, a known mode and, if given, a non-empty member id. `memberIdHint` says
 * what this provider's member ids are.
 */
export function checkDatabaseDesiredState(
  desired: unknown,
  context: AwsErrorContext,
  memberIdHint: string,
): void {
  check(isObject(desired), context, 'The desired state must be an object.');
  const state = desired as { region?: unknown; mode?: unknown; memberId?: unknown };
  check(isAwsRegion(state.region), context, `"${String(state.region)}" is not an AWS region.`, 'region');
  check(
    state.mode === 'planned' || state.mode === 'forced',
    context,
    `Mode must be planned or forced, not "${String(state.mode)}".`,
    'mode',
  );
  check(state.memberId === undefined || isNonEmptyString(state.memberId), context, memberIdHint, 'memberId');
}
