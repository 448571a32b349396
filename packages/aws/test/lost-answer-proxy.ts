import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Emulator } from '@failover/emulator';
import type { AwsProvider, AwsSettings } from '../src/index.js';
import { awsOn } from './aws-emulator.js';

/** Which requests lose their answer: the emulator applies them, the client gets a 500. */
export type LoseWhen = (request: { method: string; path: string; body: string }) => boolean;

/** A loopback proxy in front of the emulator that turns chosen answers into 500s after they were applied. */
export interface LostAnswerProxy {
  readonly url: string;
  /** Loses the answer of the next `times` requests matching `when`. */
  lose(when: LoseWhen, times?: number): void;
  /** Rewrites the answer body of the next `times` requests matching `when` (a service that answers oddly). */
  rewrite(when: LoseWhen, transform: (body: string) => string, times?: number): void;
  /** Every exchange the emulator answered, in order: what the service really sent back. */
  readonly exchanges: ReadonlyArray<{ method: string; path: string; status: number; body: string }>;
  /** How many answers were lost so far. */
  readonly lost: number;
  stop(): Promise<void>;
}

/** The request is the RDS Query action `action`. */
export const rdsAction =
  (action: string): LoseWhen =>
  ({ body }) =>
    new URLSearchParams(body).get('Action') === action;

/**
 * Starts the proxy. The emulator handles every request in full (so the mutation
 * is applied); for a matching one, the proxy throws the answer away and sends
 * the service's 500 InternalFailure instead, as a dropped answer looks to a client.
 */
export async function startLostAnswerProxy(emulator: Emulator): Promise<LostAnswerProxy> {
  const rules: Array<{ when: LoseWhen; remaining: number; transform?: (body: string) => string }> = [];
  let lost = 0;
  const exchanges: Array<{ method: string; path: string; status: number; body: string }> = [];
  const upstream = new URL(emulator.url);
  const server = createServer((req, res) => {
    readAll(req).then((body) => {
      const forward = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (answer) => {
          readAll(answer).then((answerBody) => {
            const path = (req.url ?? '/').split('?')[0]!;
            exchanges.push({
              method: req.method ?? 'GET',
              path,
              status: answer.statusCode ?? 0,
              body: answerBody,
            });
            const rule = rules.find(
              (candidate) =>
                candidate.remaining > 0 && candidate.when({ method: req.method ?? 'GET', path, body }),
            );
            if (rule?.transform) {
              rule.remaining--;
              const rewritten = rule.transform(answerBody);
              res.writeHead(answer.statusCode ?? 500, {
                ...answer.headers,
                'content-length': String(Buffer.byteLength(rewritten)),
              });
              res.end(rewritten);
              return;
            }
            if (rule && (answer.statusCode ?? 500) < 300) {
              rule.remaining--;
              lost++;
              const json = path.startsWith('/aws/eks') || path.startsWith('/aws/cloudwatch');
              const payload = json
                ? JSON.stringify({ message: 'The answer was lost.' })
                : `<ErrorResponse><Error><Type>Receiver</Type><Code>InternalFailure</Code><Message>The answer was lost.</Message></Error><RequestId>lost-${lost}</RequestId></ErrorResponse>`;
              res.writeHead(500, {
                'content-type': json ? 'application/json' : 'text/xml',
                'content-length': String(Buffer.byteLength(payload)),
                ...(json && { 'x-amzn-errortype': 'InternalFailure' }),
              });
              res.end(payload);
              return;
            }
            res.writeHead(answer.statusCode ?? 500, answer.headers);
            res.end(answerBody);
          });
        },
      );
      forward.on('error', () => res.destroy());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    lose(when, times = 1) {
      rules.push({ when, remaining: times });
    },
    rewrite(when, transform, times = 1) {
      rules.push({ when, remaining: times, transform });
    },
    get lost() {
      return lost;
    },
    exchanges,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The AWS adapters sending through the proxy, waiting on the emulator's clock. */
export function awsThrough(
  proxy: LostAnswerProxy,
  emulator: Emulator,
  settings: Partial<AwsSettings> = {},
): AwsProvider {
  const at = (service: string) => `${proxy.url}${new URL(emulator.endpoint(service)).pathname}`;
  return awsOn(emulator, {
    endpoints: {
      route53: at('aws.route53'),
      rds: at('aws.rds'),
      eks: at('aws.eks'),
      cloudwatch: at('aws.cloudwatch'),
    },
    ...settings,
  });
}

function readAll(stream: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stream.on('error', reject);
  });
}
