import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One published answer: served to every request whose method and path match the template. */
export interface ReplayRoute {
  method: string;
  /** An ARM path template, e.g. `/subscriptions/{s}/resourceGroups/{rg}/…`; literals match without case. */
  path: string;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** A request the adapter sent, as the replay server received it. */
export interface ReplayedRequest {
  method: string;
  /** Decoded path, without the query. */
  path: string;
  apiVersion: string | null;
  ifMatch?: string;
  body: unknown;
}

export interface ArmReplayServer {
  readonly url: string;
  readonly requests: ReplayedRequest[];
  stop(): Promise<void>;
}

/**
 * A loopback server that answers with published x-ms-examples and records what it was
 * sent, so a replay test asserts the adapter's requests and what it reads from the
 * service's own example answers. An unmatched request is a 404 the test will see.
 */
export async function startArmReplayServer(routes: readonly ReplayRoute[]): Promise<ArmReplayServer> {
  const requests: ReplayedRequest[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const path = decodeURIComponent(url.pathname);
      const text = Buffer.concat(chunks).toString('utf8');
      requests.push({
        method: request.method ?? 'GET',
        path,
        apiVersion: url.searchParams.get('api-version'),
        ...(typeof request.headers['if-match'] === 'string' && { ifMatch: request.headers['if-match'] }),
        body: text ? JSON.parse(text) : undefined,
      });
      const route = routes.find(
        (candidate) => candidate.method === request.method && matches(candidate.path, path),
      );
      if (!route) {
        response.writeHead(404, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            error: { code: 'NoExample', message: `No example for ${request.method} ${path}` },
          }),
        );
        return;
      }
      response.writeHead(route.status, {
        ...(route.body !== undefined && { 'content-type': 'application/json' }),
        ...route.headers,
      });
      response.end(route.body === undefined ? '' : JSON.stringify(route.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function matches(template: string, path: string): boolean {
  const want = template.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean);
  return (
    want.length === have.length &&
    want.every((part, index) => part.startsWith('{') || part.toLowerCase() === have[index]!.toLowerCase())
  );
}
