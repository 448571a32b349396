import type { IncomingHttpHeaders } from 'node:http';
import type { EmulatorClock } from './emulator-clock.js';

/** The built-in clouds; a service of your own may name another (`cloudflare`). */
export type Cloud = 'aws' | 'azure' | 'gcp' | 'kubernetes' | (string & {});

/** A request as a service sees it: the mount prefix is already stripped from `path`. */
export interface EmulatorRequest {
  method: string;
  /** Path below the service's mount, e.g. `/2013-04-01/hostedzone/Z1/rrset`. Always starts with `/`. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The raw body, decoded as UTF-8. */
  body: string;
  /** The full original URL path and query, for building absolute links (LRO URLs). */
  originalUrl: string;
}

/** What a route answers: status, headers, and a body (a string as is, anything else as JSON). */
export interface EmulatorResponse {
  status: number;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
}

/** A request routed to one operation of a service. */
export interface RouteMatch {
  /** The cloud's operation name, e.g. `ChangeResourceRecordSets`, `failoverGroups.failover`. */
  operation: string;
  /** Whether the operation changes state (the request log reports it). */
  mutating: boolean;
  /** The region the request addresses, when known (AWS: the SigV4 credential scope). */
  region?: string;
  /** Performs the operation and answers it. */
  handle(call: HandleOptions): EmulatorResponse | Promise<EmulatorResponse>;
}

/** How the server asks a route to handle one call. */
export interface HandleOptions {
  /** A `stuck` fault applies: a long-running operation started by this call must never finish. */
  stuck: boolean;
}

/** Faults a service renders in its cloud's own error shape. */
export type ServiceErrorKind = 'throttled' | 'server-error' | 'malformed';

/** One emulated API (Route 53, ARM, Cloud SQL Admin...), mounted at a path prefix of the one server. */
export interface EmulatorService {
  /** e.g. `aws.route53`, `azure.arm`, `gcp.sqladmin`. */
  readonly id: string;
  readonly cloud: Cloud;
  /** Path prefix, e.g. `/aws/route53`. Clients use `${url}${mount}` as their endpoint. */
  readonly mount: string;
  /**
   * Routes a request to an operation, or answers it directly with the cloud's
   * error (unknown path, missing auth, malformed body).
   */
  route(request: EmulatorRequest): RouteMatch | EmulatorResponse;
  /** The cloud's own error response for an injected fault or a request we could not handle. */
  errorResponse(
    kind: ServiceErrorKind,
    detail: { message: string; retryAfterSeconds?: number },
  ): EmulatorResponse;
}

/** What services get to build their state and their time-modelled operations. */
export interface ServiceContext {
  clock: EmulatorClock;
  /** Seeded PRNG in [0, 1). */
  random: () => number;
  /** Duration of a modelled operation in emulator milliseconds, e.g. `duration('route53.change', 60_000)`. */
  duration(key: string, fallbackMs: number): number;
  /** Whether a region of a cloud is blacked out now (for what a service observes there, such as health checkers). */
  regionDark?(cloud: Cloud, region: string): boolean;
}
