import { afterEach, describe, expect, it } from 'vitest';
import { createPrometheusSource } from './prometheus-source.js';
import { startLoopbackServer } from './test-support/loopback-server.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('createPrometheusSource', () => {
  it('sends an instant query at the evaluation time and reads a vector answer', async () => {
    const server = await startLoopbackServer((_request, _body, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      // The HTTP API's documented vector shape: value = [unix seconds, "string value"].
      response.end(
        JSON.stringify({
          status: 'success',
          data: {
            resultType: 'vector',
            result: [
              { metric: { job: 'api' }, value: [1767225600.5, '0.125'] },
              { metric: { job: 'web' }, value: [1767225600.5, 'NaN'] },
            ],
          },
        }),
      );
    });
    closers.push(server.close);
    const source = createPrometheusSource({
      id: 'error-rate',
      url: server.url,
      query: 'sum(rate(errors[5m]))',
      unit: 'ratio',
    });
    const samples = (await source.read({ at: Date.UTC(2026, 0, 1), timeoutMs: 2_000 }))._unsafeUnwrap();
    const sent = new URL(server.requests[0]!.url, server.url);
    expect(sent.pathname).toBe('/api/v1/query');
    expect(sent.searchParams.get('query')).toBe('sum(rate(errors[5m]))');
    expect(sent.searchParams.get('time')).toBe('1767225600.000');
    expect(samples).toHaveLength(2);
    expect(samples[0]).toMatchObject({
      at: 1767225600500,
      vantage: 'error-rate',
      value: 0.125,
      unit: 'ratio',
    });
    expect(samples[1]!.value).toBeUndefined();
  });

  it('reads a scalar, and returns an error answer as an error value', async () => {
    let answer: { code: number; body: unknown } = {
      code: 200,
      body: { status: 'success', data: { resultType: 'scalar', result: [1767225600, '3'] } },
    };
    const server = await startLoopbackServer((_request, _body, response) => {
      response.writeHead(answer.code, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer.body));
    });
    closers.push(server.close);
    const source = createPrometheusSource({ id: 'p', url: `${server.url}/`, query: 'scalar(x)' });
    expect((await source.read({ at: 0, timeoutMs: 2_000 }))._unsafeUnwrap()).toMatchObject([{ value: 3 }]);

    answer = { code: 400, body: { status: 'error', errorType: 'bad_data', error: 'parse error at char 3' } };
    const failed = await source.read({ at: 0, timeoutMs: 2_000 });
    expect(failed._unsafeUnwrapErr()).toMatchObject({
      kind: 'invalid-input',
      provider: 'prometheus',
      retryable: false,
    });
    expect(failed._unsafeUnwrapErr().message).toContain('bad_data: parse error');

    answer = { code: 503, body: 'Service Unavailable' };
    expect((await source.read({ at: 0, timeoutMs: 2_000 }))._unsafeUnwrapErr()).toMatchObject({
      kind: 'unavailable',
      retryable: true,
    });
  });
});
