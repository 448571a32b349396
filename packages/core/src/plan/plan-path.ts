const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Formats a path as `steps[2].action.desired.targets["eu-1"].weight`: numbers
 * as indexes, identifiers with a dot, anything else quoted in brackets.
 */
export function formatPlanPath(segments: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && identifier.test(segment))
      out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

/** Appends one segment to an already formatted path. */
export function joinPlanPath(base: string, segment: PropertyKey): string {
  if (typeof segment === 'number') return `${base}[${segment}]`;
  if (typeof segment === 'string' && identifier.test(segment))
    return base === '' ? segment : `${base}.${segment}`;
  return `${base}[${JSON.stringify(String(segment))}]`;
}
