import { ResourceInUseException, ThrottlingException } from '@aws-sdk/client-eks';
import { GlobalClusterNotFoundFault } from '@aws-sdk/client-rds';
import { InvalidChangeBatch, NoSuchHostedZone } from '@aws-sdk/client-route-53';
import { FailoverError } from '@failover/core';
import { describe, expect, it } from 'vitest';
import { mapAwsError } from '../src/index.js';

// The mapper on the SDK's own exception classes (and the shapes it gives
// unmodelled errors), so a renamed or re-shaped exception breaks here.

const context = { provider: 'aws.test', operation: 'DoThing' };
const metadata = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });

describe('mapAwsError', () => {
  it('maps modelled exceptions by name', () => {
    expect(
      mapAwsError(
        new NoSuchHostedZone({ message: 'No hosted zone found with ID: Z1', ...metadata(404) }),
        context,
      ),
    ).toMatchObject({ kind: 'not-found', retryable: false });
    expect(
      mapAwsError(new GlobalClusterNotFoundFault({ message: 'nope', ...metadata(404) }), context).kind,
    ).toBe('not-found');
    expect(mapAwsError(new InvalidChangeBatch({ message: '[bad]', ...metadata(400) }), context).kind).toBe(
      'invalid-input',
    );
    expect(
      mapAwsError(new ResourceInUseException({ message: 'busy', ...metadata(409) }), context),
    ).toMatchObject({ kind: 'conflict', retryable: true });
    expect(
      mapAwsError(new ThrottlingException({ message: 'Rate exceeded', ...metadata(429) }), context),
    ).toMatchObject({ kind: 'throttled', retryable: true, retryAfterMs: 1_000 });
  });

  it('maps unmodelled Query and REST errors by code and status, honouring a Retry-After', () => {
    const unmodelled = (name: string, status: number, extra: object = {}) =>
      Object.assign(new Error(`${name} happened`), { name, ...metadata(status), ...extra });
    expect(mapAwsError(unmodelled('Throttling', 400), context).kind).toBe('throttled');
    expect(mapAwsError(unmodelled('PriorRequestNotComplete', 400), context)).toMatchObject({
      kind: 'throttled',
      retryAfterMs: 10_000,
    });
    expect(
      mapAwsError(unmodelled('Throttling', 400, { $response: { headers: { 'retry-after': '7' } } }), context)
        .retryAfterMs,
    ).toBe(7_000);
    expect(mapAwsError(unmodelled('MissingParameter', 400), context).kind).toBe('invalid-input');
    expect(mapAwsError(unmodelled('AccessDenied', 403), context).kind).toBe('unauthorized');
    expect(mapAwsError(unmodelled('ServiceUnavailable', 503, { $fault: 'server' }), context)).toMatchObject({
      kind: 'unavailable',
      retryable: true,
    });
    expect(mapAwsError(unmodelled('SomethingNew', 500), context).kind).toBe('unavailable');
    expect(mapAwsError(unmodelled('SomethingNew', 418), context).kind).toBe('unexpected');
    expect(
      mapAwsError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), context).kind,
    ).toBe('unavailable');
    expect(mapAwsError(Object.assign(new Error('aborted'), { name: 'AbortError' }), context).kind).toBe(
      'cancelled',
    );
    expect(mapAwsError('a string', context).kind).toBe('unexpected');
  });

  it('keeps the raw error as cause, passes FailoverErrors through, and never prints credentials', () => {
    const raw = Object.assign(
      new Error(
        'The security token AKIAABCDEFGHIJKLMNOP is invalid; Authorization: AWS4-HMAC-SHA256 Credential=AKIAABCDEFGHIJKLMNOP/x',
      ),
      {
        name: 'UnrecognizedClientException',
        ...metadata(403),
      },
    );
    const mapped = mapAwsError(raw, context);
    expect(mapped).toMatchObject({ kind: 'unauthorized', provider: 'aws.test', operation: 'DoThing' });
    expect(mapped.cause).toBe(raw);
    expect(mapped.message).not.toContain('AKIAABCDEFGHIJKLMNOP');
    expect(JSON.stringify(mapped.toJSON())).not.toContain('AKIAABCDEFGHIJKLMNOP');
    const original = new FailoverError({ kind: 'timeout', message: 'late', provider: 'x', operation: 'y' });
    expect(mapAwsError(original, context)).toBe(original);
  });

  it('keeps credentials out of the error and its serialised form', () => {
    const leaky = Object.assign(
      new Error(
        'The security token included in the request is invalid: X-Amz-Security-Token=FQoGZXIvYXdzEJr, Authorization: AWS4-HMAC-SHA256 Credential=AKIAABCDEFGHIJKLMNOP/20260101/us-east-1/rds/aws4_request, Signature=deadbeef',
      ),
      { name: 'UnrecognizedClientException', ...metadata(403) },
    );
    const mapped = mapAwsError(leaky, context);
    expect(mapped.kind).toBe('unauthorized');
    const everything = `${mapped.message} ${JSON.stringify(mapped)}`;
    for (const secret of ['FQoGZXIvYXdzEJr', 'AKIAABCDEFGHIJKLMNOP', 'deadbeef'])
      expect(everything).not.toContain(secret);
  });
});
