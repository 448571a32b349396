import { offAbort, onAbort } from './abort-fan-out.js';
import type { Time } from './time.js';

export interface VirtualTime extends Time {
  /** Moves the clock forward, waking every sleeper due by then, in order. */
  advanceBy(ms: number): Promise<void>;
  /** Sleepers not yet woken. */
  readonly pendingSleeps: number;
}

/** Options of `createVirtualTime`. */
export interface VirtualTimeOptions {
  /** Epoch milliseconds the clock starts at. Default 2026-01-01T00:00:00Z. */
  startAt?: number;
  /**
   * When true (the default), the clock jumps to the next due sleeper as soon
   * as the process has nothing else to do (after pending I/O callbacks and
   * microtasks), so simulated waits cost no real time.
   */
  autoAdvance?: boolean;
}

interface Sleeper {
  at: number;
  seq: number;
  wake: () => void;
  /** Aborted: left in the heap and dropped when it reaches the top (removing it would be O(n)). */
  cancelled: boolean;
}

/**
 * A clock that only moves when told to, or, with `autoAdvance`, whenever all
 * work is waiting on it. Sleepers due at the same instant wake in the order
 * they went to sleep, so runs are deterministic.
 */
export function createVirtualTime(options: VirtualTimeOptions = {}): VirtualTime {
  let current = options.startAt ?? Date.UTC(2026, 0, 1);
  const autoAdvance = options.autoAdvance ?? true;
  const heap: Sleeper[] = [];
  let seq = 0;
  let live = 0;
  let tickScheduled = false;

  const dropCancelled = () => {
    while (heap.length > 0 && heap[0]!.cancelled) pop(heap);
  };
  const wakeDue = () => {
    dropCancelled();
    while (heap.length > 0 && heap[0]!.at <= current) {
      const sleeper = pop(heap);
      if (!sleeper.cancelled) sleeper.wake();
      dropCancelled();
    }
  };

  const scheduleTick = () => {
    if (!autoAdvance || tickScheduled) return;
    tickScheduled = true;
    setImmediate(() => {
      tickScheduled = false;
      dropCancelled();
      const next = heap[0];
      if (!next) return;
      current = Math.max(current, next.at);
      wakeDue();
      if (heap.length > 0) scheduleTick();
    });
  };

  return {
    now: () => current,
    sleep(ms, signal) {
      return new Promise<void>((resolve) => {
        if (signal?.aborted) return resolve();
        const sleeper: Sleeper = {
          at: current + Math.max(0, ms),
          seq: seq++,
          wake: () => finish(),
          cancelled: false,
        };
        const aborted = () => {
          sleeper.cancelled = true;
          live--;
          resolve();
        };
        const finish = () => {
          live--;
          if (signal) offAbort(signal, aborted);
          resolve();
        };
        if (signal) onAbort(signal, aborted);
        push(heap, sleeper);
        live++;
        scheduleTick();
      });
    },
    async advanceBy(ms) {
      const target = current + Math.max(0, ms);
      dropCancelled();
      while (heap.length > 0 && heap[0]!.at <= target) {
        current = Math.max(current, heap[0]!.at);
        wakeDue();
        // Let the woken code run (and maybe sleep again) before moving on.
        await new Promise<void>((resolve) => setImmediate(resolve));
        dropCancelled();
      }
      current = target;
    },
    get pendingSleeps() {
      return live;
    },
  };
}

// A small binary heap ordered by (at, seq).
const before = (a: Sleeper, b: Sleeper) => a.at < b.at || (a.at === b.at && a.seq < b.seq);

function push(heap: Sleeper[], item: Sleeper): void {
  heap.push(item);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(heap[i]!, heap[parent]!)) break;
    [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
    i = parent;
  }
}

function pop(heap: Sleeper[]): Sleeper {
  const top = heap[0]!;
  const last = heap.pop()!;
  if (heap.length > 0) {
    heap[0] = last;
    siftDown(heap, 0);
  }
  return top;
}

function siftDown(heap: Sleeper[], start: number): void {
  let i = start;
  for (;;) {
    const left = 2 * i + 1;
    const right = left + 1;
    let smallest = i;
    if (left < heap.length && before(heap[left]!, heap[smallest]!)) smallest = left;
    if (right < heap.length && before(heap[right]!, heap[smallest]!)) smallest = right;
    if (smallest === i) return;
    [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
    i = smallest;
  }
}
