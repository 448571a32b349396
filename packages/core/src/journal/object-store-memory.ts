import { okAsync } from '../result.js';
import type { JournalObjectStoreV1 } from './object-store-v1.js';

/** An object store in memory, with its objects open to a test (to tear one or lose the lock). */
export interface MemoryObjectStore extends JournalObjectStoreV1 {
  readonly objects: Map<string, string>;
}

/** An in-memory `JournalObjectStoreV1`: tests of the object-store journal, and of stores built on it. */
export function createMemoryObjectStore(location = 'memory://journal'): MemoryObjectStore {
  const objects = new Map<string, string>();
  return {
    specificationVersion: 'v1',
    location,
    objects,
    createIfAbsent(key, body) {
      if (objects.has(key)) return okAsync(false);
      objects.set(key, body);
      return okAsync(true);
    },
    get: (key) => okAsync(objects.get(key)),
    list: (prefix) => okAsync([...objects.keys()].filter((key) => key.startsWith(prefix))),
    delete(key) {
      objects.delete(key);
      return okAsync(undefined);
    },
  };
}
