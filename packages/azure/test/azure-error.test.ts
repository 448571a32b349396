import { createHttpHeaders, createPipelineRequest, RestError } from '@azure/core-rest-pipeline';
import { FailoverError } from '@failover/core';
import { describe, expect, it } from 'vitest';
import { toAzureError } from '../src/index.js';

const request = createPipelineRequest({
  url: 'https://management.azure.com/subscriptions/s/resourceGroups/rg/providers/Microsoft.Sql/servers/a/failoverGroups/fg?api-version=2020-11-01-preview',
  method: 'GET',
  headers: createHttpHeaders({ authorization: 'Bearer eyJ0eXAiOiJKV1QiLCJhbGciOi.secret.token' }),
});

const restError = (
  statusCode: number,
  code: string,
  headers: Record<string, string> = {},
  message = `${code} happened`,
) =>
  new RestError(message, {
    code,
    statusCode,
    request,
    response: { status: statusCode, headers: createHttpHeaders(headers), request },
  });

describe('toAzureError', () => {
  it.each([
    [429, 'SubscriptionRequestsThrottled', 'throttled', true],
    [404, 'ResourceNotFound', 'not-found', false],
    [409, 'FailoverGroupBusy', 'conflict', false],
    [412, 'PreconditionFailed', 'conflict', false],
    [401, 'AuthenticationFailed', 'unauthorized', false],
    [403, 'AuthorizationFailed', 'unauthorized', false],
    [400, 'InvalidParameter', 'invalid-input', false],
    [500, 'InternalServerError', 'unavailable', true],
    [503, 'ServiceUnavailable', 'unavailable', true],
  ] as const)('maps HTTP %i %s to %s', (status, code, kind, retryable) => {
    const error = toAzureError(restError(status, code), 'azure.sql', 'describe');
    expect(error).toMatchObject({ kind, retryable, provider: 'azure.sql', operation: 'describe' });
    expect(error.message).toContain(`FailoverGroups_Get failed with HTTP ${status} ${code}`);
    expect(FailoverError.isInstance(error)).toBe(true);
  });

  it('carries the Retry-After of a 429, in seconds, milliseconds or as a date', () => {
    expect(toAzureError(restError(429, 'T', { 'retry-after': '17' }), 'p', 'o').retryAfterMs).toBe(17_000);
    expect(toAzureError(restError(429, 'T', { 'retry-after-ms': '250' }), 'p', 'o').retryAfterMs).toBe(250);
    const date = new Date(Date.now() + 60_000).toUTCString();
    const fromDate = toAzureError(restError(429, 'T', { 'retry-after': date }), 'p', 'o').retryAfterMs!;
    expect(fromDate).toBeGreaterThan(50_000);
    expect(fromDate).toBeLessThanOrEqual(60_000);
  });

  it('never lets a token through, in the message or the serialised cause', () => {
    const leaky = restError(
      401,
      'InvalidAuthenticationToken',
      {},
      'Token rejected: Authorization: Bearer eyJ0eXAi.abc.def',
    );
    const error = toAzureError(leaky, 'azure.aks', 'describePool');
    const json = JSON.stringify(error.toJSON());
    expect(json).not.toContain('eyJ0eXAi');
    expect(json).not.toContain('secret.token');
    expect(error.cause).toMatchObject({
      name: 'RestError',
      statusCode: 401,
      code: 'InvalidAuthenticationToken',
    });
  });

  it('maps socket errors to unavailable, credential failures to unauthorized, aborts to cancelled', () => {
    const socket = new RestError('connect ECONNREFUSED 127.0.0.1:1', { code: 'ECONNREFUSED', request });
    expect(toAzureError(socket, 'p', 'o')).toMatchObject({ kind: 'unavailable', retryable: true });
    const credential = Object.assign(new Error('EnvironmentCredential is unavailable'), {
      name: 'CredentialUnavailableError',
    });
    expect(toAzureError(credential, 'p', 'o').kind).toBe('unauthorized');
    const abort = Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' });
    expect(toAzureError(abort, 'p', 'o').kind).toBe('cancelled');
    expect(toAzureError(new TypeError('boom'), 'p', 'o').kind).toBe('unexpected');
    const passthrough = new FailoverError({ kind: 'timeout', message: 'x', provider: 'p', operation: 'o' });
    expect(toAzureError(passthrough, 'q', 'r')).toBe(passthrough);
  });
});
