import type { Time } from '../time/time.js';

/** What a deadline stops. An object rather than a callback, so that watching one allocates no closure. */
export interface Expirable {
  expire(): void;
}

/** A watched deadline; set `cancelled` to stop watching it. */
export interface DeadlineEntry {
  readonly at: number;
  cancelled: boolean;
}

/** Calls back steps that pass their deadline, with one timer for the whole run. */
export interface DeadlineWatchdog {
  /** Calls `target.expire()` at clock time `at`, unless the entry is cancelled first. */
  watch(at: number, target: Expirable): DeadlineEntry;
  /** Releases the timer; nothing fires afterwards. */
  close(): void;
}

interface Entry extends DeadlineEntry {
  seq: number;
  target: Expirable;
}

/**
 * One sleeper at a time, for the earliest deadline still watched, over a
 * min-heap of deadlines. A per-step timer would need an abort per step to
 * release it, and aborting an `AbortSignal` costs more than the rest of a
 * step's bookkeeping. A cancelled entry is dropped lazily, when it reaches the
 * top of the heap.
 */
export function createDeadlineWatchdog(time: Time): DeadlineWatchdog {
  const heap: Entry[] = [];
  let seq = 0;
  let armed: { at: number; controller: AbortController } | undefined;
  let closed = false;

  const rearm = () => {
    while (heap.length > 0 && heap[0]!.cancelled) pop(heap);
    const next = heap[0];
    if (armed && next && armed.at <= next.at) return;
    armed?.controller.abort();
    armed = undefined;
    if (!next || closed) return;
    const controller = new AbortController();
    armed = { at: next.at, controller };
    time.sleep(Math.max(0, next.at - time.now()), controller.signal).then(() => {
      if (controller.signal.aborted) return;
      armed = undefined;
      fire();
    });
  };

  const fire = () => {
    const now = time.now();
    while (heap.length > 0 && (heap[0]!.cancelled || heap[0]!.at <= now)) {
      const entry = pop(heap);
      if (!entry.cancelled) {
        entry.cancelled = true;
        entry.target.expire();
      }
    }
    rearm();
  };

  return {
    watch(at, target) {
      const entry: Entry = { at, seq: seq++, target, cancelled: false };
      push(heap, entry);
      if (!armed || at < armed.at) rearm();
      return entry;
    },
    close() {
      closed = true;
      heap.length = 0;
      armed?.controller.abort();
      armed = undefined;
    },
  };
}

const earlier = (a: Entry, b: Entry) => a.at < b.at || (a.at === b.at && a.seq < b.seq);

function push(heap: Entry[], entry: Entry): void {
  heap.push(entry);
  let index = heap.length - 1;
  while (index > 0) {
    const parent = (index - 1) >> 1;
    if (!earlier(heap[index]!, heap[parent]!)) break;
    [heap[index], heap[parent]] = [heap[parent]!, heap[index]!];
    index = parent;
  }
}

function pop(heap: Entry[]): Entry {
  const top = heap[0]!;
  const last = heap.pop()!;
  if (heap.length > 0) {
    heap[0] = last;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && earlier(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && earlier(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === index) break;
      [heap[index], heap[smallest]] = [heap[smallest]!, heap[index]!];
      index = smallest;
    }
  }
  return top;
}
