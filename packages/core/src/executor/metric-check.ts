import { evaluateRound } from '../decision/evaluate-round.js';
import { FailoverError } from '../errors/failover-error.js';
import type { CheckSpec } from '../plan/check-spec.js';
import { err, ok, type Result } from '../result.js';
import { providerCounts } from './call-counts.js';
import type { CheckObservation } from './evaluate-check.js';
import { type CallScope, remainingMs } from './run-context.js';

type MetricCheck = Extract<CheckSpec, { type: 'metric' }>;

/**
 * A `metric` check: one read of the signal source, judged as one round of a
 * health check (quorum across vantage points). A round nobody can judge (no
 * datapoint, too many dark vantage points) is a retryable `unavailable`: a
 * verify step polls on, a check step fails.
 */
export async function evaluateMetricCheck(
  scope: CallScope,
  check: MetricCheck,
): Promise<Result<CheckObservation, FailoverError>> {
  const source = scope.ctx.signals[check.signal];
  if (!source) {
    return err(
      new FailoverError({
        kind: 'invalid-input',
        message: `No signal source "${check.signal}" is bound (RunOptions.signals).`,
        provider: 'executor',
        operation: 'check',
        path: 'check.signal',
      }),
    );
  }
  const counts = providerCounts(scope.calls, source.provider);
  scope.calls.total.observe++;
  counts.observe++;
  const at = scope.ctx.time.now();
  const timeoutMs = Math.min(check.timeoutMs ?? 10_000, remainingMs(scope));
  const read = await source.read({
    at,
    windowMs: check.windowMs ?? 60_000,
    timeoutMs,
    abortSignal: scope.signal,
    deadlineAt: at + timeoutMs,
  });
  if (read.isErr()) return err(read.error);
  const round = evaluateRound(
    {
      name: check.signal,
      class: 'critical',
      signal: check.signal,
      condition: check.condition,
      ...(check.aggregate && { aggregate: check.aggregate }),
      ...(check.quorum !== undefined && { quorum: check.quorum }),
      intervalMs: 1,
      failureThreshold: 1,
      timeoutMs,
    },
    { check: check.signal, at, vantagePoints: [...source.vantagePoints], samples: read.value },
  );
  const condition = check.condition;
  const expected =
    condition.type === 'status' ? 'up' : `${condition.type === 'at-most' ? '<=' : '>='} ${condition.value}`;
  const summary = `${check.signal} ${check.aggregate ?? 'latest'} ${round.value ?? 'unknown'}, expected ${expected} (${round.detail})`;
  if (round.verdict === 'unknown') {
    return err(
      new FailoverError({
        kind: 'unavailable',
        message: `${check.signal} cannot tell: ${round.detail}`,
        provider: source.provider,
        operation: 'read',
        retryable: true,
      }),
    );
  }
  return ok({ passed: round.verdict === 'pass', actual: round.value ?? null, expected, summary });
}
