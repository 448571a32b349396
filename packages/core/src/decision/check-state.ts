import type { CheckClass, CheckRole } from './health-check-spec.js';

/** Where a check stands: `unknown` until a round could tell. */
export type CheckStatus = 'healthy' | 'failed' | 'unknown';

/** What one round of a check found. */
export type RoundVerdict = 'pass' | 'fail' | 'unknown';

/** One check's state between rounds: what the hysteresis and the policy read. Plain JSON. */
export interface CheckState {
  name: string;
  class: CheckClass;
  role?: CheckRole;
  status: CheckStatus;
  /** When it entered `status`. */
  since: number;
  consecutiveFailures: number;
  consecutivePasses: number;
  /** Start of the current run of failing rounds, if the last round failed. */
  failingSince?: number;
  /** The last round: its time, verdict, vantage counts and reading. */
  lastRound?: RoundSummary;
}

/** One round of one check, as journaled and shown as evidence. */
export interface RoundSummary {
  at: number;
  verdict: RoundVerdict;
  failing: number;
  passing: number;
  unknown: number;
  quorum: number;
  /** The worst value among the vantage points that read one (highest for at-most, lowest for at-least). */
  value?: number;
  /** One sentence: what failed where, or why the round could not tell. */
  detail: string;
}
