import { FailoverError } from '../errors/failover-error.js';
import { redact } from '../errors/redact.js';
import type { CheckSpec } from '../plan/check-spec.js';
import { type DatabaseTopology, writerRegion } from '../providers/database/database-topology.js';
import { err, ok, type Result } from '../result.js';
import { activeDnsTarget } from './active-dns-target.js';
import { providerCounts } from './call-counts.js';
import { evaluateHttpRequestCheck, needsFullRequest } from './http-request-check.js';
import { lookupProvider } from './lookup-provider.js';
import { evaluateMetricCheck } from './metric-check.js';
import { recordCapacity } from './percent-of-sizing.js';
import { evaluatePrimaryUnreachable } from './primary-unreachable.js';
import { callProvider } from './provider-call.js';
import { evaluateResourceCheck } from './resource-check.js';
import { type CallScope, remainingMs } from './run-context.js';
import type { StepEvidence } from './step-evidence.js';

/** One evaluation of a condition, observed only. */
export interface CheckObservation {
  passed: boolean;
  /** What was observed, e.g. a lag in ms, a TTL, a region, a status code. */
  actual: unknown;
  /** What the check asks for, e.g. `<= 1000`. */
  expected: unknown;
  /** One sentence: actual against expected. */
  summary: string;
  /** What the report must keep (a fence by evidence's probe rounds). */
  evidence?: StepEvidence;
}

/** The HTTP checks' pseudo-provider name in call counts. */
export const httpProbeProvider = 'http';

/**
 * Evaluates a check by observing: `describe`, `getRecordSet`, `describePool` or an
 * HTTP probe. An error means the observation itself failed (retryable or not);
 * a condition that does not hold is an ok observation with `passed: false`.
 */
export async function evaluateCheck(
  scope: CallScope,
  check: CheckSpec,
): Promise<Result<CheckObservation, FailoverError>> {
  switch (check.type) {
    case 'replication-lag':
    case 'database-writer': {
      const provider = lookupProvider(scope.ctx.providers, check.provider, 'database');
      if (provider.isErr()) return err(provider.error);
      const db = provider.value;
      const observed = await callProvider(scope, check.provider, db.provider, 'observe', 'describe', (o) =>
        db.describe(check.database, o),
      );
      if (observed.isErr()) return err(observed.error);
      if (check.type === 'database-writer') {
        const actual = writerRegion(observed.value) ?? null;
        return ok({
          passed: actual === check.region,
          actual,
          expected: check.region,
          summary: `writer of ${check.database.id} is in ${actual ?? 'no single region'}, expected ${check.region}`,
        });
      }
      if (check.orWriterIn !== undefined && writerRegion(observed.value) === check.orWriterIn)
        return ok({
          passed: true,
          actual: check.orWriterIn,
          expected: `<= ${check.maxLagMs}, or the writer in ${check.orWriterIn}`,
          summary: `writer of ${check.database.id} is already in ${check.orWriterIn}: the move this lag gates is made`,
        });
      return ok(
        withDataLossWindow(replicationLag(observed.value, check.maxLagMs, check.region), scope, check),
      );
    }
    case 'dns-ttl':
    case 'dns-active-target': {
      const provider = lookupProvider(scope.ctx.providers, check.provider, 'dns');
      if (provider.isErr()) return err(provider.error);
      const dns = provider.value;
      const observed = await callProvider(
        scope,
        check.provider,
        dns.provider,
        'observe',
        'getRecordSet',
        (o) => dns.getRecordSet(check.record, o),
      );
      if (observed.isErr()) return err(observed.error);
      if (check.type === 'dns-ttl') {
        const actual = observed.value.ttl;
        return ok({
          passed: actual <= check.maxTtl,
          actual,
          expected: `<= ${check.maxTtl}`,
          summary: `TTL of ${check.record.name} is ${actual} s, expected at most ${check.maxTtl} s`,
        });
      }
      const actual = activeDnsTarget(observed.value) ?? null;
      return ok({
        passed: actual === check.target,
        actual,
        expected: check.target,
        summary: `${check.record.name} sends traffic to ${actual ?? 'no single target'}, expected ${check.target}`,
      });
    }
    case 'pool-ready': {
      const provider = lookupProvider(scope.ctx.providers, check.provider, 'cluster');
      if (provider.isErr()) return err(provider.error);
      const cluster = provider.value;
      const observed = await callProvider(
        scope,
        check.provider,
        cluster.provider,
        'observe',
        'describePool',
        (o) => cluster.describePool(check.pool, o),
      );
      if (observed.isErr()) return err(observed.error);
      recordCapacity(scope, check.provider, check.pool, observed.value, `readiness check ${scope.stepId}`);
      const actual = observed.value.ready;
      return ok({
        passed: actual >= check.minReady,
        actual,
        expected: `>= ${check.minReady}`,
        summary: `pool ${check.pool.cluster}/${check.pool.pool} has ${actual} ready nodes, expected at least ${check.minReady}`,
      });
    }
    case 'resource':
      return evaluateResourceCheck(scope, check);
    case 'http':
      return needsFullRequest(check)
        ? evaluateHttpRequestCheck(scope, check, httpProbeProvider)
        : probeHttp(scope, check);
    case 'metric':
      return evaluateMetricCheck(scope, check);
    case 'primary-unreachable':
      return evaluatePrimaryUnreachable(scope, check);
    default:
      return err(
        new FailoverError({
          kind: 'invalid-input',
          message: `Unknown check type "${(check as { type?: unknown }).type}".`,
          provider: 'executor',
          operation: 'check',
          path: 'check.type',
        }),
      );
  }
}

/**
 * A lag that passes is also the data-loss window of a forced promotion made now:
 * kept as evidence, so the report of an unplanned failover says what it may have lost.
 */
function withDataLossWindow(
  observation: CheckObservation,
  scope: CallScope,
  check: Extract<CheckSpec, { type: 'replication-lag' }>,
): CheckObservation {
  if (!observation.passed || typeof observation.actual !== 'number') return observation;
  const at = scope.ctx.time.now();
  return {
    ...observation,
    evidence: {
      type: 'data-loss-window',
      database: check.database.id,
      lagMs: observation.actual,
      observedAt: at,
      summary: `data-loss window of ${check.database.id}: a forced promotion loses at most ${observation.actual} ms of writes (${observation.summary}, at ${new Date(at).toISOString()})`,
    },
  };
}

function replicationLag(topology: DatabaseTopology, maxLagMs: number, region?: string): CheckObservation {
  const readers = topology.members.filter(
    (member) => member.role === 'reader' && (region === undefined || member.region === region),
  );
  const where = region === undefined ? '' : ` in ${region}`;
  if (readers.length === 0) {
    return {
      passed: false,
      actual: null,
      expected: `<= ${maxLagMs}`,
      summary: `${topology.id} has no reader${where} to measure replication lag on`,
    };
  }
  const unknown = readers.find((member) => member.replicationLagMs === undefined);
  if (unknown) {
    return {
      passed: false,
      actual: null,
      expected: `<= ${maxLagMs}`,
      summary: `replication lag of ${unknown.id} is not reported, expected at most ${maxLagMs} ms`,
    };
  }
  const worst = readers.reduce((a, b) => (b.replicationLagMs! > a.replicationLagMs! ? b : a));
  const actual = worst.replicationLagMs!;
  return {
    passed: actual <= maxLagMs,
    actual,
    expected: `<= ${maxLagMs}`,
    summary: `replication lag of ${worst.id} is ${actual} ms, expected at most ${maxLagMs} ms`,
  };
}

async function probeHttp(
  scope: CallScope,
  check: Extract<CheckSpec, { type: 'http' }>,
): Promise<Result<CheckObservation, FailoverError>> {
  const expected = check.expectStatus ?? 200;
  const timeoutMs = Math.min(check.timeoutMs ?? 5_000, remainingMs(scope));
  const counts = providerCounts(scope.calls, httpProbeProvider);
  scope.calls.total.observe++;
  counts.observe++;
  let status: number;
  try {
    status = await scope.ctx.httpProbe(check.url, { timeoutMs, abortSignal: scope.signal });
  } catch (cause) {
    // A network error is the endpoint not being up (yet): worth retrying or polling again.
    return err(
      new FailoverError({
        kind: 'unavailable',
        message: `GET ${check.url} failed: ${cause instanceof Error ? cause.message : String(cause)}`,
        provider: httpProbeProvider,
        operation: 'GET',
        retryable: true,
        cause,
      }),
    );
  }
  return ok({
    passed: status === expected,
    actual: status,
    expected,
    summary: `GET ${redact(check.url)} returned ${status}, expected ${expected}`,
  });
}
