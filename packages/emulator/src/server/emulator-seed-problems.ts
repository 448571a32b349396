import { sampleWorld } from '../sample-world.js';

const clouds = ['aws', 'azure', 'gcp', 'kubernetes'] as const;

/**
 * What is wrong with a world read from a file (`failover-emulator --seed`) as an
 * `EmulatorSeed`, one line per problem with its JSON path; empty when nothing
 * is. The shapes are checked against `sampleWorld()`, which sets every kind of
 * resource: a field the sample has must hold the same kind of JSON value (an
 * object, a list, a string, a number, a boolean), and list items are checked
 * against the sample's first item. Fields the sample does not use are not
 * checked here; a world the services still cannot build from is reported when
 * the emulator starts.
 */
export function emulatorSeedProblems(seed: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(seed)) return [`(world): ${describe(seed)} is not an object such as {"aws": {...}}`];
  for (const key of Object.keys(seed)) {
    if (!(clouds as readonly string[]).includes(key)) {
      problems.push(`${key}: unknown cloud (expected ${clouds.join(', ')})`);
    }
  }
  compare(seed, sampleWorld() as unknown as Record<string, unknown>, '', problems);
  return problems;
}

function compare(value: unknown, sample: unknown, path: string, problems: string[]): void {
  const expected = kindOf(sample);
  const actual = kindOf(value);
  if (expected !== actual) {
    problems.push(`${path || '(world)'}: expected ${article(expected)}, got ${describe(value)}`);
    return;
  }
  if (actual === 'list') {
    const [first] = sample as unknown[];
    if (first === undefined) return;
    for (const [index, item] of (value as unknown[]).entries())
      compare(item, first, `${path}[${index}]`, problems);
  } else if (actual === 'object') {
    const known = sample as Record<string, unknown>;
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      if (key in known && item !== undefined)
        compare(item, known[key], path ? `${path}.${key}` : key, problems);
    }
  }
}

type JsonKind = 'object' | 'list' | 'string' | 'number' | 'boolean' | 'null';

function kindOf(value: unknown): JsonKind {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'object';
  return typeof value as 'string' | 'number' | 'boolean';
}

function article(kind: JsonKind): string {
  return kind === 'object'
    ? 'an object'
    : kind === 'list'
      ? 'a list'
      : kind === 'null'
        ? 'null'
        : `a ${kind}`;
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return `${article(kindOf(value))} (${text.length > 40 ? `${text.slice(0, 37)}...` : text})`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
