import type { JournalEntryType } from './journal-entry.js';

/**
 * The shape of every journal entry, checked field by field when a journal is
 * read back: a resume acts on these values (skips steps, restores states), so
 * an entry it cannot trust is refused with its line number, never half-used.
 * Hand-written rather than a schema library so reading a journal loads nothing.
 */

/** A check of one field: `undefined` when it holds, otherwise what is wrong. */
type FieldCheck = (value: unknown) => string | undefined;

const string: FieldCheck = (value) => (typeof value === 'string' ? undefined : 'must be a string');
const boolean: FieldCheck = (value) => (typeof value === 'boolean' ? undefined : 'must be true or false');
const number: FieldCheck = (value) =>
  typeof value === 'number' && Number.isFinite(value) ? undefined : 'must be a finite number';
const count: FieldCheck = (value) =>
  Number.isInteger(value) && (value as number) >= 0 ? undefined : 'must be a whole number >= 0';
const object: FieldCheck = (value) =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? undefined : 'must be an object';
/** An observed state: a record set, topology or pool, or `null` (nothing existed). */
const observed: FieldCheck = (value) =>
  value === null ? undefined : object(value) && 'must be an object or null';
const strings: FieldCheck = (value) =>
  Array.isArray(value) && value.every((item) => typeof item === 'string')
    ? undefined
    : 'must be a list of strings';
const stringRecord: FieldCheck = (value) =>
  object(value) ??
  (Object.values(value as object).every((item) => typeof item === 'string')
    ? undefined
    : 'must map names to strings');
const oneOf =
  (...allowed: string[]): FieldCheck =>
  (value) =>
    allowed.includes(value as string) ? undefined : `must be one of ${allowed.join(', ')}`;
const error: FieldCheck = (value) => {
  const problem = object(value);
  if (problem) return problem;
  const { kind, message } = value as { kind?: unknown; message?: unknown };
  return typeof kind === 'string' && typeof message === 'string'
    ? undefined
    : 'must have a kind and a message';
};
const undo: FieldCheck = (value) =>
  object(value) ??
  (!('before' in (value as object)) ? 'must have "before"' : observed((value as { before: unknown }).before));

interface EntrySchema {
  required: Record<string, FieldCheck>;
  optional?: Record<string, FieldCheck>;
}

const stepStatus = oneOf('succeeded', 'failed', 'cancelled');

/** Keyed by every entry type: adding a type to `JournalEntry` without a schema here does not compile. */
const schemas: Record<JournalEntryType, EntrySchema> = {
  'run-start': {
    required: { planId: string, fingerprint: string },
    optional: { resumes: string, environment: stringRecord },
  },
  'step-start': { required: { stepId: string } },
  'step-intent': { required: { stepId: string, operation: string, before: observed } },
  'step-handle': {
    required: { stepId: string, changed: boolean, before: observed },
    optional: { handle: object },
  },
  'step-end': {
    required: { stepId: string, status: stepStatus, changed: boolean, startedAt: number, attempts: count },
    optional: { undo, error, calls: object, evidence: object },
  },
  'rollback-start': { required: { stepIds: strings } },
  'rollback-step': {
    required: { stepId: string, status: oneOf('rolled-back', 'failed', 'irreversible', 'skipped') },
    optional: { error },
  },
  'run-end': { required: { status: oneOf('succeeded', 'failed', 'rolled-back', 'cancelled') } },
  'journal-repaired': { required: { line: count, truncatedBytes: count } },
  'lock-taken-over': {
    required: { how: oneOf('take-over', 'force-unlock', 'stale-lock'), by: object },
    optional: { previous: object },
  },
};

/**
 * What is wrong with a parsed line as a journal entry, or `undefined` when it is
 * one. Fields beyond the schema are allowed (a newer writer may add some).
 */
export function journalEntryProblem(value: unknown): string | undefined {
  if (object(value)) return 'is not a JSON object';
  const entry = value as Record<string, unknown>;
  if (typeof entry.type !== 'string' || !Object.hasOwn(schemas, entry.type)) {
    return `has an unknown type ${JSON.stringify(entry.type)}`;
  }
  const schema = schemas[entry.type as JournalEntryType];
  const required = { runId: string, at: number, ...schema.required };
  for (const [field, check] of Object.entries(required)) {
    if (!(field in entry)) return `(${entry.type}) lacks "${field}"`;
    const problem = check(entry[field]);
    if (problem) return `(${entry.type}): "${field}" ${problem}`;
  }
  for (const [field, check] of Object.entries(schema.optional ?? {})) {
    if (entry[field] === undefined) continue;
    const problem = check(entry[field]);
    if (problem) return `(${entry.type}): "${field}" ${problem}`;
  }
  return undefined;
}
