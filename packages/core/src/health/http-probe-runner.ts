import type { HttpAnswer } from './http-expectation.js';

/** One HTTP request a probe sends. */
export interface HttpProbeRequest {
  url: string;
  /** Default `GET`. */
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  abortSignal?: AbortSignal;
}

/**
 * A vantage point: something that sends a probe from somewhere (this process, a
 * runner in another region behind an API, a loopback prober in tests) and says
 * what came back. It rejects when nothing came back (refused, reset, timed out).
 */
export type HttpProbeRunner = (request: HttpProbeRequest) => Promise<HttpAnswer>;

/** Bodies beyond this are cut: a probe reads a health answer, not a download. */
export const maxProbeBodyChars = 64 * 1024;

/**
 * A vantage point in this process: global `fetch`, redirects not followed, the
 * latency measured on the monotonic clock (it is a real duration, not a schedule).
 */
export const fetchProbeRunner: HttpProbeRunner = async (request) => {
  const signals = [
    AbortSignal.timeout(request.timeoutMs),
    ...(request.abortSignal ? [request.abortSignal] : []),
  ];
  const started = performance.now();
  const response = await fetch(request.url, {
    method: request.method ?? 'GET',
    redirect: 'manual',
    signal: AbortSignal.any(signals),
    ...(request.headers && { headers: request.headers }),
    ...(request.body !== undefined && { body: request.body }),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text.slice(0, maxProbeBodyChars),
    latencyMs: Math.round(performance.now() - started),
  };
};
