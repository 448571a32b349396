import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * The load balancer in front of the workers: one deployment URL, several workers. Each
 * connection goes to the first backend that accepts it, so while worker A lives it gets
 * everything, and once it is dead its connections fail and the next ones go to B.
 */
export interface WorkerProxy {
  port: number;
  /** The backend ports, in order of preference. */
  backends: number[];
  /** The backend that took the latest connection. */
  readonly lastBackend: number | undefined;
  close(): Promise<void>;
}

export function startWorkerProxy(backends: number[]): Promise<WorkerProxy> {
  const sockets = new Set<Socket>();
  let lastBackend: number | undefined;
  const connect = (client: Socket, index: number) => {
    const port = backends[index];
    if (port === undefined) return client.destroy();
    const upstream = createConnection({ host: '127.0.0.1', port });
    sockets.add(upstream);
    upstream.once('close', () => sockets.delete(upstream));
    let connected = false;
    upstream.once('error', () => {
      if (!connected) connect(client, index + 1);
      else client.destroy();
    });
    upstream.once('connect', () => {
      connected = true;
      lastBackend = port;
      client.pipe(upstream).pipe(client);
      client.once('close', () => upstream.destroy());
      upstream.once('close', () => client.destroy());
    });
  };
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    connect(client, 0);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : 0,
        backends,
        get lastBackend() {
          return lastBackend;
        },
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    }),
  );
}
