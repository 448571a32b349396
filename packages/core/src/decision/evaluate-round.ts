import type { SignalSample } from '../health/signal-sample.js';
import type { CheckReading } from './check-reading.js';
import type { RoundSummary, RoundVerdict } from './check-state.js';
import type { HealthCheckSpec, SampleAggregate, SignalCondition } from './health-check-spec.js';

/** The quorum a check uses: its own, else a majority of its vantage points, never more than there are. */
export function quorumOf(spec: HealthCheckSpec, vantagePoints: number): number {
  const m = Math.max(1, vantagePoints);
  return Math.min(m, spec.quorum ?? Math.floor(m / 2) + 1);
}

/**
 * One round of one check, a pure function of its reading. It fails when at least
 * `quorum` vantage points fail; it passes when the failing ones (even if every
 * unknown one had failed too) cannot reach the quorum; otherwise nobody can tell.
 */
export function evaluateRound(spec: HealthCheckSpec, reading: CheckReading): RoundSummary {
  const vantages = new Set(reading.vantagePoints);
  for (const sample of reading.samples ?? []) vantages.add(sample.vantage);
  const quorum = quorumOf(spec, vantages.size);
  if (reading.error) {
    return {
      at: reading.at,
      verdict: 'unknown',
      failing: 0,
      passing: 0,
      unknown: vantages.size,
      quorum,
      detail: `${spec.signal} could not be read: ${reading.error.message}`,
    };
  }
  const condition = spec.condition ?? { type: 'status' };
  const byVantage = new Map<string, SignalSample[]>();
  for (const sample of reading.samples ?? []) {
    const list = byVantage.get(sample.vantage) ?? [];
    list.push(sample);
    byVantage.set(sample.vantage, list);
  }
  let failing = 0;
  let passing = 0;
  let worst: number | undefined;
  const failures: string[] = [];
  for (const vantage of vantages) {
    const samples = byVantage.get(vantage) ?? [];
    const verdict = vantageVerdict(samples, condition, spec.aggregate ?? 'latest');
    if (verdict.value !== undefined) worst = worse(condition, worst, verdict.value);
    if (verdict.verdict === 'fail') {
      failing++;
      failures.push(`${vantage}: ${verdict.detail}`);
    } else if (verdict.verdict === 'pass') passing++;
  }
  const unknown = vantages.size - failing - passing;
  const verdict: RoundVerdict =
    failing >= quorum ? 'fail' : failing + unknown < quorum && passing > 0 ? 'pass' : 'unknown';
  const counts = `${failing} of ${vantages.size} vantage points failing (quorum ${quorum})`;
  return {
    at: reading.at,
    verdict,
    failing,
    passing,
    unknown,
    quorum,
    ...(worst !== undefined && { value: worst }),
    detail: failures.length > 0 ? `${counts}: ${failures.join('; ')}` : counts,
  };
}

interface VantageVerdict {
  verdict: RoundVerdict;
  value?: number;
  detail: string;
}

function vantageVerdict(
  samples: SignalSample[],
  condition: SignalCondition,
  aggregate: SampleAggregate,
): VantageVerdict {
  if (samples.length === 0) return { verdict: 'unknown', detail: 'no sample' };
  const newest = samples.reduce((a, b) => (b.at >= a.at ? b : a));
  if (condition.type === 'status') {
    const status = newest.status ?? 'unknown';
    const verdict: RoundVerdict = status === 'up' ? 'pass' : status === 'down' ? 'fail' : 'unknown';
    return {
      verdict,
      ...(newest.value !== undefined && { value: newest.value }),
      detail: newest.detail ?? status,
    };
  }
  const values = samples.flatMap((sample) => (sample.value === undefined ? [] : [sample.value]));
  if (values.length === 0) return { verdict: 'unknown', detail: 'no value' };
  const value = aggregateValues(values, aggregate, newest.value);
  const holds = condition.type === 'at-most' ? value <= condition.value : value >= condition.value;
  const limit = `${condition.type === 'at-most' ? '<=' : '>='} ${condition.value}`;
  return { verdict: holds ? 'pass' : 'fail', value, detail: `${aggregate} ${value}, expected ${limit}` };
}

/** Aggregates a vantage point's values; `latest` is the newest sample's (else the last value). */
export function aggregateValues(values: number[], aggregate: SampleAggregate, latest?: number): number {
  switch (aggregate) {
    case 'latest':
      return latest ?? values[values.length - 1]!;
    case 'mean':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'max':
      return Math.max(...values);
    case 'min':
      return Math.min(...values);
    case 'p95':
      return percentile(values, 0.95);
    case 'p99':
      return percentile(values, 0.99);
  }
}

/** Nearest-rank percentile. */
export function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(fraction * sorted.length));
  return sorted[rank - 1]!;
}

function worse(condition: SignalCondition, a: number | undefined, b: number): number {
  if (a === undefined) return b;
  return condition.type === 'at-least' ? Math.min(a, b) : Math.max(a, b);
}
