import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';

// test/setup/loopback-only.mjs, loaded into every test process: a connection
// beyond loopback fails before it is attempted. The addresses are TEST-NET-1
// (192.0.2.0/24, never routed) and a reserved name, so nothing could leave the
// machine even if the guard were gone: the test would then fail on the error
// code, not reach anyone.
const guarded = 'ERR_TEST_NON_LOOPBACK';

const connectError = (host: string, port: number) =>
  new Promise<NodeJS.ErrnoException>((resolve, reject) => {
    const socket = connect(port, host);
    socket.once('connect', () => reject(new Error(`connected to ${host}`)));
    socket.once('error', resolve);
  });

describe('the loopback-only test environment', () => {
  it('refuses a TCP connection beyond loopback before connecting', async () => {
    const started = Date.now();
    expect((await connectError('192.0.2.1', 443)).code).toBe(guarded);
    // Refused on the spot: an unrouted address would otherwise hang until a connect timeout.
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('refuses fetch and https (the SDKs’ transports), and names before any DNS lookup', async () => {
    const fetched = await fetch('http://192.0.2.1:8080/').then(
      () => undefined,
      (error: { cause?: NodeJS.ErrnoException }) => error.cause?.code,
    );
    expect(fetched).toBe(guarded);
    const viaHttps = await new Promise<string | undefined>((resolve) => {
      const request = httpsRequest('https://monitoring.us-east-1.amazonaws.invalid/', () =>
        resolve('answered'),
      );
      request.once('error', (error: NodeJS.ErrnoException) => resolve(error.code));
      request.end();
    });
    expect(viaHttps).toBe(guarded); // not ENOTFOUND: no lookup was made
  });

  it('lets loopback through', async () => {
    const server = createServer((_request, response) => response.end('here'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('here');
      expect(await (await fetch(`http://localhost:${port}/`)).text()).toBe('here');
    } finally {
      server.close();
    }
  });

  it('is inherited by the processes a test spawns', () => {
    const code = execFileSync(
      process.execPath,
      [
        '-e',
        "require('node:net').connect(443, '192.0.2.1').on('error', (e) => process.stdout.write(e.code))",
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    expect(code).toBe(guarded);
  });
});
