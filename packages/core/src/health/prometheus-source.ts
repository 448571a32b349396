import { FailoverError } from '../errors/failover-error.js';
import { redact } from '../errors/redact.js';
import { errAsync, okAsync, ResultAsync } from '../result.js';
import type { SignalSample, SignalUnit } from './signal-sample.js';
import type { SignalSourceV1 } from './signal-source-v1.js';

/** Options of `createPrometheusSource`. */
export interface PrometheusSourceOptions {
  id: string;
  /** The server's base URL, e.g. `http://prometheus:9090`. */
  url: string;
  /** A PromQL expression that yields one number, e.g. an error ratio `sum(rate(...[5m])) / sum(rate(...[5m]))`. */
  query: string;
  unit?: SignalUnit;
  /** The vantage point its samples name. Default: the source's id. */
  vantage?: string;
  /** Sent with each query (an authorization header); never shown. */
  headers?: Record<string, string>;
  /** Default global `fetch`. */
  fetch?: typeof fetch;
}

interface PrometheusAnswer {
  status?: 'success' | 'error';
  errorType?: string;
  error?: string;
  data?: { resultType?: string; result?: unknown };
}

/**
 * A Prometheus HTTP API instant query (`GET /api/v1/query?query=…&time=…`) at the
 * evaluation's time. Each series of a vector, or the scalar, is one sample; a
 * `NaN` value is a sample without value (unknown). An error answer is an error value.
 */
export function createPrometheusSource(options: PrometheusSourceOptions): SignalSourceV1 {
  const vantage = options.vantage ?? options.id;
  const doFetch = options.fetch ?? fetch;
  const fail = (kind: FailoverError['kind'], message: string, cause?: unknown) =>
    new FailoverError({
      kind,
      message: redact(message),
      provider: 'prometheus',
      operation: 'query',
      ...(cause !== undefined && { cause }),
    });
  return {
    specificationVersion: 'v1',
    id: options.id,
    kind: 'metric',
    provider: 'prometheus',
    ...(options.unit && { unit: options.unit }),
    vantagePoints: [vantage],
    read(query) {
      const url = new URL('api/v1/query', options.url.endsWith('/') ? options.url : `${options.url}/`);
      url.searchParams.set('query', options.query);
      url.searchParams.set('time', (query.at / 1000).toFixed(3));
      const signals = [
        AbortSignal.timeout(query.timeoutMs),
        ...(query.abortSignal ? [query.abortSignal] : []),
      ];
      const request = (async () => {
        const response = await doFetch(url, {
          signal: AbortSignal.any(signals),
          ...(options.headers && { headers: options.headers }),
        });
        const text = await response.text();
        let answer: PrometheusAnswer;
        try {
          answer = JSON.parse(text) as PrometheusAnswer;
        } catch {
          return { status: response.status, answer: undefined };
        }
        return { status: response.status, answer };
      })();
      return ResultAsync.fromPromise(request, (cause) =>
        fail('unavailable', `Prometheus at ${options.url} did not answer: ${String(cause)}`, cause),
      ).andThen(({ status, answer }) => {
        if (answer?.status !== 'success') {
          const kind =
            status === 400 || status === 422 ? 'invalid-input' : status === 429 ? 'throttled' : 'unavailable';
          const why = answer?.error ? `${answer.errorType ?? 'error'}: ${answer.error}` : `HTTP ${status}`;
          return errAsync(fail(kind, `Prometheus query failed (${why})`));
        }
        return okAsync(samplesOf(answer, vantage, options.unit));
      });
    },
  };
}

function samplesOf(answer: PrometheusAnswer, vantage: string, unit: SignalUnit | undefined): SignalSample[] {
  const data = answer.data;
  const toSample = (pair: unknown, labels?: Record<string, string>): SignalSample | undefined => {
    if (!Array.isArray(pair) || pair.length !== 2) return undefined;
    const at = Math.round(Number(pair[0]) * 1000);
    const value = Number(pair[1]);
    const name = labels && Object.keys(labels).length > 0 ? JSON.stringify(labels) : 'value';
    return {
      at,
      vantage,
      ...(Number.isFinite(value) && { value }),
      ...(unit && { unit }),
      detail: `${name} = ${String(pair[1])}`,
    };
  };
  if (data?.resultType === 'scalar') {
    const sample = toSample(data.result);
    return sample ? [sample] : [];
  }
  if (data?.resultType === 'vector' && Array.isArray(data.result)) {
    return data.result.flatMap((series: { metric?: Record<string, string>; value?: unknown }) => {
      const sample = toSample(series.value, series.metric);
      return sample ? [sample] : [];
    });
  }
  return [];
}
