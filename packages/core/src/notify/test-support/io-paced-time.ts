import { createVirtualTime, type VirtualTime } from '../../time/virtual-time.js';
import type { NotifierV1 } from '../notifier-v1.js';

/**
 * A virtual clock for runs whose notifier does real loopback HTTP. An
 * auto-advancing clock would jump to the next sleeper (a step's deadline) while
 * a request is in flight; this one moves only while no tracked request is.
 */
export interface IoPacedTime {
  readonly time: VirtualTime;
  /** The notifier, counted while its sends are in flight. */
  track(notifier: NotifierV1): NotifierV1;
  /** Awaits `work`, moving the clock `stepMs` at a time whenever no request is in flight. */
  drive<T>(work: PromiseLike<T>, stepMs?: number): Promise<T>;
}

export function createIoPacedTime(): IoPacedTime {
  const time = createVirtualTime({ autoAdvance: false });
  let inFlight = 0;
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    time,
    track: (notifier) => ({
      ...notifier,
      send: (notification, options) => {
        inFlight++;
        return notifier
          .send(notification, options)
          .map((value) => {
            inFlight--;
            return value;
          })
          .mapErr((error) => {
            inFlight--;
            return error;
          });
      },
    }),
    async drive(work, stepMs = 500) {
      let done = false;
      const settled = Promise.resolve(work);
      void settled.finally(() => {
        done = true;
      });
      while (!done) {
        await settle();
        if (done) break;
        if (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 1));
        else if (time.pendingSleeps > 0) await time.advanceBy(stepMs);
      }
      return settled;
    },
  };
}
