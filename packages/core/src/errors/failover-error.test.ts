import { describe, expect, it } from 'vitest';
import { attempt } from '../result.js';
import { FailoverError } from './failover-error.js';
import { redact } from './redact.js';
import { toFailoverError } from './to-failover-error.js';

describe('FailoverError', () => {
  it('takes retryable from the kind unless told otherwise', () => {
    const base = { message: 'm', provider: 'p', operation: 'o' };
    expect(new FailoverError({ ...base, kind: 'throttled' }).retryable).toBe(true);
    expect(new FailoverError({ ...base, kind: 'unavailable' }).retryable).toBe(true);
    expect(new FailoverError({ ...base, kind: 'not-found' }).retryable).toBe(false);
    expect(new FailoverError({ ...base, kind: 'conflict', retryable: true }).retryable).toBe(true);
  });

  it('is recognised by marker, even when the class is a different copy', () => {
    const error = new FailoverError({ kind: 'conflict', message: 'm', provider: 'p', operation: 'o' });
    const lookalike = Object.assign(Object.create(null), { kind: 'conflict' });
    expect(FailoverError.isInstance(error)).toBe(true);
    expect(FailoverError.isInstance(lookalike)).toBe(false);
    expect(FailoverError.isInstance(new Error('x'))).toBe(false);
    // What a second copy of the package would create: same Symbol.for marker, other class.
    const foreign = new (class Foreign extends Error {})();
    Object.defineProperty(foreign, Symbol.for('@failover/core/FailoverError'), { value: true });
    expect(FailoverError.isInstance(foreign)).toBe(true);
  });

  it('serialises without secrets and round-trips', () => {
    const cause = new Error('request failed: Authorization: Bearer eyJhbGciOi.secret.sig');
    const error = new FailoverError({
      kind: 'unauthorized',
      message: 'denied for key AKIAABCDEFGHIJKLMNOP',
      provider: 'aws.route53',
      operation: 'GetChange',
      retryAfterMs: -5,
      cause,
    });
    const json = JSON.stringify(error);
    expect(json).not.toContain('AKIAABCDEFGHIJKLMNOP');
    expect(json).not.toContain('eyJhbGciOi');
    expect(error.retryAfterMs).toBe(0);
    const back = FailoverError.fromJSON(JSON.parse(json));
    expect(back.kind).toBe('unauthorized');
    expect(back.operation).toBe('GetChange');
  });
});

describe('redact', () => {
  it.each([
    ['authorization: Bearer abc.def.ghi', 'abc.def.ghi'],
    ['{"password":"hunter2"}', 'hunter2'],
    ['https://x.blob/?sv=1&sig=ZXhhbXBsZQ%3D%3D&se=2', 'ZXhhbXBsZQ'],
    ['aws_secret: wJalrXUtnFEMI/K7MDENG', 'wJalrXUtnFEMI'],
    ['X-Amz-Security-Token=FQoGZXIvYXdzEJr', 'FQoGZXIvYXdzEJr'],
    ['-----BEGIN PRIVATE KEY-----\nMIIEv\n-----END PRIVATE KEY-----', 'MIIEv'],
  ])('removes the secret from %s', (input, secret) => {
    expect(redact(input)).not.toContain(secret);
  });

  it('keeps ordinary text', () => {
    expect(redact('Hosted zone Z123 not found')).toBe('Hosted zone Z123 not found');
  });
});

describe('attempt and toFailoverError', () => {
  it('turns a throw into unexpected, keeps a FailoverError, and maps aborts to cancelled', async () => {
    const context = { provider: 'p', operation: 'op' };
    const thrown = await attempt(() => {
      throw new TypeError('boom');
    }, context);
    expect(thrown._unsafeUnwrapErr()).toMatchObject({ kind: 'unexpected', provider: 'p', operation: 'op' });

    const known = new FailoverError({ kind: 'not-found', message: 'm', provider: 'p', operation: 'op' });
    expect((await attempt(() => Promise.reject(known), context))._unsafeUnwrapErr()).toBe(known);

    const abort = new DOMException('aborted', 'AbortError');
    expect(toFailoverError(abort, 'p', 'op').kind).toBe('cancelled');
    expect(toFailoverError(new DOMException('timed out', 'TimeoutError'), 'p', 'op').kind).toBe('timeout');
  });

  it('survives a mapper that throws', async () => {
    const result = await attempt(
      () => Promise.reject(new Error('x')),
      { provider: 'p', operation: 'op' },
      () => {
        throw new Error('mapper bug');
      },
    );
    expect(result._unsafeUnwrapErr().kind).toBe('unexpected');
  });

  it('returns ok for a value', async () => {
    expect((await attempt(() => 42, { provider: 'p', operation: 'op' }))._unsafeUnwrap()).toBe(42);
  });
});
