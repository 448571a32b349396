/**
 * Many sleepers on one `AbortSignal` (every wait step of a wide plan sleeps on the
 * run's signal) would each add and remove a listener, and Node's `EventTarget`
 * scans its listener list on every add and remove: O(sleepers²) in all. Instead,
 * each signal gets one listener, and callers register in a `Set` (O(1) each way).
 */
const watchers = new WeakMap<AbortSignal, Set<() => void>>();

/** Calls `callback` once when `signal` aborts (at once if it already has), unless `offAbort` came first. */
export function onAbort(signal: AbortSignal, callback: () => void): void {
  if (signal.aborted) {
    callback();
    return;
  }
  let callbacks = watchers.get(signal);
  if (!callbacks) {
    const registered = new Set<() => void>();
    callbacks = registered;
    watchers.set(signal, registered);
    signal.addEventListener(
      'abort',
      () => {
        watchers.delete(signal);
        for (const each of [...registered]) each();
        registered.clear();
      },
      { once: true },
    );
  }
  callbacks.add(callback);
}

/** Stops `onAbort(signal, callback)` from calling back. */
export function offAbort(signal: AbortSignal, callback: () => void): void {
  watchers.get(signal)?.delete(callback);
}
