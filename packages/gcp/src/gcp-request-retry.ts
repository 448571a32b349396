import { AsyncLocalStorage } from 'node:async_hooks';
import {
  type ApiCall,
  createSharedBackoff,
  err,
  type FailoverError,
  isTransient,
  ok,
  type Result,
  retryWithinDeadline,
  type Time,
} from '@failover/core';
import { mapGcpError } from './gcp-error.js';

/** What one `gcpCall` tells the requests it sends: who it is, its deadline and signal. */
export interface GcpCallScope {
  provider: string;
  operation: string;
  mutating: boolean;
  deadlineAt?: number;
  abortSignal?: AbortSignal;
  onApiCall?: (call: ApiCall) => void;
}

/** Retries of transient failures of each request, as a budget of time. */
export interface GcpRetrySettings {
  /** Tries per request. Default: no count, only the deadline; 1 lets a 429 reach the caller. */
  maxAttempts?: number;
  /** Ceiling of the first pause (full jitter under it); doubles per try. Default 500 ms. */
  baseDelayMs?: number;
  /** Largest ceiling of a pause. Default 20 000 ms. */
  maxDelayMs?: number;
  /** Source of the jitter, in [0, 1): a seeded one makes retries deterministic. Default `Math.random`. */
  random?: () => number;
}

let scopes: AsyncLocalStorage<GcpCallScope> | undefined;

/**
 * Runs `send` with its call's scope in async-local storage: the Google clients
 * are shared by every call, so the retrying requester finds its caller there.
 */
export function inGcpCall<T>(scope: GcpCallScope, send: () => Promise<T>): Promise<T> {
  scopes ??= new AsyncLocalStorage<GcpCallScope>();
  return scopes.run(scope, send);
}

interface Requester {
  request(options: unknown): Promise<unknown>;
}

/**
 * The auth client every Google request goes through (googleapis and our REST
 * clients alike call its `request()`), with each request retried on the
 * injected clock inside its call's `deadlineAt`: a read on 429, 5xx, resets and
 * timeouts, a mutation only on 429 (refused, so not applied; any other failure
 * may have been applied and goes back to the adapter, whose ensure observes
 * before acting again). A 429 holds every request of these clients for its
 * delay. Requests outside a `gcpCall` pass through untouched.
 */
export function withRequestRetry<A extends object>(auth: A, time: Time, retry: GcpRetrySettings = {}): A {
  const pause = createSharedBackoff(time);
  const original = (auth as unknown as Requester).request;
  if (typeof original !== 'function') return auth;
  const request = async (options: unknown) => {
    const scope = scopes?.getStore();
    if (!scope) return original.call(auth, options);
    let lastThrown: unknown;
    const result = await retryWithinDeadline(
      async (attempt): Promise<Result<unknown, FailoverError>> => {
        await pause.wait(scope.abortSignal);
        // The first request was reported by gcpCall; retries are requests too.
        if (attempt > 1)
          scope.onApiCall?.({
            provider: scope.provider,
            operation: scope.operation,
            mutating: scope.mutating,
          });
        try {
          return ok(await original.call(auth, options));
        } catch (thrown) {
          lastThrown = thrown;
          return err(mapGcpError(thrown, scope.provider, scope.operation));
        }
      },
      {
        time,
        random: retry.random ?? Math.random,
        baseDelayMs: retry.baseDelayMs ?? 500,
        ...(retry.maxDelayMs !== undefined && { maxDelayMs: retry.maxDelayMs }),
        ...(retry.maxAttempts !== undefined && { maxAttempts: retry.maxAttempts }),
        ...(scope.abortSignal && { abortSignal: scope.abortSignal }),
        ...(scope.deadlineAt !== undefined && { deadlineAt: scope.deadlineAt }),
        shouldRetry: (error) => isTransient(error) && (error.kind === 'throttled' || !scope.mutating),
        onRetry: ({ error, delayMs }) => {
          if (error.kind === 'throttled') pause.hold(error.retryAfterMs ?? delayMs);
        },
      },
    );
    if (result.isOk()) return result.value;
    throw lastThrown;
  };
  return new Proxy(auth, {
    get(target, property, receiver) {
      if (property === 'request') return request;
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
