/** How much a check matters, as in the ADR's layers: infrastructure, services, business metrics. */
export type CheckClass = 'critical' | 'important' | 'informational';

/**
 * What a check stands for, so the default policy's rules can name it without
 * knowing its name: the database writer, the error rate, the response time.
 */
export type CheckRole = 'database-writer' | 'error-rate' | 'latency' | 'service' | 'region';

/**
 * When one vantage point's reading passes. `status`: the source's own verdict
 * (`up` passes). `at-most` / `at-least`: the reading's value against a limit
 * (an error ratio at most 0.1, a latency at most 800 ms, a lag at most 30 s).
 */
export type SignalCondition =
  | { type: 'status' }
  | { type: 'at-most'; value: number }
  | { type: 'at-least'; value: number };

/**
 * How one vantage point's samples in the window become one reading: the newest
 * (`latest`, the default), the `mean`, the `max` or the `min`, or a percentile
 * (`p95`, `p99`) of the values.
 */
export type SampleAggregate = 'latest' | 'mean' | 'max' | 'min' | 'p95' | 'p99';

/**
 * One layered health check (ADR 039's `HealthCheck`), observed through a signal
 * source. A round reads the source; it fails when at least `quorum` vantage points
 * fail, so one probe's blip never counts. The check fails after
 * `failureThreshold` failing rounds in a row, and is healthy again only after
 * `recoveryThreshold` passing rounds in a row and `minTimeInStateMs` in the failed state.
 */
export interface HealthCheckSpec {
  /** Unique among the checks; what the journal, the evidence and the policy name. */
  name: string;
  class: CheckClass;
  role?: CheckRole;
  /** The id of the signal source to read. */
  signal: string;
  /** Default `{ type: 'status' }`. */
  condition?: SignalCondition;
  /** For time series: the window read each round. Default: one interval. */
  windowMs?: number;
  /** Default `latest`. */
  aggregate?: SampleAggregate;
  /** Between rounds. */
  intervalMs: number;
  /** Failing rounds in a row before the check is failed (the enter condition). */
  failureThreshold: number;
  /** Passing rounds in a row before a failed check is healthy again (the exit condition). Default: `failureThreshold`. */
  recoveryThreshold?: number;
  /** Shortest time a check stays failed once it failed. Default 0. */
  minTimeInStateMs?: number;
  /** How long one read may take; a read that does not finish in time is an unknown round. */
  timeoutMs: number;
  /** N of the source's M vantage points that must fail for a round to fail. Default: a majority of M. */
  quorum?: number;
}
