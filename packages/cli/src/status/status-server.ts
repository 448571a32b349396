import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ExecutorEvent } from '@failover/core';
import { statusPageHtml } from './status-page.js';
import type { StatusState } from './status-state.js';

/** Options of `startStatusServer`. */
export interface StatusServerOptions {
  state: StatusState;
  /** The run's clock, for elapsed times (the emulator's in a drill). */
  now: () => number;
  /** Default 127.0.0.1. Any other address requires a token, generated when not given. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  token?: string;
  /** How often a snapshot is pushed with no event, so elapsed times move. Default 1 s. */
  heartbeatMs?: number;
}

/** A running status page. `url` carries the token when one is required. */
export interface StatusServer {
  url: string;
  onEvent(event: ExecutorEvent): void;
  stop(): Promise<void>;
}

const loopback = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Serves the read-only live status page of a run: `GET /` the page, `GET /events`
 * Server-Sent Events with a snapshot after every event (coalesced to one per 50 ms)
 * and every second, `GET /status.json` the current snapshot. Anything else is 404 or
 * 405: the page can watch a failover, never steer it. Bound to loopback unless
 * `host` says otherwise; then every request needs the token (`?token=` or a bearer
 * header), which is never logged.
 */
export async function startStatusServer(options: StatusServerOptions): Promise<StatusServer> {
  const host = options.host ?? '127.0.0.1';
  const token = loopback.has(host) ? options.token : (options.token ?? randomBytes(18).toString('base64url'));
  const clients = new Set<ServerResponse>();
  let pending: NodeJS.Timeout | undefined;

  const push = () => {
    pending = undefined;
    const data = `event: snapshot\ndata: ${JSON.stringify(options.state.snapshot(options.now()))}\n\n`;
    for (const client of clients) client.write(data);
  };
  const schedule = () => {
    pending ??= setTimeout(push, 50);
  };
  const heartbeat = setInterval(push, options.heartbeatMs ?? 1_000);
  heartbeat.unref();

  const server = createServer((request, response) => {
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Cache-Control', 'no-store');
    const url = new URL(request.url ?? '/', 'http://status.invalid');
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return end(response, 405, 'read-only\n', { Allow: 'GET' });
    if (token !== undefined && !authorised(request, url, token))
      return end(response, 401, 'token required\n');
    const query = token === undefined ? '' : `?token=${encodeURIComponent(token)}`;
    switch (url.pathname) {
      case '/':
        return end(response, 200, statusPageHtml(`/events${query}`), {
          'Content-Type': 'text/html; charset=utf-8',
        });
      case '/status.json':
        return end(response, 200, JSON.stringify(options.state.snapshot(options.now())), {
          'Content-Type': 'application/json',
        });
      case '/events':
        response.writeHead(200, { 'Content-Type': 'text/event-stream', Connection: 'keep-alive' });
        clients.add(response);
        request.on('close', () => clients.delete(response));
        response.write(`event: snapshot\ndata: ${JSON.stringify(options.state.snapshot(options.now()))}\n\n`);
        return;
      default:
        return end(response, 404, 'not found\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/${token === undefined ? '' : `?token=${encodeURIComponent(token)}`}`,
    onEvent(event) {
      options.state.apply(event);
      schedule();
    },
    async stop() {
      clearInterval(heartbeat);
      if (pending) clearTimeout(pending);
      push();
      for (const client of clients) client.end();
      clients.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}

function authorised(request: IncomingMessage, url: URL, token: string): boolean {
  const header = request.headers.authorization;
  const given =
    url.searchParams.get('token') ?? (header?.startsWith('Bearer ') ? header.slice(7) : undefined);
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function end(
  response: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
  response.end(body);
}
