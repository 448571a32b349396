import type { CallOptions } from '../providers/call-options.js';

/** What one read of a signal source asks for. */
export interface SignalQuery extends CallOptions {
  /** The evaluation's clock time, ms since the epoch (injected clock): the end of the window. */
  at: number;
  /**
   * For time series: how far back from `at` to return datapoints (an error rate
   * over 5 minutes). Sources that measure now (probes) ignore it. Default: the
   * source's own period, so at least the latest datapoint comes back.
   */
  windowMs?: number;
  /** How long the whole read may take; a probe that does not answer in time is a `down` sample. */
  timeoutMs: number;
}
