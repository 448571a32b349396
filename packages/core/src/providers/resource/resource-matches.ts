/** One field a resource step would change: its path in the state (`spec.replicas`) and both values. */
export interface ResourceDifference {
  path: string;
  /** `undefined` when the observed state does not have the field. */
  from: unknown;
  to: unknown;
}

/**
 * The fields of `desired` that `observed` does not already have, deep: objects are
 * compared field by field (fields `desired` leaves out are ignored), everything else
 * (arrays included) must be equal as JSON. Empty when the resource already is desired.
 */
export function resourceDifferences(desired: object, observed: unknown, path = ''): ResourceDifference[] {
  const differences: ResourceDifference[] = [];
  for (const [field, to] of Object.entries(desired)) {
    if (to === undefined) continue;
    const at = path === '' ? field : `${path}.${field}`;
    const from = isPlainObject(observed) ? observed[field] : undefined;
    if (isPlainObject(to) && isPlainObject(from)) {
      differences.push(...resourceDifferences(to, from, at));
    } else if (!jsonEqual(from, to)) {
      differences.push({ path: at, from, to });
    }
  }
  return differences;
}

/** The default `matches` of a resource provider: `desired` names no field `observed` differs in. */
export function resourceMatches(desired: object, observed: unknown): boolean {
  return resourceDifferences(desired, observed).length === 0;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Equal as JSON values, objects regardless of key order. */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, index) => jsonEqual(item, b[index]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a).filter((key) => a[key] !== undefined);
    const others = Object.keys(b).filter((key) => b[key] !== undefined);
    return keys.length === others.length && keys.every((key) => jsonEqual(a[key], b[key]));
  }
  return false;
}
