import type { SerializedFailoverError } from '../errors/failover-error.js';
import type { SignalSample } from '../health/signal-sample.js';

/**
 * What one read of a check's source returned: the input of one round, journaled
 * as is so the round can be explained afterwards and replayed in a test.
 */
export interface CheckReading {
  check: string;
  /** The evaluation's clock time. */
  at: number;
  /** The source's vantage points (the M of the quorum), as it declared them. */
  vantagePoints: string[];
  samples?: SignalSample[];
  /** The source could not be read: the round is unknown, never a failure. */
  error?: SerializedFailoverError;
}
