/** One probe of one round of a `primary-unreachable` check. */
export interface ProbeObservation {
  /** The probe, redacted (no credentials in URLs). */
  probe: string;
  unreachable: boolean;
  /** `connection refused`, `no answer in 2 s`, `HTTP 503`, `HTTP 200`... */
  detail: string;
}

/** One round: every probe at once. */
export interface ProbeRound {
  /** Clock time of the round, epoch ms. */
  at: number;
  unreachable: number;
  results: ProbeObservation[];
}

/**
 * Why a forced step was allowed to run without fencing the old primary's
 * traffic: it was seen unreachable by a quorum of probes, round after round,
 * for the configured time. Journaled with the step and shown in the report.
 */
export interface UnreachableEvidence {
  type: 'primary-unreachable';
  fences: string[];
  quorum: number;
  probes: number;
  forMs: number;
  /** First and last round, clock time. */
  firstAt: number;
  lastAt: number;
  rounds: number;
  /** The first and the last round in full; those between only counted. */
  firstRound: ProbeRound;
  lastRound: ProbeRound;
  summary: string;
}

/** A pool sized from the capacity recorded earlier, because the pool it is a share of could not be read. */
export interface RecordedCapacityEvidence {
  type: 'recorded-capacity';
  provider: string;
  pool: string;
  /** The desired count recorded, and when (epoch ms), and how it was recorded. */
  nodes: number;
  recordedAt: number;
  recordedBy: string;
  /** Why the live value was not used (the observe error, redacted). */
  reason: string;
  summary: string;
}

/** The replication lag a passing `replication-lag` check saw: what a forced promotion then loses, at most. */
export interface DataLossWindowEvidence {
  type: 'data-loss-window';
  database: string;
  lagMs: number;
  /** Clock time, epoch ms. */
  observedAt: number;
  summary: string;
}

/**
 * An advance-only weighted DNS step (a failback's canary stage) that found the traffic
 * already at or beyond its stage, and so left the weights as they were.
 */
export interface WeightsAdvancedEvidence {
  type: 'weights-already-advanced';
  /** The record set's name. */
  record: string;
  /** The targets the traffic is moving to. */
  leading: string[];
  /** Their share of the traffic observed, and the share the stage gives them, percent. */
  observedPercent: number;
  stagePercent: number;
  summary: string;
}

/** What a step observed that the report must show: why a fence held, where a size came from, what may be lost, why weights were left. */
export type StepEvidence =
  | UnreachableEvidence
  | RecordedCapacityEvidence
  | DataLossWindowEvidence
  | WeightsAdvancedEvidence;
