// A tiny, in-memory stand-in for the imaginary Acme DNS HTTP API, for the adapter's
// tests. It listens on 127.0.0.1 on an ephemeral port and models what makes DNS
// adapters hard to get right: changes that stay `pending` for a while (on a clock the
// test injects), throttling with 429 + Retry-After, and a count of mutating requests.
//
//   GET /v1/zones/:zone/rrsets/:name/:type   GetRRSet  -> AcmeRRSet, 404 when missing
//   PUT /v1/zones/:zone/rrsets/:name/:type   PutRRSet  -> 202 { change } (create or replace)
//   GET /v1/changes/:id                      GetChange -> AcmeChange
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AcmeChange, type AcmeRRSet, type AcmeRRSetInput, acmeRoutings } from './acme-dns-records.js';

export type AcmeOperation = 'GetRRSet' | 'PutRRSet' | 'GetChange';

export interface FakeAcmeDnsOptions {
  /** The bearer token the API accepts. */
  token: string;
  /** The API's clock: a change is `done` once `propagationMs` have passed on it. */
  clock: { now(): number };
  /** Default 30 s. */
  propagationMs?: number;
  /** Record sets by zone name, e.g. `{ 'example.com.': [...] }`. */
  zones: Record<string, Array<Omit<AcmeRRSet, 'change'>>>;
}

export interface FakeAcmeDnsApi {
  /** Base URL of the API, ending in `/v1`. */
  readonly url: string;
  /** PUT requests received, throttled or not. */
  readonly mutatingRequests: number;
  /** The next `count` requests of `operation` get 429 with `Retry-After` (whole seconds). */
  throttle(operation: AcmeOperation, options: { count: number; retryAfterMs: number }): void;
  /** The next change accepted stays pending forever. */
  stickNextChange(): void;
  /** The next change is applied, but answered with a 500: its answer is lost. */
  loseNextAnswer(): void;
  close(): Promise<void>;
}

export async function startFakeAcmeDns(options: FakeAcmeDnsOptions): Promise<FakeAcmeDnsApi> {
  const zones = new Map(
    Object.entries(options.zones).map(([zone, sets]) => [
      zone,
      new Map(
        sets.map((set): [string, AcmeRRSet] => [
          `${set.name}/${set.type}`,
          { ...structuredClone(set), change: null },
        ]),
      ),
    ]),
  );
  const changes = new Map<string, { doneAt: number }>();
  const throttled = new Map<AcmeOperation, { count: number; retryAfterMs: number }>();
  let mutatingRequests = 0;
  let stickNext = false;
  let loseNext = false;

  const changeOf = (id: string): AcmeChange => ({
    id,
    status: options.clock.now() >= changes.get(id)!.doneAt ? 'done' : 'pending',
  });

  const handle = async (
    req: IncomingMessage,
  ): Promise<{ status: number; body: unknown; retryAfter?: number }> => {
    const path = new URL(req.url ?? '/', 'http://acme.invalid').pathname.split('/').map(decodeURIComponent);
    const rrset = path.length === 7 && path[1] === 'v1' && path[2] === 'zones' && path[4] === 'rrsets';
    const operation: AcmeOperation | undefined =
      rrset && req.method === 'GET'
        ? 'GetRRSet'
        : rrset && req.method === 'PUT'
          ? 'PutRRSet'
          : path.length === 4 && path[2] === 'changes' && req.method === 'GET'
            ? 'GetChange'
            : undefined;
    if (req.method === 'PUT') mutatingRequests++;
    const body = await readBody(req);
    if (req.headers.authorization !== `Bearer ${options.token}`)
      // Like some real APIs, it echoes what it got: the adapter's errors must not leak it.
      return failure(401, 'unauthorized', `Token rejected: "Authorization: ${req.headers.authorization}".`);
    if (!operation) return failure(404, 'no_route', `No route ${req.method} ${path.join('/')}.`);
    const throttle = throttled.get(operation);
    if (throttle && throttle.count > 0) {
      throttle.count--;
      return {
        ...failure(429, 'rate_limited', 'Slow down.'),
        retryAfter: Math.ceil(throttle.retryAfterMs / 1000),
      };
    }

    if (operation === 'GetChange') {
      return changes.has(path[3]!)
        ? { status: 200, body: changeOf(path[3]!) }
        : failure(404, 'change_not_found', 'No such change.');
    }
    const zone = zones.get(path[3]!);
    if (!zone) return failure(404, 'zone_not_found', `No zone ${path[3]}.`);
    const key = `${path[5]}/${path[6]}`;
    if (operation === 'GetRRSet') {
      const found = zone.get(key);
      if (!found) return failure(404, 'rrset_not_found', `No record set ${key}.`);
      return { status: 200, body: { ...found, change: found.change && changeOf(found.change.id) } };
    }
    const input = parseRRSet(body);
    if (!input) return failure(400, 'invalid_request', 'The body is not a valid record set.');
    const id = `chg-${changes.size + 1}`;
    changes.set(id, {
      doneAt: stickNext ? Number.POSITIVE_INFINITY : options.clock.now() + (options.propagationMs ?? 30_000),
    });
    stickNext = false;
    zone.set(key, { name: path[5]!, type: path[6]!, ...input, change: { id, status: 'pending' } });
    if (loseNext) {
      loseNext = false;
      return failure(500, 'internal', 'Something went wrong.');
    }
    return { status: 202, body: { change: changeOf(id) } };
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
    stickNextChange: () => {
      stickNext = true;
    },
    loseNextAnswer: () => {
      loseNext = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function failure(status: number, code: string, message: string) {
  return { status, body: { error: { code, message } } };
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

/** The PUT body, or undefined when it is not one Acme DNS would accept. */
function parseRRSet(text: string): AcmeRRSetInput | undefined {
  try {
    const { ttl, policy, answers } = JSON.parse(text) as Partial<AcmeRRSet>;
    const labels = new Set(answers?.map((answer) => answer.label));
    if (!Number.isInteger(ttl) || ttl! < 0 || !acmeRoutings.includes(policy!)) return undefined;
    if (!Array.isArray(answers) || labels.size !== answers.length) return undefined;
    return { ttl: ttl!, policy: policy!, answers };
  } catch {
    return undefined;
  }
}
