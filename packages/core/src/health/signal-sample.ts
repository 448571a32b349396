/**
 * The verdict a source gives on its own, when it has one: a probe answered as
 * expected (`up`) or not (`down`), an alarm is in ALARM (`down`), a health check
 * reports healthy (`up`). `unknown` is a vantage point that could not tell (its
 * own runner failed, no datapoint in the window): it never counts as up or down.
 */
export type SignalStatus = 'up' | 'down' | 'unknown';

/**
 * The unit of a sample's `value`. Sources convert to these (seconds to `ms`,
 * percent of requests to `ratio` when they know it is a ratio).
 */
export type SignalUnit = 'ms' | 'ratio' | 'percent' | 'count' | 'bytes' | 'none';

/**
 * One observation from one vantage point at one time. A source sets `status`,
 * `value` or both: a probe sets both (up/down and its latency), a metric sets
 * only `value` and the check's threshold decides.
 */
export interface SignalSample {
  /** When it was measured, ms since the epoch: a datapoint's own timestamp, not when we asked. */
  at: number;
  /**
   * Who observed: a named probe runner (`probe-eu-west-1`), a metric service in a
   * region (`cloudwatch:us-east-1`), a Prometheus server. Quorum counts distinct vantage points.
   */
  vantage: string;
  status?: SignalStatus;
  /** The measurement in `unit` (a latency, an error ratio, a replication lag). */
  value?: number;
  unit?: SignalUnit;
  /** One short sentence for the evidence (`GET /health returned 503 in 12 ms`); never a secret. */
  detail?: string;
}
