import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, type EmulatorService, startEmulator } from '../src/index.js';

// A minimal service in a made-up cloud format, to test the server itself:
// routing under a mount, the request log, and each kind of injected fault.
const echoService = (): EmulatorService => ({
  id: 'test.echo',
  cloud: 'aws',
  mount: '/test/echo',
  route(request) {
    if (request.path === '/items' && request.method === 'GET') {
      return {
        operation: 'ListItems',
        mutating: false,
        handle: () => ({ status: 200, body: { items: [1] } }),
      };
    }
    if (request.path === '/items' && request.method === 'POST') {
      return {
        operation: 'CreateItem',
        mutating: true,
        handle: ({ stuck }) => ({ status: 201, body: { stuck, echo: request.body } }),
      };
    }
    if (request.path === '/boom') {
      return {
        operation: 'Boom',
        mutating: false,
        handle: () => {
          throw new Error('handler bug');
        },
      };
    }
    return this.errorResponse('malformed', { message: 'no such route' });
  },
  errorResponse(kind, detail) {
    const status = kind === 'throttled' ? 429 : kind === 'server-error' ? 503 : 400;
    return {
      status,
      headers: kind === 'throttled' ? { 'retry-after': String(detail.retryAfterSeconds ?? 1) } : undefined,
      body: { kind, message: detail.message },
    };
  },
});

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

async function start() {
  emulator = await startEmulator({ extraServices: [echoService] });
  return { emulator, base: emulator.endpoint('test.echo') };
}

describe('startEmulator', () => {
  it('listens on an ephemeral loopback port and routes by mount', async () => {
    const { emulator, base } = await start();
    expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${base}/items`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ items: [1] });
    expect(emulator.requests.list()).toMatchObject([
      { service: 'test.echo', operation: 'ListItems', mutating: false, status: 200 },
    ]);
  });

  it('answers an unmounted path with 404 and logs it', async () => {
    const { emulator } = await start();
    const response = await fetch(`${emulator.url}/nowhere`);
    expect(response.status).toBe(404);
    expect(emulator.requests.count({ operation: 'unknown' })).toBe(1);
  });

  it('counts mutating calls separately', async () => {
    const { emulator, base } = await start();
    await fetch(`${base}/items`, { method: 'POST', body: 'x' });
    await fetch(`${base}/items`);
    expect(emulator.requests.count({ mutating: true })).toBe(1);
    expect(emulator.requests.count({ mutating: false })).toBe(1);
  });

  it('injects throttling for the next N calls in the service error shape, then stops', async () => {
    const { emulator, base } = await start();
    emulator.faults.add({ fault: 'throttle', operation: 'ListItems', times: 2, retryAfterSeconds: 3 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(`${base}/items`)).status);
    expect(statuses).toEqual([429, 429, 200]);
    const throttled = await (async () => {
      emulator.faults.add({ fault: 'throttle', times: 1, retryAfterSeconds: 3 });
      return fetch(`${base}/items`);
    })();
    expect(throttled.headers.get('retry-after')).toBe('3');
    expect(emulator.requests.list({ operation: 'ListItems' }).map((entry) => entry.fault)).toEqual([
      'throttle',
      'throttle',
      undefined,
      'throttle',
    ]);
  });

  it('marks a stuck call for the handler and drops connections', async () => {
    const { emulator, base } = await start();
    emulator.faults.add({ fault: 'stuck', operation: 'CreateItem', times: 1 });
    expect(await (await fetch(`${base}/items`, { method: 'POST', body: 'a' })).json()).toEqual({
      stuck: true,
      echo: 'a',
    });
    emulator.faults.add({ fault: 'drop', operation: 'ListItems', times: 1 });
    await expect(fetch(`${base}/items`)).rejects.toThrow();
    expect((await fetch(`${base}/items`)).status).toBe(200);
  });

  it('applies faults at a seeded rate, the same way for the same seed', async () => {
    const pattern = async () => {
      const { emulator, base } = await start();
      emulator.faults.add({ fault: 'server-error', operation: 'ListItems', rate: 0.5 });
      const statuses = [];
      for (let i = 0; i < 20; i++) statuses.push((await fetch(`${base}/items`)).status);
      await emulator.stop();
      return statuses;
    };
    const first = await pattern();
    expect(first).toContain(503);
    expect(first).toContain(200);
    expect(await pattern()).toEqual(first);
  });

  it('answers a handler bug with the service error, never a crash, and records it', async () => {
    const { emulator, base } = await start();
    const response = await fetch(`${base}/boom`);
    expect(response.status).toBe(503);
    expect(emulator.requests.list()[0]?.internalError).toContain('handler bug');
  });

  it('tells clients in other processes its clock, and which world it is', async () => {
    emulator = await startEmulator({ timeScale: 0, startAt: 5_000 });
    const response = await fetch(`${emulator.url}/_emulator/clock`);
    expect(await response.json()).toEqual({
      now: 5_000,
      timeScale: 0,
      instanceId: emulator.instanceId,
      // SHA-256 of the empty seed, "{}".
      seedDigest: '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
    });
    const other = await startEmulator({ timeScale: 0 });
    await other.stop();
    expect(other.instanceId).not.toBe(emulator.instanceId);
    expect(emulator.requests.count()).toBe(0);
  });

  it('runs a scaled clock and a manual one', async () => {
    emulator = await startEmulator({ timeScale: 0, startAt: 1_000 });
    expect(emulator.clock.now()).toBe(1_000);
    await emulator.clock.sleep(60_000);
    expect(emulator.clock.now()).toBe(61_000);
    emulator.clock.advance(5);
    expect(emulator.clock.now()).toBe(61_005);
  });
});
