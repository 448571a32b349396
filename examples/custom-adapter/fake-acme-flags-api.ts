// A tiny, in-memory stand-in for the imaginary Acme Flags HTTP API (feature flags), for
// the resource adapter's tests. It listens on 127.0.0.1 on an ephemeral port and models
// what makes such adapters hard: a change that takes a while to reach every edge (a
// `rollout`, on a clock the test injects), optimistic concurrency (If-Match on the flag's
// version, 412 when it moved), locked flags (423), 429 + Retry-After, lost answers.
//
//   GET /v1/flags/:key        GetFlag     -> AcmeFlagWire, 404 when missing
//   PUT /v1/flags/:key        SetFlag     -> 202 { rollout } (If-Match: <version>)
//   GET /v1/rollouts/:id      GetRollout  -> AcmeRollout, 404 when unknown
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AcmeFlagWire, AcmeRollout, FlagValue } from './acme-flags-wire.js';

export type AcmeFlagsOperation = 'GetFlag' | 'SetFlag' | 'GetRollout';

export interface FakeAcmeFlagsOptions {
  token: string;
  /** The API's clock: a rollout is `done` once `rolloutMs` have passed on it. */
  clock: { now(): number };
  /** Default 20 s. */
  rolloutMs?: number;
  flags: Array<Pick<AcmeFlagWire, 'key' | 'kind' | 'value'> & { locked?: boolean }>;
}

export interface FakeAcmeFlagsApi {
  /** Base URL of the API, ending in `/v1`. */
  readonly url: string;
  /** PUT requests received, refused or not. */
  readonly mutatingRequests: number;
  /** The next `count` requests of `operation` get 429 with `Retry-After` (whole seconds). */
  throttle(operation: AcmeFlagsOperation, options: { count: number; retryAfterMs: number }): void;
  /** The next rollout never finishes. */
  stickNextRollout(): void;
  /** The next PUT is applied, but answered with a 500: its answer is lost. */
  loseNextAnswer(): void;
  /** Someone else changes a flag (a new version), as a console user would. */
  edit(key: string, value: FlagValue): void;
  close(): Promise<void>;
}

export async function startFakeAcmeFlags(options: FakeAcmeFlagsOptions): Promise<FakeAcmeFlagsApi> {
  const flags = new Map(
    options.flags.map((flag): [string, AcmeFlagWire] => [
      flag.key,
      { ...flag, locked: flag.locked ?? false, version: 1, rollout: null },
    ]),
  );
  const rollouts = new Map<string, { doneAt: number }>();
  const throttled = new Map<AcmeFlagsOperation, { count: number; retryAfterMs: number }>();
  let mutatingRequests = 0;
  let stickNext = false;
  let loseNext = false;

  const rolloutOf = (id: string): AcmeRollout => ({
    id,
    status: options.clock.now() >= rollouts.get(id)!.doneAt ? 'done' : 'rolling',
  });
  const view = (flag: AcmeFlagWire): AcmeFlagWire => ({
    ...structuredClone(flag),
    rollout: flag.rollout && rolloutOf(flag.rollout.id),
  });

  const handle = async (
    req: IncomingMessage,
  ): Promise<{ status: number; body: unknown; retryAfter?: number }> => {
    const path = new URL(req.url ?? '/', 'http://acme.invalid').pathname.split('/').map(decodeURIComponent);
    const onFlag = path.length === 4 && path[1] === 'v1' && path[2] === 'flags';
    const operation: AcmeFlagsOperation | undefined =
      onFlag && req.method === 'GET'
        ? 'GetFlag'
        : onFlag && req.method === 'PUT'
          ? 'SetFlag'
          : path.length === 4 && path[2] === 'rollouts' && req.method === 'GET'
            ? 'GetRollout'
            : undefined;
    if (req.method === 'PUT') mutatingRequests++;
    const body = await readBody(req);
    if (req.headers.authorization !== `Bearer ${options.token}`) return failure(401, 'Token rejected.');
    if (!operation) return failure(404, `No route ${req.method} ${path.join('/')}.`);
    const throttle = throttled.get(operation);
    if (throttle && throttle.count > 0) {
      throttle.count--;
      return { ...failure(429, 'Slow down.'), retryAfter: Math.ceil(throttle.retryAfterMs / 1000) };
    }
    if (operation === 'GetRollout') {
      return rollouts.has(path[3]!)
        ? { status: 200, body: rolloutOf(path[3]!) }
        : failure(404, 'No such rollout.');
    }
    const flag = flags.get(path[3]!);
    if (!flag) return failure(404, `No flag ${path[3]}.`);
    if (operation === 'GetFlag') return { status: 200, body: view(flag) };

    let value: unknown;
    try {
      value = (JSON.parse(body) as { value?: unknown }).value;
    } catch {
      return failure(400, 'The body is not JSON.');
    }
    if (typeof value !== flag.kind) return failure(400, `Flag ${flag.key} takes a ${flag.kind}.`);
    if (flag.locked) return failure(423, `Flag ${flag.key} is locked.`);
    if (req.headers['if-match'] !== String(flag.version)) {
      return failure(412, `Flag ${flag.key} is at version ${flag.version}.`);
    }
    const id = `ro-${rollouts.size + 1}`;
    rollouts.set(id, {
      doneAt: stickNext ? Number.POSITIVE_INFINITY : options.clock.now() + (options.rolloutMs ?? 20_000),
    });
    stickNext = false;
    flag.value = value as FlagValue;
    flag.version++;
    flag.rollout = { id, status: 'rolling' };
    if (loseNext) {
      loseNext = false;
      return failure(500, 'Something went wrong.');
    }
    return { status: 202, body: { rollout: rolloutOf(id) } };
  };

  const server = createServer((req, res) => {
    handle(req).then(
      ({ status, body, retryAfter }) => {
        res.writeHead(status, {
          'content-type': 'application/json',
          ...(retryAfter !== undefined && { 'retry-after': String(retryAfter) }),
        });
        res.end(JSON.stringify(body));
      },
      () => res.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    get mutatingRequests() {
      return mutatingRequests;
    },
    throttle: (operation, throttle) => throttled.set(operation, { ...throttle }),
    stickNextRollout: () => {
      stickNext = true;
    },
    loseNextAnswer: () => {
      loseNext = true;
    },
    edit: (key, value) => {
      const flag = flags.get(key)!;
      flag.value = value;
      flag.version++;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function failure(status: number, message: string) {
  return { status, body: { error: { message } } };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
    });
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}
