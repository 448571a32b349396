import type { FailoverResult } from '../result.js';
import type { SignalQuery } from './signal-query.js';
import type { SignalSample, SignalUnit } from './signal-sample.js';

/** What a source measures; the decision engine reads it to label evidence, never to branch on a cloud. */
export type SignalKind = 'probe' | 'metric' | 'alarm' | 'health-check' | 'replication-lag';

/**
 * A source of health signals: HTTP probes, a cloud's metrics or alarms, a health
 * check's status, a Prometheus query, a database's replication lag. It only
 * observes. `read` returns the samples of every vantage point it has; a vantage
 * point that could not observe is an `unknown` sample, not an error. An error
 * means the source as a whole could not be read (its API is down, throttled
 * past the deadline, or refuses our credentials) and is a value, never a throw.
 */
export interface SignalSourceV1 {
  /** The version of this interface the source implements. */
  readonly specificationVersion: 'v1';
  /** Stable name checks refer to, e.g. `api-probes`, `aurora-lag`, `error-rate`. */
  readonly id: string;
  readonly kind: SignalKind;
  /** Who implements it, as in errors: `http`, `prometheus`, `aws.cloudwatch`. */
  readonly provider: string;
  /** The unit of `value` in its samples, when they carry one. */
  readonly unit?: SignalUnit;
  /** The vantage points it reports from: the M of an N-of-M quorum. */
  readonly vantagePoints: readonly string[];
  /** Samples in `[at - windowMs, at]` (time series) or taken now (probes), oldest first. */
  read(query: SignalQuery): FailoverResult<SignalSample[]>;
}
