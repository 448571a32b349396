import { afterEach, describe, expect, it } from 'vitest';
import { fetchProbeRunner, type HttpProbeRunner } from './http-probe-runner.js';
import { createHttpProbeSource } from './http-probe-source.js';
import { refusedPort, startLoopbackServer } from './test-support/loopback-server.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A vantage point that reaches the endpoint through its own network path: here, another loopback port. */
const through =
  (port: number): HttpProbeRunner =>
  (request) =>
    fetchProbeRunner({ ...request, url: request.url.replace(/:\d+\//, `:${port}/`) });

describe('createHttpProbeSource', () => {
  it('probes from every vantage point with the method, headers and body, and judges status, body and JSON path', async () => {
    let healthy = true;
    const server = await startLoopbackServer((_request, _body, response) => {
      response.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ status: healthy ? 'pass' : 'fail', checks: [{ db: healthy }] }));
    });
    closers.push(server.close);
    const dark = await refusedPort();
    const source = createHttpProbeSource({
      id: 'api',
      url: `${server.url}/health/deep`,
      method: 'POST',
      headers: { authorization: 'Bearer s3cret-token' },
      body: '{"deep":true}',
      bodyIncludes: '"status"',
      json: [
        { path: '$.status', equals: 'pass' },
        { path: '$.checks[0].db', equals: true },
      ],
      vantagePoints: { 'probe-a': fetchProbeRunner, 'probe-b': fetchProbeRunner, 'probe-c': through(dark) },
    });
    expect(source.vantagePoints).toEqual(['probe-a', 'probe-b', 'probe-c']);

    const up = await source.read({ at: 1_000, timeoutMs: 2_000 });
    expect(up.isOk()).toBe(true);
    const samples = up._unsafeUnwrap();
    expect(samples.map((s) => [s.vantage, s.status])).toEqual([
      ['probe-a', 'up'],
      ['probe-b', 'up'],
      ['probe-c', 'down'],
    ]);
    expect(samples[0]!.value).toBeTypeOf('number');
    expect(samples[0]!.at).toBe(1_000);
    expect(server.requests[0]).toMatchObject({ method: 'POST', url: '/health/deep', body: '{"deep":true}' });
    expect(server.requests[0]!.headers.authorization).toBe('Bearer s3cret-token');
    expect(JSON.stringify(samples)).not.toContain('s3cret');

    healthy = false;
    const down = (await source.read({ at: 2_000, timeoutMs: 2_000 }))._unsafeUnwrap();
    expect(down.map((s) => s.status)).toEqual(['down', 'down', 'down']);
    expect(down[0]!.detail).toContain('answered 503, expected 2xx');
  });

  it('fails a JSON path that holds another value, and a slow answer', async () => {
    const server = await startLoopbackServer((_request, _body, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"status":"warn"}');
    });
    closers.push(server.close);
    const wrongValue = createHttpProbeSource({
      id: 'a',
      url: `${server.url}/`,
      json: [{ path: '$.status', equals: 'pass' }],
    });
    const [sample] = (await wrongValue.read({ at: 0, timeoutMs: 2_000 }))._unsafeUnwrap();
    expect(sample).toMatchObject({ vantage: 'local', status: 'down' });
    expect(sample!.detail).toContain('$.status is "warn", expected "pass"');

    const slow: HttpProbeRunner = async () => ({ status: 200, body: '', latencyMs: 1_500 });
    const tooSlow = createHttpProbeSource({
      id: 'b',
      url: `${server.url}/`,
      maxLatencyMs: 800,
      vantagePoints: { slow },
    });
    const [late] = (await tooSlow.read({ at: 0, timeoutMs: 2_000 }))._unsafeUnwrap();
    expect(late).toMatchObject({ status: 'down', value: 1_500 });
  });
});
