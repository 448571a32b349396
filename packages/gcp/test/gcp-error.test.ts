import { FailoverError } from '@failover/core';
import { describe, expect, it } from 'vitest';
import { mapGcpError, operationFailure } from '../src/gcp-error.js';

// The one mapper from Google API failures to FailoverError kinds.

const googleError = (
  httpStatus: number,
  status: string,
  message: string,
  extra: Record<string, unknown> = {},
) => ({
  name: 'GaxiosError',
  message,
  status: httpStatus,
  config: { headers: { Authorization: 'Bearer ya29.super-secret-token' } },
  response: {
    status: httpStatus,
    headers: new Headers(),
    data: { error: { code: httpStatus, message, status, errors: [{ reason: 'x', message }], ...extra } },
  },
});

const map = (thrown: unknown) => mapGcpError(thrown, 'gcp.test', 'things.do');

describe('mapGcpError', () => {
  it.each([
    [429, 'RESOURCE_EXHAUSTED', 'throttled', true],
    [404, 'NOT_FOUND', 'not-found', false],
    [409, 'ABORTED', 'conflict', false],
    [409, 'ALREADY_EXISTS', 'conflict', false],
    [412, 'FAILED_PRECONDITION', 'precondition-failed', false],
    [400, 'FAILED_PRECONDITION', 'precondition-failed', false],
    [401, 'UNAUTHENTICATED', 'unauthorized', false],
    [403, 'PERMISSION_DENIED', 'unauthorized', false],
    [400, 'INVALID_ARGUMENT', 'invalid-input', false],
    [500, 'INTERNAL', 'unavailable', true],
    [503, 'UNAVAILABLE', 'unavailable', true],
  ])('%i %s is %s', (httpStatus, status, kind, retryable) => {
    const error = map(googleError(httpStatus, status, 'boom'));
    expect(error).toMatchObject({ kind, retryable, provider: 'gcp.test', operation: 'things.do' });
    expect(error.message).toBe(`things.do failed: ${httpStatus} ${status}: boom`);
  });

  it('takes the back-off from RetryInfo, else from Retry-After', () => {
    const withInfo = googleError(429, 'RESOURCE_EXHAUSTED', 'slow down', {
      details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '2.5s' }],
    });
    expect(map(withInfo).retryAfterMs).toBe(2_500);
    const withHeader = googleError(429, 'RESOURCE_EXHAUSTED', 'slow down');
    withHeader.response.headers.set('retry-after', '4');
    expect(map(withHeader).retryAfterMs).toBe(4_000);
    expect(map(googleError(429, 'RESOURCE_EXHAUSTED', 'slow down')).retryAfterMs).toBeUndefined();
  });

  it('marks "another operation is running" as a retryable conflict (Cloud SQL 409, GKE 400)', () => {
    const sql = map(
      googleError(409, 'ABORTED', 'Operation failed because another operation was already in progress.'),
    );
    const gke = map(
      googleError(
        400,
        'FAILED_PRECONDITION',
        'Cluster is running incompatible operation op-1. Please wait and try again.',
      ),
    );
    for (const error of [sql, gke]) expect(error).toMatchObject({ kind: 'conflict', retryable: true });
  });

  it('keeps a sanitised cause: never the request config or its bearer token', () => {
    const error = map(googleError(403, 'PERMISSION_DENIED', 'denied; Authorization: Bearer ya29.leaked'));
    expect(error.cause).toEqual({
      httpStatus: 403,
      status: 'PERMISSION_DENIED',
      reason: 'x',
      message: 'denied; Authorization: [redacted]',
    });
    const serialised = JSON.stringify(error.toJSON());
    expect(serialised).not.toContain('ya29');
    expect(serialised).not.toContain('super-secret');
    expect(error.message).not.toContain('ya29');
  });

  it('maps network failures, aborts, missing parameters and passes FailoverErrors through', () => {
    expect(map({ name: 'GaxiosError', message: 'connect ECONNREFUSED', code: 'ECONNREFUSED' })).toMatchObject(
      {
        kind: 'unavailable',
        retryable: true,
      },
    );
    expect(map({ name: 'AbortError', message: 'aborted' }).kind).toBe('cancelled');
    expect(map(new Error('Missing required parameters: project')).kind).toBe('invalid-input');
    expect(map(new Error('something odd')).kind).toBe('unexpected');
    expect(map('a string').kind).toBe('unexpected');
    const own = new FailoverError({ kind: 'timeout', message: 't', provider: 'p', operation: 'o' });
    expect(map(own)).toBe(own);
  });
});

describe('operationFailure', () => {
  it.each([
    ['SWITCHOVER_TIMEOUT', 'precondition-failed'],
    ['NOT_AUTHORIZED', 'unauthorized'],
    ['INTERNAL_ERROR', 'unavailable'],
    ['QUOTA_EXCEEDED', 'throttled'],
    ['SOMETHING_NEW', 'unexpected'],
    [9, 'precondition-failed'],
    [13, 'unavailable'],
  ])('code %s is %s', (code, kind) => {
    const error = operationFailure('gcp.sql', 'instances.switchover', 'op-1', [
      { code, message: 'it failed' },
    ]);
    expect(error).toMatchObject({ kind, provider: 'gcp.sql', operation: 'instances.switchover' });
    expect(error.message).toBe(`Operation op-1 (instances.switchover) failed: ${code}: it failed.`);
  });
});
