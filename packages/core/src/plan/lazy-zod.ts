import { createRequire } from 'node:module';
import type { z as Zod } from 'zod';

/** The real value of a recorded expression (zod itself for `z`); other values as they are. */
export function materialize<T>(value: T): T {
  return deep(value) as T;
}

type Recorded =
  | { kind: 'root' }
  | { kind: 'get'; parent: Recorded; key: PropertyKey }
  | { kind: 'call'; callee: Recorded; args: readonly unknown[] };

const recordedOf = new WeakMap<object, Recorded>();
const built = new Map<Recorded, unknown>();
const building = new Set<Recorded>();

// Recording lasts until the module that defines the schemas says it is done: any use
// after that (even from another module's top level) builds the real schemas.
let recording = true;

/** Ends the recording: to be called once every schema is defined, at the end of their module. */
export function schemasDefined(): void {
  recording = false;
}

/**
 * zod, loaded the first time a schema is used rather than when `@failover/core` is
 * imported: loading it and building the plan schema cost ~65 ms, three times the rest
 * of the package, and most importers (adapters, the report, a resumed journal) never
 * check a plan document.
 *
 * `plan-schema.ts` writes its schemas with this `z` as with zod's. Until it calls
 * `schemasDefined()`, every `z.…` expression is only recorded; the first use of a
 * schema afterwards (`safeParse`, …) loads zod synchronously and replays the
 * recordings once, each schema built once, so shared schemas stay shared. After
 * that, a recorded schema forwards to the real one.
 */
export const z = deferred({ kind: 'root' }) as unknown as typeof Zod;

function loadZod(): typeof Zod {
  return (createRequire(import.meta.url)('zod') as { z: typeof Zod }).z;
}

function deferred(recorded: Recorded): unknown {
  // A function target, so that a recorded `z.string` can be called (an arrow: no `prototype` to report).
  const proxy = new Proxy(() => {}, {
    get(_target, key) {
      if (recording) return deferred({ kind: 'get', parent: recorded, key });
      const parent = build(recorded) as Record<PropertyKey, unknown>;
      const value = parent[key];
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      // zod's own functions take schemas (`z.toJSONSchema(schema)`); a schema's methods take data.
      return recorded.kind === 'root' ? forwarding(method, parent) : method.bind(parent);
    },
    apply(_target, _this, args) {
      const call: Recorded = { kind: 'call', callee: recorded, args };
      return recording ? deferred(call) : build(call);
    },
    has: (_target, key) => key in (build(recorded) as object),
    ownKeys: () => {
      const shape = recordedShape(recorded);
      return shape ? Reflect.ownKeys(shape) : Reflect.ownKeys(build(recorded) as object);
    },
    getOwnPropertyDescriptor: (_target, key) => {
      const shape = recordedShape(recorded);
      if (shape) {
        if (!Object.hasOwn(shape, key)) return undefined;
        const value = deferred({ kind: 'get', parent: recorded, key });
        return { value, enumerable: true, configurable: true, writable: false };
      }
      const descriptor = Reflect.getOwnPropertyDescriptor(build(recorded) as object, key);
      return descriptor && { ...descriptor, configurable: true };
    },
  });
  recordedOf.set(proxy, recorded);
  return proxy;
}

/**
 * `{ ...schema.shape }` while recording (an object schema extending another): the keys
 * are those of the shape the object was recorded with, so no zod is needed to list them.
 */
function recordedShape(recorded: Recorded): object | undefined {
  if (!recording || recorded.kind !== 'get' || recorded.key !== 'shape') return undefined;
  const owner = recorded.parent;
  if (owner.kind !== 'call' || owner.callee.kind !== 'get') return undefined;
  const [shape] = owner.args;
  return typeof shape === 'object' && shape !== null && !recordedOf.has(shape) ? shape : undefined;
}

/** A real function called with recorded arguments (a schema defined at load time) gets their real values. */
function forwarding(fn: (...args: unknown[]) => unknown, self: unknown) {
  return (...args: unknown[]) => fn.apply(self, args.map(deep));
}

function build(recorded: Recorded): unknown {
  if (built.has(recorded)) return built.get(recorded);
  if (building.has(recorded)) throw new Error('A zod schema refers to itself outside a getter or z.lazy.');
  building.add(recorded);
  let value: unknown;
  try {
    if (recorded.kind === 'root') value = loadZod();
    else if (recorded.kind === 'get')
      value = (build(recorded.parent) as Record<PropertyKey, unknown>)[recorded.key];
    else {
      const { callee, args } = recorded;
      const self = callee.kind === 'get' ? build(callee.parent) : undefined;
      const fn = (
        callee.kind === 'get' ? (self as Record<PropertyKey, unknown>)[callee.key] : build(callee)
      ) as (...args: unknown[]) => unknown;
      value = fn.apply(self, args.map(deep));
    }
  } finally {
    building.delete(recorded);
  }
  built.set(recorded, value);
  return value;
}

/** Replaces recorded expressions by their real values, inside plain arrays and objects too (getters stay lazy). */
function deep(value: unknown): unknown {
  if ((typeof value === 'function' || typeof value === 'object') && value !== null) {
    const recorded = recordedOf.get(value);
    if (recorded) return build(recorded);
  }
  if (typeof value === 'function') {
    const fn = value as (...args: unknown[]) => unknown;
    // A callback given to zod (a refinement, z.lazy) may return a recorded schema.
    return function (this: unknown, ...args: unknown[]) {
      return deep(fn.apply(this, args));
    };
  }
  if (Array.isArray(value)) return value.map(deep);
  if (typeof value === 'object' && value !== null) {
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) return value;
    const copy: Record<PropertyKey, unknown> = {};
    for (const key of Reflect.ownKeys(value)) {
      const descriptor = Reflect.getOwnPropertyDescriptor(value, key)!;
      if (descriptor.get) {
        const getter = descriptor.get;
        Object.defineProperty(copy, key, {
          get: () => deep(getter.call(value)),
          enumerable: descriptor.enumerable ?? true,
          configurable: true,
        });
      } else copy[key] = deep(descriptor.value);
    }
    return copy;
  }
  return value;
}
