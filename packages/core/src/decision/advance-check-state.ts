import type { CheckState, RoundSummary } from './check-state.js';
import type { HealthCheckSpec } from './health-check-spec.js';

/** A check's state before its first round. */
export function initialCheckState(spec: HealthCheckSpec, at: number): CheckState {
  return {
    name: spec.name,
    class: spec.class,
    ...(spec.role && { role: spec.role }),
    status: 'unknown',
    since: at,
    consecutiveFailures: 0,
    consecutivePasses: 0,
  };
}

/**
 * The hysteresis of one check, pure: failing rounds in a row enter `failed`,
 * passing rounds in a row (and the minimum time spent failed) leave it. An
 * unknown round changes no counter: a dark vantage point neither fails nor heals a check.
 */
export function advanceCheckState(spec: HealthCheckSpec, state: CheckState, round: RoundSummary): CheckState {
  const next: CheckState = { ...state, lastRound: round };
  if (round.verdict === 'fail') {
    next.consecutiveFailures = state.consecutiveFailures + 1;
    next.consecutivePasses = 0;
    next.failingSince = state.failingSince ?? round.at;
  } else if (round.verdict === 'pass') {
    next.consecutivePasses = state.consecutivePasses + 1;
    next.consecutiveFailures = 0;
    delete next.failingSince;
  }
  const recovery = spec.recoveryThreshold ?? spec.failureThreshold;
  if (state.status !== 'failed' && next.consecutiveFailures >= spec.failureThreshold) {
    next.status = 'failed';
    next.since = round.at;
  } else if (
    state.status === 'failed' &&
    next.consecutivePasses >= recovery &&
    round.at - state.since >= (spec.minTimeInStateMs ?? 0)
  ) {
    next.status = 'healthy';
    next.since = round.at;
  } else if (state.status === 'unknown' && round.verdict === 'pass') {
    // Nothing to hold on to yet: the first passing round makes the check healthy.
    next.status = 'healthy';
    next.since = round.at;
  }
  return next;
}
