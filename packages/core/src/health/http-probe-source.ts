import { redact } from '../errors/redact.js';
import { okAsync } from '../result.js';
import type { HttpExpectation } from './http-expectation.js';
import { meetsHttpExpectation } from './http-expectation.js';
import { fetchProbeRunner, type HttpProbeRunner } from './http-probe-runner.js';
import type { SignalSample } from './signal-sample.js';
import type { SignalSourceV1 } from './signal-source-v1.js';

/** Options of `createHttpProbeSource`. */
export interface HttpProbeSourceOptions extends HttpExpectation {
  id: string;
  url: string;
  /** Default `GET`. */
  method?: string;
  /** Sent as is; their values never appear in samples or errors. */
  headers?: Record<string, string>;
  body?: string;
  /** Named vantage points. Default: this process alone, as `local`. */
  vantagePoints?: Record<string, HttpProbeRunner>;
}

/**
 * HTTP(S) probes of one endpoint from several vantage points at once. Each
 * vantage point gives an `up` or `down` sample with its latency; one that got
 * no answer in time is `down` (from there, the endpoint is not reachable). The
 * source never fails as a whole: its vantage points are independent.
 */
export function createHttpProbeSource(options: HttpProbeSourceOptions): SignalSourceV1 {
  const runners = options.vantagePoints ?? { local: fetchProbeRunner };
  const names = Object.keys(runners);
  const method = options.method ?? 'GET';
  const shownUrl = redact(options.url);
  return {
    specificationVersion: 'v1',
    id: options.id,
    kind: 'probe',
    provider: 'http',
    unit: 'ms',
    vantagePoints: names,
    read(query) {
      const probe = async (vantage: string, runner: HttpProbeRunner): Promise<SignalSample> => {
        try {
          const answer = await runner({
            url: options.url,
            method,
            timeoutMs: query.timeoutMs,
            ...(options.headers && { headers: options.headers }),
            ...(options.body !== undefined && { body: options.body }),
            ...(query.abortSignal && { abortSignal: query.abortSignal }),
          });
          const verdict = meetsHttpExpectation(answer, options);
          return {
            at: query.at,
            vantage,
            status: verdict.passed ? 'up' : 'down',
            value: answer.latencyMs,
            unit: 'ms',
            detail: `${method} ${shownUrl} ${verdict.detail}`,
          };
        } catch (cause) {
          const why = cause instanceof Error ? cause.message : String(cause);
          return {
            at: query.at,
            vantage,
            status: 'down',
            detail: redact(`${method} ${shownUrl} got no answer: ${why}`),
          };
        }
      };
      return okAsync(undefined).map(() => Promise.all(names.map((name) => probe(name, runners[name]!))));
    },
  };
}
