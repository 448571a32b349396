import type { z } from 'zod';
import { formatPlanPath } from './plan-path.js';
import type { PlanProblem } from './plan-problem.js';

type Issue = z.core.$ZodIssue;
type Segment = PropertyKey;

/**
 * Turns zod issues into plan problems: one per issue (one per unknown field),
 * each with a `steps[2].timeoutMs` path and a sentence that names the field and
 * says what was expected and what was found. `input` is what was parsed, read
 * to quote the offending value.
 */
export function schemaProblems(issues: readonly Issue[], input: unknown): PlanProblem[] {
  const problems: PlanProblem[] = [];
  for (const issue of issues) collect(issue, [], input, problems);
  return problems;
}

function collect(issue: Issue, prefix: readonly Segment[], input: unknown, out: PlanProblem[]): void {
  const segments = [...prefix, ...issue.path];
  const value = valueAt(input, segments);
  const name = fieldName(segments);
  const add = (code: string, message: string, at: readonly Segment[] = segments): void => {
    out.push({ path: formatPlanPath(at), code, message });
  };

  switch (issue.code) {
    case 'invalid_type': {
      if (value === undefined && segments.length > 0 && typeof segments[segments.length - 1] === 'string') {
        add('required', `${name} is required.`);
        return;
      }
      add('invalid-type', `${name} must be ${typeName(issue.expected)}, got ${describe(value)}.`);
      return;
    }
    case 'too_small':
    case 'too_big':
      add(
        issue.code === 'too_small' ? 'too-small' : 'too-big',
        `${name} ${bound(issue)}${issue.origin === 'string' || issue.origin === 'array' ? '' : `, got ${describe(value)}`}.`,
      );
      return;
    case 'invalid_value': {
      const options = issue.values.map((option) => JSON.stringify(option)).join(', ');
      const expected = issue.values.length === 1 ? `must be ${options}` : `must be one of ${options}`;
      add('invalid-value', `${name} ${expected}, got ${describe(value)}.`);
      return;
    }
    case 'unrecognized_keys':
      for (const key of issue.keys) {
        add('unknown-field', `unknown field "${key}"; remove it or check its spelling.`, [...segments, key]);
      }
      return;
    case 'invalid_format': {
      const expected = issue.format === 'url' ? 'an http or https URL' : `a valid ${issue.format}`;
      add('invalid-format', `${name} must be ${expected}, got ${describe(value)}.`);
      return;
    }
    case 'invalid_key': {
      const inner = issue.issues.map((nested) => bound(nested as Issue)).join('; ');
      add(
        'invalid-key',
        `the key ${describe(segments[segments.length - 1])} of ${fieldName(segments.slice(0, -1))} ${inner}.`,
      );
      return;
    }
    case 'invalid_union':
      union(issue, segments, value, name, input, out, add);
      return;
    case 'custom':
      add('invalid-value', `${name} ${issue.message}.`);
      return;
    default:
      add('invalid', `${name}: ${issue.message}.`);
      return;
  }
}

function union(
  issue: Extract<Issue, { code: 'invalid_union' }>,
  segments: readonly Segment[],
  value: unknown,
  name: string,
  input: unknown,
  out: PlanProblem[],
  add: (code: string, message: string) => void,
): void {
  const discriminator = (issue as { discriminator?: string }).discriminator;
  const options = (issue as { options?: unknown[] }).options;
  if (discriminator !== undefined && options !== undefined) {
    // `kind` of a step, `type` of a check or an action.
    const owner = segments[segments.length - 2];
    const what = discriminator === 'kind' ? 'step kind' : owner === 'action' ? 'action type' : 'check type';
    const code = `unknown-${what.replace(' ', '-')}`;
    const list = options.map(String).join(', ');
    add(
      code,
      value === undefined
        ? `the ${what} is missing; expected one of ${list}.`
        : `unknown ${what} ${describe(value)}; expected one of ${list}.`,
    );
    return;
  }
  // A plain union (a pool size is a number or an object): report the branch
  // that matched the value's type, or say which types were allowed.
  const plausible = issue.errors.filter(
    (branch) => !branch.some((nested) => nested.code === 'invalid_type' && nested.path.length === 0),
  );
  if (plausible.length === 1) {
    for (const nested of plausible[0]!) collect(nested, segments, input, out);
    return;
  }
  const expected = issue.errors
    .flatMap((branch) =>
      branch.filter((nested) => nested.code === 'invalid_type' && nested.path.length === 0),
    )
    .map((nested) => typeName((nested as { expected: string }).expected));
  add(
    'invalid-type',
    expected.length > 0
      ? `${name} must be ${[...new Set(expected)].join(' or ')}, got ${describe(value)}.`
      : `${name} does not match any allowed shape.`,
  );
}

function bound(issue: Issue): string {
  if (issue.code !== 'too_small' && issue.code !== 'too_big') return issue.message;
  const small = issue.code === 'too_small';
  const limit = Number(small ? issue.minimum : issue.maximum);
  const inclusive = issue.inclusive !== false;
  switch (issue.origin) {
    case 'string':
      return small && limit === 1
        ? 'must not be empty'
        : `must have ${small ? 'at least' : 'at most'} ${limit} characters`;
    case 'array':
    case 'set':
      return `must have ${small ? 'at least' : 'at most'} ${limit} item${limit === 1 ? '' : 's'}`;
    default:
      if (small) return inclusive ? `must be at least ${limit}` : `must be greater than ${limit}`;
      return inclusive ? `must be at most ${limit}` : `must be less than ${limit}`;
  }
}

const typeNames: Record<string, string> = {
  int: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  record: 'an object',
  literal: 'a fixed value',
};

function typeName(expected: string): string {
  return typeNames[expected] ?? expected;
}

/** The field an issue is about, as a user would write it: `timeoutMs`, `dependsOn[1]`, `the plan`. */
function fieldName(segments: readonly Segment[]): string {
  if (segments.length === 0) return 'the plan';
  let end = segments.length - 1;
  let suffix = '';
  while (end >= 0 && typeof segments[end] === 'number') {
    suffix = `[${String(segments[end])}]${suffix}`;
    end -= 1;
  }
  if (end < 0) return suffix;
  return `${String(segments[end])}${suffix}`;
}

/** A short, quoted description of a found value. */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'object':
      return 'an object';
    default:
      return `a ${typeof value}`;
  }
}

function valueAt(input: unknown, segments: readonly Segment[]): unknown {
  let current = input;
  for (const segment of segments) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}
