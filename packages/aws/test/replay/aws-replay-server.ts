import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createVirtualTime } from '@failover/core';
import { type AwsProvider, createAws } from '../../src/index.js';
import { credentials } from '../aws-emulator.js';

/**
 * One documented exchange: the operation the adapter must call and the answer it
 * gets. `operation` is matched against the form `Action` (query protocol), the
 * `X-Amz-Target` suffix (JSON protocol), or else the method and path (REST).
 */
export interface AwsReplayExchange {
  /** Service mount, e.g. `/route53`, `/rds`, `/eks`, `/monitoring`. */
  mount: string;
  method: string;
  /** The REST path after the mount, without the query (REST protocols only). */
  path?: string;
  /** `Action` of a query request, or the operation of an `X-Amz-Target`. */
  operation?: string;
  /** The region of the request's SigV4 credential scope, when it matters. */
  region?: string;
  status?: number;
  contentType: string;
  body: string;
}

/** A request as it arrived, for the test to assert on. */
export interface AwsReplayedRequest {
  mount: string;
  method: string;
  path: string;
  query: Record<string, string>;
  /** Form fields of a query request, the X-Amz-Target operation, and the raw body. */
  form: Record<string, string>;
  target?: string;
  /** The region of the SigV4 credential scope. */
  region?: string;
  body: string;
}

export interface AwsReplayServer {
  /** The endpoint of one service mount. */
  endpoint(mount: string): string;
  readonly requests: AwsReplayedRequest[];
  /** Requests that matched no exchange (answered 599). */
  readonly unmatched: AwsReplayedRequest[];
  unused(): AwsReplayExchange[];
  stop(): Promise<void>;
}

/**
 * A loopback server answering the AWS SDK clients with recorded exchanges, each
 * served once, in the order given among those that match; anything else gets 599.
 */
export async function startAwsReplayServer(exchanges: AwsReplayExchange[]): Promise<AwsReplayServer> {
  const pending = [...exchanges];
  const requests: AwsReplayedRequest[] = [];
  const unmatched: AwsReplayedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://replay');
      const mount = `/${url.pathname.split('/')[1] ?? ''}`;
      const contentType = String(req.headers['content-type'] ?? '');
      const target = req.headers['x-amz-target'] as string | undefined;
      const region = /Credential=[^/]+\/\d+\/([^/]+)\//.exec(String(req.headers.authorization ?? ''))?.[1];
      const request: AwsReplayedRequest = {
        mount,
        method: req.method ?? 'GET',
        path: decodeURIComponent(url.pathname.slice(mount.length) || '/'),
        query: Object.fromEntries(url.searchParams),
        form: contentType.includes('x-www-form-urlencoded')
          ? Object.fromEntries(new URLSearchParams(body))
          : {},
        ...(target && { target: target.split('.').at(-1)! }),
        ...(region && { region }),
        body,
      };
      requests.push(request);
      const operationOf = request.form.Action ?? request.target;
      const index = pending.findIndex(
        (exchange) =>
          exchange.mount === mount &&
          exchange.method === request.method &&
          (exchange.operation === undefined || exchange.operation === operationOf) &&
          (exchange.path === undefined || exchange.path === request.path) &&
          (exchange.region === undefined || exchange.region === request.region),
      );
      if (index < 0) {
        unmatched.push(request);
        res.writeHead(599, { 'content-type': 'text/plain' });
        res.end(`No recorded exchange for ${request.method} ${mount}${request.path} ${operationOf ?? ''}`);
        return;
      }
      const [exchange] = pending.splice(index, 1);
      res.writeHead(exchange!.status ?? 200, {
        'content-type': exchange!.contentType,
        'x-amzn-requestid': 'replay-0000',
      });
      res.end(exchange!.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: (mount) => `http://127.0.0.1:${port}${mount}`,
    requests,
    unmatched,
    unused: () => [...pending],
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A REST-XML answer. */
export const xml = (mount: string, method: string, path: string, body: string, status = 200) =>
  ({ mount, method, path, status, contentType: 'text/xml', body }) satisfies AwsReplayExchange;

/** A REST-JSON answer. */
export const restJson = (mount: string, method: string, path: string, body: unknown, status = 200) =>
  ({
    mount,
    method,
    path,
    status,
    contentType: 'application/json',
    body: JSON.stringify(body),
  }) satisfies AwsReplayExchange;

/** An answer of the query protocol (RDS): POST / with a form `Action`, answered in XML. */
export const query = (mount: string, operation: string, region: string, body: string, status = 200) =>
  ({
    mount,
    method: 'POST',
    path: '/',
    operation,
    region,
    status,
    contentType: 'text/xml',
    body,
  }) satisfies AwsReplayExchange;

/** An answer of the JSON 1.0 protocol (CloudWatch): POST / with an `X-Amz-Target`. */
export const awsJson = (mount: string, operation: string, region: string, body: unknown) =>
  ({
    mount,
    method: 'POST',
    path: '/',
    operation,
    region,
    contentType: 'application/x-amz-json-1.0',
    body: JSON.stringify(body),
  }) satisfies AwsReplayExchange;

/** The AWS adapters answered by `replay` (each service at its mount), on virtual time from `startAt`, without SDK retries. */
export function awsOnReplay(
  replay: AwsReplayServer,
  { region = 'us-east-1', startAt = 0 }: { region?: string; startAt?: number } = {},
): AwsProvider {
  return createAws({
    region,
    credentials,
    endpoints: {
      route53: replay.endpoint('/route53'),
      rds: replay.endpoint('/rds'),
      eks: replay.endpoint('/eks'),
      cloudwatch: replay.endpoint('/monitoring'),
    },
    time: createVirtualTime({ startAt }),
    clientConfig: { maxAttempts: 1 },
  });
}
