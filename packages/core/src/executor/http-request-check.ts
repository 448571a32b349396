import { FailoverError } from '../errors/failover-error.js';
import { redact } from '../errors/redact.js';
import { meetsHttpExpectation } from '../health/http-expectation.js';
import { fetchProbeRunner } from '../health/http-probe-runner.js';
import type { CheckSpec } from '../plan/check-spec.js';
import { err, ok, type Result } from '../result.js';
import { providerCounts } from './call-counts.js';
import type { CheckObservation } from './evaluate-check.js';
import { type CallScope, remainingMs } from './run-context.js';

type HttpCheck = Extract<CheckSpec, { type: 'http' }>;

/** True when an `http` check asks for more than a GET's status: a method, headers, a body, body or latency assertions. */
export function needsFullRequest(check: HttpCheck): boolean {
  return (
    check.method !== undefined ||
    check.headers !== undefined ||
    check.body !== undefined ||
    check.bodyIncludes !== undefined ||
    check.json !== undefined ||
    check.maxLatencyMs !== undefined
  );
}

/** An `http` check with its method, headers and body, judged on status, body, JSON paths and latency. */
export async function evaluateHttpRequestCheck(
  scope: CallScope,
  check: HttpCheck,
  httpProvider: string,
): Promise<Result<CheckObservation, FailoverError>> {
  const method = check.method ?? 'GET';
  const counts = providerCounts(scope.calls, httpProvider);
  scope.calls.total.observe++;
  counts.observe++;
  const shown = redact(check.url);
  try {
    const answer = await fetchProbeRunner({
      url: check.url,
      method,
      timeoutMs: Math.min(check.timeoutMs ?? 5_000, remainingMs(scope)),
      abortSignal: scope.signal,
      ...(check.headers && { headers: check.headers }),
      ...(check.body !== undefined && { body: check.body }),
    });
    const verdict = meetsHttpExpectation(answer, { ...check, expectStatus: check.expectStatus ?? 200 });
    return ok({
      passed: verdict.passed,
      actual: answer.status,
      expected: check.expectStatus ?? 200,
      summary: `${method} ${shown} ${verdict.detail}`,
    });
  } catch (cause) {
    return err(
      new FailoverError({
        kind: 'unavailable',
        message: `${method} ${shown} failed: ${cause instanceof Error ? cause.message : String(cause)}`,
        provider: httpProvider,
        operation: method,
        retryable: true,
        cause,
      }),
    );
  }
}
