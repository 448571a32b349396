/**
 * The Restate SDK calls `Promise.withResolvers`, which Node has only from 22. On Node 20
 * (which this library supports) it is added here, as the standard defines it, before a
 * worker serves its first invocation; where Node has it, nothing changes.
 */
export function ensurePromiseWithResolvers(): void {
  const promise = Promise as PromiseConstructor & { withResolvers?: unknown };
  if (typeof promise.withResolvers === 'function') return;
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>(this: PromiseConstructor) {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const created = new this<T>((yes, no) => {
        resolve = yes;
        reject = no;
      });
      return { promise: created, resolve, reject };
    },
  });
}
