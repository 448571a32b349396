import { FailoverError } from '../errors/failover-error.js';
import type { SignalSourceV1 } from '../health/signal-source-v1.js';
import type { RetryPolicy } from '../plan/step.js';
import { err, ok, type Result } from '../result.js';
import { realTime, type Time } from '../time/time.js';
import { type Approver, denyAll } from './approver.js';
import type { DurableCalls } from './durable-calls.js';
import { fetchProbe, type HttpProbe } from './http-probe.js';
import { defaultRetryPolicy, resolveRetryPolicy } from './retry-delay.js';
import type { RunOptions } from './run-options.js';

/** `RunOptions` with every default applied. */
export interface RunSettings {
  time: Time;
  concurrency: number;
  dryRun: boolean;
  approver: Approver;
  httpProbe: HttpProbe;
  signals: Readonly<Record<string, SignalSourceV1>>;
  random: () => number;
  retry: Required<RetryPolicy>;
  defaultTimeoutMs: number;
  rollbackOnFailure: boolean;
  resume: boolean;
  durableCalls: DurableCalls | undefined;
}

const thirtyMinutes = 30 * 60_000;

/**
 * Steps running at once when neither the run nor the plan says: high enough that 1,000
 * independent DNS names switch in the time of one change (the providers' rate budgets
 * and batching bound the calls, not the executor).
 */
export const defaultConcurrency = 1_000;

/** Applies the defaults and rejects nonsense (`invalid-input` naming the option) before anything runs. */
export function resolveRunSettings(options: RunOptions): Result<RunSettings, FailoverError> {
  if (typeof options !== 'object' || options === null) return invalid('options', 'Run options are required.');
  if (typeof options.providers !== 'object' || options.providers === null) {
    return invalid('options.providers', 'providers must be an object of provider name to provider.');
  }
  const concurrency = options.concurrency ?? defaultConcurrency;
  if (
    typeof concurrency !== 'number' ||
    !(concurrency >= 1) ||
    (!Number.isInteger(concurrency) && concurrency !== Number.POSITIVE_INFINITY)
  ) {
    return invalid('options.concurrency', 'concurrency must be a whole number of at least 1 (or Infinity).');
  }
  const defaultTimeoutMs = options.defaultTimeoutMs ?? thirtyMinutes;
  if (typeof defaultTimeoutMs !== 'number' || !(defaultTimeoutMs > 0) || !Number.isFinite(defaultTimeoutMs)) {
    return invalid('options.defaultTimeoutMs', 'defaultTimeoutMs must be a positive number of milliseconds.');
  }
  const time = options.time ?? realTime;
  if (typeof time?.now !== 'function' || typeof time?.sleep !== 'function') {
    return invalid('options.time', 'time must have now() and sleep().');
  }
  const retry = resolveRetryPolicy(options.defaultRetry, defaultRetryPolicy);
  if (!(retry.maxAttempts >= 1) || !(retry.baseDelayMs >= 0) || !(retry.maxDelayMs >= 0)) {
    return invalid('options.defaultRetry', 'defaultRetry needs maxAttempts >= 1 and non-negative delays.');
  }
  return ok({
    time,
    concurrency,
    dryRun: options.dryRun === true,
    approver: options.approver ?? denyAll,
    httpProbe: options.httpProbe ?? fetchProbe,
    signals: options.signals ?? {},
    random: options.random ?? Math.random,
    retry,
    defaultTimeoutMs,
    rollbackOnFailure: options.rollbackOnFailure !== false,
    resume: options.resume !== false,
    durableCalls: options.durableCalls,
  });
}

function invalid(path: string, message: string): Result<never, FailoverError> {
  return err(
    new FailoverError({ kind: 'invalid-input', message, provider: 'executor', operation: 'runPlan', path }),
  );
}
