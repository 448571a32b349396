import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One documented exchange: the request the adapter must send and the answer it gets. */
export interface ReplayExchange {
  /** `GET`, `POST`, `PATCH`... */
  method: string;
  /** Path and query after the API root, e.g. `/v1/projects/p/instances/db`. Query keys in any order. */
  path: string;
  /** The JSON body the adapter must send (compared deeply), when the request has one. */
  body?: unknown;
  status?: number;
  response: unknown;
}

/** A request as it arrived, for the test to assert on. */
export interface ReplayedRequest {
  method: string;
  path: string;
  body: unknown;
}

export interface ReplayServer {
  url: string;
  /** Requests in arrival order. */
  readonly requests: ReplayedRequest[];
  /** Exchanges never requested. */
  unused(): ReplayExchange[];
  /** Requests that matched no exchange (answered 599). */
  readonly unmatched: ReplayedRequest[];
  stop(): Promise<void>;
}

/**
 * A loopback server that answers the adapter with recorded examples. Each exchange
 * is served once, to the first request with its method, path (query keys in any
 * order) and body; anything else is answered 599 and kept in `unmatched`.
 */
export async function startReplayServer(mount: string, exchanges: ReplayExchange[]): Promise<ReplayServer> {
  const pending = [...exchanges];
  const requests: ReplayedRequest[] = [];
  const unmatched: ReplayedRequest[] = [];
  const server = createServer((req, res) => {
    void readJson(req).then((body) => {
      const url = new URL(req.url ?? '/', 'http://replay');
      const path = canonical(
        url.pathname.startsWith(mount) ? url.pathname.slice(mount.length) : url.pathname,
        url.searchParams,
      );
      const request = { method: req.method ?? 'GET', path, body };
      requests.push(request);
      const index = pending.findIndex(
        (exchange) =>
          exchange.method === request.method &&
          canonicalPath(exchange.path) === path &&
          (exchange.body === undefined ||
            JSON.stringify(sorted(exchange.body)) === JSON.stringify(sorted(body))),
      );
      if (index < 0) {
        unmatched.push(request);
        res.writeHead(599, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            error: { code: 599, message: `No recorded exchange for ${request.method} ${path}` },
          }),
        );
        return;
      }
      const [exchange] = pending.splice(index, 1);
      res.writeHead(exchange!.status ?? 200, { 'content-type': 'application/json; charset=UTF-8' });
      res.end(JSON.stringify(exchange!.response));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${mount}`,
    requests,
    unmatched,
    unused: () => [...pending],
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : JSON.parse(text);
}

function canonicalPath(path: string): string {
  const url = new URL(path, 'http://replay');
  return canonical(url.pathname, url.searchParams);
}

function canonical(pathname: string, query: URLSearchParams): string {
  const keys = [...query.keys()].sort();
  const search = keys.map((key) => `${key}=${query.get(key)}`).join('&');
  return `${decodeURIComponent(pathname)}${search ? `?${search}` : ''}`;
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sorted((value as Record<string, unknown>)[key])]),
  );
}
