import { offAbort, onAbort } from '../time/abort-fan-out.js';

/**
 * Resolves with `work`'s value, or with `undefined` as soon as `signal` aborts,
 * whichever comes first: the executor stops waiting even for a provider that
 * ignores its abort signal. The abandoned work is left to finish on its own.
 * Many callers may watch one signal: it keeps one listener (see `onAbort`).
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise<T | undefined>((resolve) => {
    const aborted = () => resolve(undefined);
    onAbort(signal, aborted);
    work.then(
      (value) => {
        offAbort(signal, aborted);
        resolve(value);
      },
      () => {
        offAbort(signal, aborted);
        resolve(undefined);
      },
    );
  });
}
