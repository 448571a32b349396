/** A JSON object as a patch or an API object is parsed. */
export type JsonObject = { [key: string]: unknown };

/**
 * The merge keys of the lists the strategic merge patch merges item by item
 * (the `x-kubernetes-patch-merge-key` of the core/v1 PodSpec types); any other
 * list is replaced whole, as in a JSON merge patch.
 */
const mergeKeys: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  ports: 'containerPort',
};

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Applies a patch the way the API server does for the two content types the
 * client sends: `application/merge-patch+json` (RFC 7386: objects merge, `null`
 * deletes, lists are replaced) and `application/strategic-merge-patch+json`
 * (the same, except that lists with a merge key merge item by item, and an
 * item `{ name, $patch: 'delete' }` removes that item). Returns a new value.
 */
export function applyPatch(target: unknown, patch: unknown, strategic: boolean): unknown {
  if (!isObject(patch)) return patch;
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[key];
      continue;
    }
    const mergeKey = strategic ? mergeKeys[key] : undefined;
    if (mergeKey && Array.isArray(value) && Array.isArray(result[key])) {
      result[key] = mergeList(result[key] as unknown[], value, mergeKey);
      continue;
    }
    result[key] = isObject(value) ? applyPatch(result[key], value, strategic) : value;
  }
  return result;
}

function mergeList(current: unknown[], patch: unknown[], mergeKey: string): unknown[] {
  const merged = [...current];
  for (const item of patch) {
    if (!isObject(item)) continue;
    const index = merged.findIndex((existing) => isObject(existing) && existing[mergeKey] === item[mergeKey]);
    if (item.$patch === 'delete') {
      if (index >= 0) merged.splice(index, 1);
      continue;
    }
    if (index >= 0) merged[index] = applyPatch(merged[index], item, true);
    else merged.push(applyPatch({}, item, true));
  }
  return merged;
}
