import { createServer, type Http2Server, type ServerHttp2Session } from 'node:http2';
import { type FailoverError, FailoverError as Failure, ResultAsync } from '@failover/core';
import * as restate from '@restatedev/restate-sdk';
import { type FailoverWorkflowOptions, failoverWorkflow } from './failover-workflow.js';
import { ensurePromiseWithResolvers } from './promise-with-resolvers.js';

/** A worker serving the failover workflow (a Restate deployment endpoint). */
export interface FailoverWorker {
  readonly port: number;
  /** `http://host:port`: what the Restate admin API registers. */
  readonly url: string;
  /**
   * Stops listening and drops the connections Restate keeps open to it: an invocation
   * in flight here is retried by Restate on another worker (from its journal).
   */
  close(): Promise<void>;
}

export interface ServeWorkerOptions extends FailoverWorkflowOptions {
  /** Default 9080 (Restate's convention); 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1: expose it only as far as the Restate server needs. */
  host?: string;
  /**
   * The Restate cluster's public keys (`publickeyv1_…`): requests not signed by it are
   * refused. Set it in production, so only your cluster can start or replay a failover.
   */
  identityKeys?: string[];
}

/** Serves the failover workflow over HTTP/2 (h2c), as Restate calls deployments. */
export function serveWorker(options: ServeWorkerOptions): ResultAsync<FailoverWorker, FailoverError> {
  ensurePromiseWithResolvers();
  const host = options.host ?? '127.0.0.1';
  const handler = restate.createEndpointHandler({
    services: [failoverWorkflow(options)],
    ...(options.identityKeys !== undefined && { identityKeys: options.identityKeys }),
  });
  const server: Http2Server = createServer(handler);
  // Restate holds its HTTP/2 connections open: closing waits for them, so close drops them.
  const sessions = new Set<ServerHttp2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  return ResultAsync.fromPromise(
    new Promise<FailoverWorker>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 9080, host, () => {
        const address = server.address();
        const port = typeof address === 'object' && address ? address.port : (options.port ?? 9080);
        resolve({
          port,
          url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
          close: () =>
            new Promise<void>((done) => {
              server.close(() => done());
              for (const session of sessions) session.destroy();
            }),
        });
      });
    }),
    (cause: unknown) =>
      new Failure({
        kind: 'unavailable',
        message: `The worker could not listen on ${host}:${options.port ?? 9080}.`,
        provider: 'restate',
        operation: 'serveWorker',
        retryable: false,
        cause,
      }),
  );
}

/**
 * Registers `deploymentUrl` with the Restate admin API (`POST /deployments`), so the
 * server discovers the workflow there. Several workers behind one URL (a load balancer, a
 * Kubernetes Service) are one deployment: Restate sends an invocation's retries to the
 * URL, and whichever worker answers replays it.
 */
export function registerDeployment(
  adminUrl: string,
  deploymentUrl: string,
): ResultAsync<void, FailoverError> {
  const failure = (message: string, cause?: unknown) =>
    new Failure({
      kind: 'unavailable',
      message,
      provider: 'restate',
      operation: 'registerDeployment',
      retryable: true,
      ...(cause !== undefined && { cause }),
    });
  return ResultAsync.fromPromise(
    (async () => {
      const response = await fetch(`${adminUrl.replace(/\/$/, '')}/deployments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ uri: deploymentUrl, force: true }),
      });
      if (!response.ok)
        throw failure(
          `Restate refused the deployment ${deploymentUrl}: HTTP ${response.status} ${await response.text()}`,
        );
      await response.body?.cancel();
    })(),
    (cause: unknown) =>
      Failure.isInstance(cause)
        ? cause
        : failure(`Cannot reach the Restate admin API at ${adminUrl}.`, cause),
  );
}
