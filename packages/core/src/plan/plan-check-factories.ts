import type { CheckSpec } from './check-spec.js';
import { definedOnly, type StepOptions, stepBase } from './plan-step-options.js';
import type { CheckStep } from './step.js';

type Fields<T extends CheckSpec['type']> = Omit<Extract<CheckSpec, { type: T }>, 'type'>;

/** A check step's options: with `holdForMs`, the condition must hold that long, observed every `intervalMs`. */
type CheckStepOptions = StepOptions & { holdForMs?: number; intervalMs?: number };

function checkStep<T extends CheckSpec['type']>(
  type: T,
  id: string,
  fields: Fields<T>,
  options?: CheckStepOptions,
): CheckStep {
  const { holdForMs, intervalMs, ...rest } = options ?? {};
  return {
    ...stepBase(id, rest),
    kind: 'check',
    check: definedOnly({ type, ...fields }) as unknown as CheckSpec,
    ...definedOnly({ holdForMs, intervalMs }),
  };
}

/**
 * Pre-flight checks: they observe and pass or fail, never change anything.
 * To poll a condition until it holds, pass the same spec to `verify`.
 *
 * @example
 * check.replicationLag('lag', { provider: 'db', database: { id: 'orders' }, maxLagMs: 100 })
 * check.http('dr-health', { url: 'https://dr.example.com/healthz' }, { dependsOn: ['scale-dr'] })
 */
export const check = {
  /** Every reader (or those in `region`) lags the writer by at most `maxLagMs`. */
  replicationLag: (id: string, fields: Fields<'replication-lag'>, options?: CheckStepOptions) =>
    checkStep('replication-lag', id, fields, options),
  /** The database's writer is in `region`. */
  databaseWriter: (id: string, fields: Fields<'database-writer'>, options?: CheckStepOptions) =>
    checkStep('database-writer', id, fields, options),
  /** The record set's TTL is at most `maxTtl` seconds. */
  dnsTtl: (id: string, fields: Fields<'dns-ttl'>, options?: CheckStepOptions) =>
    checkStep('dns-ttl', id, fields, options),
  /** `target` is the record set's target taking the traffic. */
  dnsActiveTarget: (id: string, fields: Fields<'dns-active-target'>, options?: CheckStepOptions) =>
    checkStep('dns-active-target', id, fields, options),
  /** The pool has at least `minReady` ready nodes. */
  poolReady: (id: string, fields: Fields<'pool-ready'>, options?: CheckStepOptions) =>
    checkStep('pool-ready', id, fields, options),
  /**
   * A fence by evidence: every round of `probes` finds the old primary unreachable by a
   * quorum, continuously for `forMs`. Forced database steps that depend on it count
   * the names in `fences` as fenced.
   *
   * @example
   * check.primaryUnreachable('primary-dark', {
   *   fences: ['orders-writer.us-east-1'],
   *   probes: ['tcp://orders-writer.us-east-1.internal:5432', 'https://api.us-east-1.example.com/health'],
   *   forMs: 120_000,
   * })
   */
  primaryUnreachable: (id: string, fields: Fields<'primary-unreachable'>, options?: CheckStepOptions) =>
    checkStep('primary-unreachable', id, fields, options),
  /** A condition on a resource its `ResourceProviderV1` evaluates (`checkResource`), e.g. a backup's age. */
  resource: (id: string, fields: Fields<'resource'>, options?: CheckStepOptions) =>
    checkStep('resource', id, fields, options),
  /** A GET of `url` answers `expectStatus` (default 200). */
  http: (id: string, fields: Fields<'http'>, options?: CheckStepOptions) =>
    checkStep('http', id, fields, options),
  /** A signal source's value (error rate, p99 latency) meets `condition`, judged across its vantage points. */
  metric: (id: string, fields: Fields<'metric'>, options?: CheckStepOptions) =>
    checkStep('metric', id, fields, options),
};
