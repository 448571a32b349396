/** A value a JSON body must hold at a path. */
export interface JsonPathAssertion {
  /** A simple JSONPath: `$`, then `.name`, `['name']` or `[index]` segments, e.g. `$.checks[0].status`. */
  path: string;
  /** The JSON value expected there (compared as JSON). */
  equals: unknown;
}

const segment = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[['"]([^'"]*)['"]\]/y;

/** Splits a simple JSONPath into keys and indexes; undefined when it is not one. */
export function parseJsonPath(path: string): (string | number)[] | undefined {
  if (!path.startsWith('$')) return undefined;
  const keys: (string | number)[] = [];
  segment.lastIndex = 1;
  while (segment.lastIndex < path.length) {
    const start = segment.lastIndex;
    const match = segment.exec(path);
    if (!match || match.index !== start) return undefined;
    keys.push(match[1] ?? (match[2] !== undefined ? Number(match[2]) : match[3]!));
  }
  return keys;
}

/** The value at a simple JSONPath, if there is one. */
export function readJsonPath(document: unknown, path: string): { found: boolean; value?: unknown } {
  const keys = parseJsonPath(path);
  if (!keys) return { found: false };
  let current: unknown = document;
  for (const key of keys) {
    if (typeof key === 'number') {
      if (!Array.isArray(current) || key >= current.length) return { found: false };
      current = current[key];
    } else {
      if (
        typeof current !== 'object' ||
        current === null ||
        Array.isArray(current) ||
        !Object.hasOwn(current, key)
      )
        return { found: false };
      current = (current as Record<string, unknown>)[key];
    }
  }
  return { found: true, value: current };
}
