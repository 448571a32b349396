import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServices } from './create-services.js';
import { createEmulatorClock, type EmulatorClock } from './emulator-clock.js';
import type { EmulatorSeed } from './emulator-seed.js';
import type {
  EmulatorRequest,
  EmulatorResponse,
  EmulatorService,
  RouteMatch,
  ServiceContext,
} from './emulator-types.js';
import { createFaultInjector, type FaultInjector } from './fault-injector.js';
import { createRegionBlackouts, parseRegionBlackout, type RegionBlackouts } from './region-blackout.js';
import { RequestLog } from './request-log.js';
import { seededRandom } from './seeded-random.js';

/** Options of `startEmulator`. */
export interface StartEmulatorOptions {
  /** The world to start with. */
  seed?: EmulatorSeed;
  /** Default 127.0.0.1. The emulator is for loopback use only. */
  host?: string;
  /** Default 0: an ephemeral port. */
  port?: number;
  /** Emulator time per real time (1000 = a 60 s operation takes 60 ms); 0 = manual clock. Default 1. */
  timeScale?: number;
  /** Emulator clock start, epoch ms. */
  startAt?: number;
  /**
   * The clock to run on instead of a scaled one (`timeScale` and `startAt` are then
   * ignored), e.g. a `createDeterministicClock()` shared with the code under test: the
   * emulator holds it while it answers each request.
   */
  clock?: EmulatorClock;
  /** Seed of the PRNG behind modelled durations and faults at a rate. Default 1. */
  randomSeed?: number;
  /** Overrides of modelled operation durations, in emulator ms, keyed like `route53.change`. */
  durations?: Record<string, number>;
  /** Extra services to mount beside the built-in ones (your own API, or a test double of one). */
  extraServices?: ReadonlyArray<(context: ServiceContext) => EmulatorService>;
  /** How many requests `requests` keeps (a ring buffer: the oldest are dropped). Default 10,000. */
  requestLogLimit?: number;
}

/** A running emulator: its URL, clock, request log and faults. */
export interface Emulator {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  readonly clock: EmulatorClock;
  readonly requests: RequestLog;
  readonly faults: FaultInjector;
  /** Whole regions gone dark (also at `POST/GET/DELETE /_emulator/blackouts`). */
  readonly blackouts: RegionBlackouts;
  readonly services: readonly EmulatorService[];
  /** A random id of this emulator process's world: a journal records it so a resume can tell it is the same one. */
  readonly instanceId: string;
  /** SHA-256 (hex) of the seed it started with. */
  readonly seedDigest: string;
  /** `${url}${mount}` of a service, e.g. `endpoint('aws.route53')`. */
  endpoint(serviceId: string): string;
  /** Closes the server and every open connection. */
  stop(): Promise<void>;
}

const maxBodyBytes = 5 * 1024 * 1024;

/**
 * `GET` answers `{ now, timeScale, instanceId, seedDigest }`: the emulator clock, for
 * clients in other processes, and which emulator world this is.
 */
export const clockPath = '/_emulator/clock';

/** `GET` lists the region blackouts, `POST { cloud, region, mode? }` adds one, `DELETE` lifts them all. */
export const blackoutsPath = '/_emulator/blackouts';

/** Starts the emulator on loopback. Resolves once it accepts connections. */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<Emulator> {
  const clock =
    options.clock ?? createEmulatorClock({ timeScale: options.timeScale, startAt: options.startAt });
  const randomSeed = options.randomSeed ?? 1;
  const random = seededRandom(randomSeed);
  const durations = options.durations ?? {};
  const blackouts = createRegionBlackouts();
  const context: ServiceContext = {
    clock,
    random,
    duration: (key, fallback) => durations[key] ?? fallback,
    regionDark: (cloud, region) =>
      blackouts.match({ id: `${cloud}.region`, cloud }, { region }) !== undefined,
  };
  const services = [
    ...createServices(context, options.seed ?? {}),
    ...(options.extraServices ?? []).map((create) => create(context)),
  ];
  // Longest mount first, so `/aws/route53` wins over a hypothetical `/aws`.
  const byMount = [...services].sort((a, b) => b.mount.length - a.mount.length);
  const requests = new RequestLog(options.requestLogLimit);
  const instanceId = globalThis.crypto.randomUUID();
  const seedDigest = createHash('sha256')
    .update(JSON.stringify(options.seed ?? {}))
    .digest('hex');
  const faults = createFaultInjector(randomSeed);

  const server = createServer((req, res) => {
    // A deterministic clock stands still from the request's arrival to the last byte of its
    // answer (or a dropped connection), except while the request itself waits on the clock.
    let release = clock.hold?.();
    const releaseHold = () => release?.();
    res.once('finish', releaseHold);
    res.once('close', releaseHold);
    const sleepUnheld = async (ms: number) => {
      release?.();
      await clock.sleep(ms);
      release = res.writableFinished || res.destroyed ? undefined : clock.hold?.();
    };
    readBody(req)
      .then((body) => dispatch(req, res, body, sleepUnheld))
      .catch(() => {
        if (!res.headersSent) send(res, { status: 400, body: { error: 'could not read the request body' } });
      });
  });
  server.keepAliveTimeout = 5_000;

  async function dispatch(
    req: IncomingMessage,
    res: ServerResponse,
    body: string | undefined,
    sleepUnheld: (ms: number) => Promise<void>,
  ): Promise<void> {
    const at = clock.now();
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    const method = req.method ?? 'GET';
    // The emulator's own endpoint: a client in another process reads the clock here to share it.
    if (url.pathname === clockPath && method === 'GET') {
      return send(res, {
        status: 200,
        body: { now: clock.now(), timeScale: clock.timeScale, instanceId, seedDigest },
      });
    }
    if (url.pathname === blackoutsPath) return controlBlackouts(method, body, res);
    const service = byMount.find((candidate) => mountMatches(url.pathname, candidate.mount));
    if (!service) {
      const response = { status: 404, body: { error: `No emulated service is mounted at ${url.pathname}.` } };
      requests.add({
        at,
        cloud: 'unknown',
        service: 'none',
        operation: 'unknown',
        mutating: false,
        method,
        path: url.pathname,
        status: 404,
      });
      return send(res, response);
    }
    const log = (
      match: Partial<RouteMatch>,
      status: number,
      extra: { fault?: string; internalError?: string; appliedStatus?: number } = {},
    ) =>
      requests.add({
        at,
        cloud: service.cloud,
        service: service.id,
        operation: match.operation ?? 'unknown',
        mutating: match.mutating ?? false,
        method,
        path: url.pathname,
        status,
        ...(match.region !== undefined && { region: match.region }),
        ...extra,
      });

    if (body === undefined) {
      const response = service.errorResponse('malformed', { message: 'The request body is too large.' });
      log({}, response.status);
      return send(res, response);
    }

    const request: EmulatorRequest = {
      method,
      path: url.pathname.slice(service.mount.length) || '/',
      query: url.searchParams,
      headers: req.headers,
      body,
      originalUrl: req.url ?? '/',
    };

    let routed: RouteMatch | EmulatorResponse;
    try {
      routed = service.route(request);
    } catch (error) {
      const response = service.errorResponse('malformed', { message: 'The request could not be parsed.' });
      log({}, response.status, { internalError: describe(error) });
      return send(res, response);
    }
    if (!isRouteMatch(routed)) {
      log({}, routed.status);
      return send(res, routed);
    }

    const dark = blackouts.match(service, routed);
    if (dark?.mode === 'drop') {
      log(routed, 0, { fault: 'blackout' });
      req.socket.destroy();
      return;
    }
    if (dark) {
      const response = service.errorResponse('server-error', {
        message: `The service is unavailable in ${dark.region} (region blackout).`,
      });
      log(routed, 503, { fault: 'blackout' });
      return send(res, { ...response, status: 503 });
    }

    const fault = faults.take(service.id, routed.operation);
    if (fault?.fault === 'drop') {
      log(routed, 0, { fault: 'drop' });
      req.socket.destroy();
      return;
    }
    if (fault?.fault === 'throttle' || fault?.fault === 'server-error') {
      const kind = fault.fault === 'throttle' ? 'throttled' : 'server-error';
      const response = service.errorResponse(kind, {
        message: kind === 'throttled' ? 'Rate exceeded' : 'An internal error occurred (injected).',
        retryAfterSeconds: fault.retryAfterSeconds ?? 1,
      });
      log(routed, response.status, { fault: fault.fault });
      return send(res, response);
    }
    if (fault?.fault === 'slow') await new Promise((resolve) => setTimeout(resolve, fault.delayMs ?? 200));
    if (fault?.fault === 'spike') await sleepUnheld(fault.delayMs ?? 3_000);

    try {
      const response = await routed.handle({ stuck: fault?.fault === 'stuck' });
      if (fault?.fault === 'applied-then-500') {
        // Applied, but the answer is lost: the client sees the same 500 as a `server-error`.
        const lost = service.errorResponse('server-error', {
          message: 'An internal error occurred (injected).',
        });
        log(routed, lost.status, { fault: fault.fault, appliedStatus: response.status });
        return send(res, lost);
      }
      log(routed, response.status, fault ? { fault: fault.fault } : {});
      send(res, response);
    } catch (error) {
      const response = service.errorResponse('server-error', {
        message: 'The emulator failed to handle the request.',
      });
      log(routed, response.status, { internalError: describe(error) });
      send(res, response);
    }
  }

  function controlBlackouts(method: string, body: string | undefined, res: ServerResponse): void {
    if (method !== 'GET' && method !== 'POST' && method !== 'DELETE') {
      send(res, { status: 405, body: { error: 'GET, POST or DELETE' } });
      return;
    }
    try {
      if (method === 'POST') blackouts.add(parseRegionBlackout(JSON.parse(body || '{}')));
      if (method === 'DELETE') blackouts.clear();
    } catch (error) {
      send(res, { status: 400, body: { error: describe(error) } });
      return;
    }
    send(res, { status: 200, body: { blackouts: blackouts.list() } });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;

  return {
    url,
    clock,
    requests,
    faults,
    blackouts,
    services,
    instanceId,
    seedDigest,
    endpoint(serviceId) {
      const service = services.find((candidate) => candidate.id === serviceId);
      if (!service) throw new Error(`No emulated service "${serviceId}".`);
      return `${url}${service.mount}`;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function mountMatches(pathname: string, mount: string): boolean {
  return pathname === mount || pathname.startsWith(`${mount}/`);
}

function isRouteMatch(value: RouteMatch | EmulatorResponse): value is RouteMatch {
  return typeof (value as RouteMatch).handle === 'function';
}

/** Resolves to the body, or undefined when it is larger than we accept. */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, response: EmulatorResponse): void {
  if (res.headersSent || res.destroyed) return;
  const isText = typeof response.body === 'string';
  const payload =
    response.body === undefined ? '' : isText ? (response.body as string) : JSON.stringify(response.body);
  const headers: Record<string, string> = { ...response.headers };
  if (payload.length > 0 && !Object.keys(headers).some((key) => key.toLowerCase() === 'content-type')) {
    headers['content-type'] = isText ? 'text/plain' : 'application/json; charset=utf-8';
  }
  headers['content-length'] = String(Buffer.byteLength(payload));
  res.writeHead(response.status, headers);
  res.end(payload);
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
