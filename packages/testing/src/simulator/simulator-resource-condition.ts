import type { ResourceCheckObservation, ResourceJson } from '@failover/core';

/**
 * What a simulated resource's `checkResource` (and `waitForResource`'s `until`) understands:
 * one field of the state, by dot path, against one or more bounds. All given bounds must hold.
 *
 * @example
 * { path: 'latestBackup.completedAt', maxAgeMs: 3_600_000 } // a timestamp at most an hour old
 * { path: 'latestBackup.phase', equals: 'Completed' }
 * { path: 'status.readyReplicas', atLeast: 3 }
 */
export interface SimulatedResourceCondition {
  path: string;
  equals?: unknown;
  atLeast?: number;
  atMost?: number;
  /** The field is a clock time (ms) no older than this. */
  maxAgeMs?: number;
  /** The field is a clock time no older than the plan's RPO (the check's `rpoMs`). */
  withinRpo?: boolean;
}

/** The value at a dot path of a state, `undefined` when a segment is missing. */
export function valueAt(state: unknown, path: string): unknown {
  let value = state;
  for (const segment of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/** Whether `condition` is one the simulator can evaluate; a message when not. */
export function conditionProblem(condition: unknown): string | undefined {
  if (typeof condition !== 'object' || condition === null || Array.isArray(condition)) {
    return 'A condition must be an object.';
  }
  const c = condition as Record<string, unknown>;
  if (typeof c.path !== 'string' || c.path.length === 0) return 'A condition needs a path.';
  for (const bound of ['atLeast', 'atMost', 'maxAgeMs'] as const) {
    if (c[bound] !== undefined && !(typeof c[bound] === 'number' && Number.isFinite(c[bound]))) {
      return `${bound} must be a number.`;
    }
  }
  const bounds = ['equals', 'atLeast', 'atMost', 'maxAgeMs', 'withinRpo'].filter((key) => key in c);
  return bounds.length === 0 ? 'A condition needs at least one bound.' : undefined;
}

/** Evaluates a (valid) condition on a state at clock time `now`. */
export function evaluateCondition(
  state: ResourceJson,
  condition: SimulatedResourceCondition,
  now: number,
  rpoMs?: number,
): ResourceCheckObservation {
  const actual = valueAt(state, condition.path);
  const expected: string[] = [];
  let passed = true;
  if ('equals' in condition) {
    expected.push(`= ${JSON.stringify(condition.equals)}`);
    passed &&= JSON.stringify(actual) === JSON.stringify(condition.equals);
  }
  if (condition.atLeast !== undefined) {
    expected.push(`>= ${condition.atLeast}`);
    passed &&= typeof actual === 'number' && actual >= condition.atLeast;
  }
  if (condition.atMost !== undefined) {
    expected.push(`<= ${condition.atMost}`);
    passed &&= typeof actual === 'number' && actual <= condition.atMost;
  }
  const maxAgeMs = condition.maxAgeMs ?? (condition.withinRpo ? rpoMs : undefined);
  if (condition.withinRpo && maxAgeMs === undefined) {
    return {
      passed: false,
      actual: actual ?? null,
      expected: 'within the plan RPO',
      summary: `${condition.path} must be within the plan's RPO, but the plan names none`,
    };
  }
  if (maxAgeMs !== undefined) {
    expected.push(`age <= ${maxAgeMs} ms`);
    passed &&= typeof actual === 'number' && now - actual <= maxAgeMs;
    if (typeof actual === 'number') {
      return {
        passed,
        actual: now - actual,
        expected: expected.join(' and '),
        summary: `${condition.path} is ${now - actual} ms old, expected ${expected.join(' and ')}`,
      };
    }
  }
  return {
    passed,
    actual: actual ?? null,
    expected: expected.join(' and '),
    summary: `${condition.path} is ${JSON.stringify(actual ?? null)}, expected ${expected.join(' and ')}`,
  };
}
