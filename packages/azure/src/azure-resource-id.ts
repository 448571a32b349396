import { FailoverError } from '@failover/core';

/** What a ref names once defaults are applied. */
export interface ResolvedName {
  resourceGroup: string;
  /** The path segments after the resource group (e.g. `[server, group]`). */
  names: string[];
}

/**
 * Reads a ref that is either a full ARM resource id or a short `a/b/c` path whose
 * leading parts may be left out when defaults cover them. `shape` lists the
 * names wanted after the resource group (`['server', 'failoverGroup']`);
 * `typeSegments` are the ARM type segments that precede each name in a full id.
 */
export function resolveArmName(input: {
  ref: unknown;
  field: string;
  shape: readonly string[];
  typeSegments: readonly string[];
  defaults: Array<string | undefined>;
  provider: string;
  operation: string;
}): ResolvedName | FailoverError {
  const { ref, field, shape, provider, operation } = input;
  const invalid = (message: string) =>
    new FailoverError({ kind: 'invalid-input', message, provider, operation, path: field });
  if (typeof ref !== 'string' || ref.trim() === '') return invalid(`${field} must be a non-empty string.`);

  if (ref.startsWith('/')) {
    const segments = ref.split('/').filter(Boolean);
    const at = (name: string) =>
      segments.findIndex((segment) => segment.toLowerCase() === name.toLowerCase());
    const groupIndex = at('resourceGroups');
    const names = input.typeSegments.map((type) => {
      const index = at(type);
      return index >= 0 ? segments[index + 1] : undefined;
    });
    const resourceGroup = groupIndex >= 0 ? segments[groupIndex + 1] : undefined;
    if (!resourceGroup || names.some((name) => !name)) {
      return invalid(`${field} "${ref}" is not an ARM id of a ${input.typeSegments.join('/')} resource.`);
    }
    return { resourceGroup, names: names as string[] };
  }

  const parts = ref.split('/');
  if (parts.some((part) => part.trim() === ''))
    return invalid(`${field} "${ref}" has an empty path segment.`);
  const wanted = shape.length + 1; // the resource group first
  if (parts.length > wanted)
    return invalid(
      `${field} "${ref}" has too many segments; expected ${['resourceGroup', ...shape].join('/')}.`,
    );
  // Fill the missing leading parts from the defaults (resource group, then the next names).
  const missing = wanted - parts.length;
  const filled = [...input.defaults.slice(0, missing), ...parts];
  if (filled.some((part) => part === undefined)) {
    const names = ['resourceGroup', ...shape].slice(0, missing).join(', ');
    return invalid(`${field} "${ref}" does not name its ${names}, and no default is configured for it.`);
  }
  return { resourceGroup: filled[0] as string, names: filled.slice(1) as string[] };
}

/** Region names compare without case and spaces: `West US` is `westus`. */
export function regionKey(location: string): string {
  return location.replace(/\s+/g, '').toLowerCase();
}
