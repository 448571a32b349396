import diagnostics from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import type { Socket } from 'node:net';
import type { EmulatorClock } from './emulator-clock.js';

/** Options of `createDeterministicClock`. */
export interface DeterministicClockOptions {
  /** Epoch milliseconds the clock starts at. Default 2026-01-01T00:00:00Z. */
  startAt?: number;
  /**
   * Event-loop turns (setImmediate) in a row with nothing held and nothing new
   * (no sleep, wake or hold) before time jumps to the next sleeper. Default 16.
   */
  quietTurns?: number;
  /**
   * Also watch this process (default false; `failover drill` turns it on): hold the
   * clock from the moment it creates an HTTP request until the request has been handed
   * to the operating system (node's `http` and `fetch`), and count no turn as quiet while
   * it waits on the thread pool or on another thread (a file read, a DNS lookup, a module
   * loading through an off-thread loader).
   */
  watchProcess?: boolean;
}

/** An emulator clock that moves only when nothing is happening. */
export interface DeterministicClock extends EmulatorClock {
  /**
   * Keeps time still until the returned function is called (calling it again does
   * nothing): the emulator holds it while it answers a request, a CLI while it asks a human.
   */
  hold(): () => void;
  /** Sleepers not yet woken. */
  readonly pendingSleeps: number;
  /** Holds not yet released. */
  readonly holds: number;
  /** Stops watching this process (`watchProcess`). */
  dispose(): void;
}

interface Sleeper {
  at: number;
  seq: number;
  wake: () => void;
  /** Aborted: left in the heap and dropped when it reaches the top. */
  cancelled: boolean;
}

/**
 * A clock shared by a drill's executor and its embedded emulator, so real latency
 * never leaks into the simulated timeline: the same drill gives the same RTO to the
 * millisecond on any machine, at any load.
 *
 * Time jumps to the next sleeper only when the process is idle:
 * - no hold: the emulator holds the clock from a request's arrival to the last byte
 *   of its answer; with `watchProcess`, this process's own requests are held from
 *   their creation until sent, which covers connecting;
 * - with `watchProcess`, nothing in flight elsewhere: no file, DNS or thread-pool
 *   request, no message awaited from another thread (an off-thread module loader).
 *   This is what a first call's `import()` of an SDK looks like from here;
 * - then `quietTurns` event-loop turns in a row without a sleep, wake or hold.
 *
 * Counting turns, not milliseconds, is what makes it load-proof: what is left between
 * two requests (SDK middleware and signing, parsing an answer already in the socket
 * buffer, the executor's bookkeeping) is microtasks and callbacks of I/O that has
 * already happened, all run within a turn or two however slow the CPU. Loopback TCP
 * delivers in the sender's own system call, so a request sent is readable by the
 * server on its next turn. A CPU that is slower, or shared, only makes the same turns
 * take longer.
 *
 * Sleepers due at the same instant wake in the order they went to sleep.
 */
export function createDeterministicClock(options: DeterministicClockOptions = {}): DeterministicClock {
  let current = options.startAt ?? Date.UTC(2026, 0, 1);
  const quietTurns = Math.max(1, Math.floor(options.quietTurns ?? 16));
  const heap: Sleeper[] = [];
  let seq = 0;
  let live = 0;
  let holds = 0;
  // Bumped by every sleep, wake and hold: a turn that sees it unchanged was quiet.
  let activity = 0;
  let seenActivity = -1;
  let quiet = 0;
  let turnScheduled = false;
  let watching = options.watchProcess === true;
  let pendingSince: number | undefined;

  const dropCancelled = () => {
    while (heap.length > 0 && heap[0]!.cancelled) pop(heap);
  };
  const wakeDue = () => {
    dropCancelled();
    while (heap.length > 0 && heap[0]!.at <= current) {
      pop(heap).wake();
      activity++;
      dropCancelled();
    }
  };
  const kick = () => {
    activity++;
    if (turnScheduled) return;
    turnScheduled = true;
    setImmediate(turn);
  };
  const stalled = () => {
    pendingSince ??= performance.now();
    return performance.now() - pendingSince >= stalledWorkMs;
  };
  function turn(): void {
    turnScheduled = false;
    wakeDue();
    // A release or a sleep kicks the next turn; until then there is nothing to count.
    if (holds > 0 || heap.length === 0) return;
    const pending = watching && workPendingElsewhere();
    if (!pending) pendingSince = undefined;
    if (seenActivity !== activity) {
      seenActivity = activity;
      quiet = 0;
      pendingSince = undefined;
    } else if (pending && !stalled()) {
      // Not quiet while it lasts: check back without spinning on the CPU that work needs.
      quiet = 0;
      turnScheduled = true;
      setTimeout(turn, 1);
      return;
    } else if (++quiet >= quietTurns) {
      quiet = 0;
      current = Math.max(current, heap[0]!.at);
      wakeDue();
    }
    turnScheduled = true;
    setImmediate(turn);
  }

  const clock: DeterministicClock = {
    now: () => current,
    timeScale: 0,
    sleep(ms, signal) {
      return new Promise<void>((resolve) => {
        if (signal?.aborted) return resolve();
        const aborted = () => {
          sleeper.cancelled = true;
          live--;
          resolve();
          kick();
        };
        const sleeper: Sleeper = {
          at: current + Math.max(0, ms),
          seq: seq++,
          wake: () => {
            live--;
            if (signal) offAbort(signal, aborted);
            resolve();
          },
          cancelled: false,
        };
        if (signal) onAbort(signal, aborted);
        push(heap, sleeper);
        live++;
        kick();
      });
    },
    advance(ms) {
      current += Math.max(0, ms);
      wakeDue();
    },
    hold() {
      holds++;
      activity++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        holds--;
        kick();
      };
    },
    get pendingSleeps() {
      return live;
    },
    get holds() {
      return holds;
    },
    dispose: () => {
      if (watching) unwatchClientRequests(clock);
      watching = false;
    },
  };
  if (watching) watchClientRequests(clock);
  return clock;
}

/**
 * Every step of a wide plan sleeps on the run's one signal, and an `EventTarget` scans
 * its listeners on each add and remove (quadratic in all): one listener per signal,
 * fanning out to a `Set`, instead.
 */
const abortWatchers = new WeakMap<AbortSignal, Set<() => void>>();
function onAbort(signal: AbortSignal, callback: () => void): void {
  let callbacks = abortWatchers.get(signal);
  if (!callbacks) {
    const registered = new Set<() => void>();
    callbacks = registered;
    abortWatchers.set(signal, registered);
    signal.addEventListener(
      'abort',
      () => {
        abortWatchers.delete(signal);
        for (const each of [...registered]) each();
      },
      { once: true },
    );
  }
  callbacks.add(callback);
}
function offAbort(signal: AbortSignal, callback: () => void): void {
  abortWatchers.get(signal)?.delete(callback);
}

/**
 * Requests libuv has in flight (`FSReqCallback`, `FSReqPromise`, `GetAddrInfoReqWrap`…),
 * and a `MessagePort` awaiting another thread's answer: what an off-thread module loader
 * (tsx, any `module.register` hook) leaves while it resolves and loads a module.
 */
const workElsewhere = /Req|^MessagePort$/;
function workPendingElsewhere(): boolean {
  for (const name of process.getActiveResourcesInfo()) if (workElsewhere.test(name)) return true;
  return false;
}

/**
 * Work elsewhere pending this long (real time) with nothing else happening is taken for a
 * resource that stays open (a logger's worker port, a pipe nobody reads), not for work:
 * turns count again, so the drill goes on rather than hangs.
 */
const stalledWorkMs = 5_000;

// This process's outgoing requests, held on every clock that asked, through diagnostics
// channels (no SDK client needs to know): a new connection from its creation until it is
// connected (node's http and fetch both make one through `net`); a fetch from its creation
// until its body is sent; and on Node >= 22.12 an HTTP request from its creation until it
// has been handed to the operating system.
const watchers = new Set<DeterministicClock>();

function holdUntil(emitter: NodeJS.EventEmitter, events: readonly string[]): void {
  const releases = [...watchers].map((clock) => clock.hold());
  const release = () => {
    for (const each of releases) each();
    for (const event of events) emitter.removeListener(event, release);
  };
  for (const event of events) emitter.once(event, release);
}
const onSocket = (message: unknown) =>
  holdUntil((message as { socket: Socket }).socket, ['connect', 'error', 'close']);
const onRequest = (message: unknown) =>
  holdUntil((message as { request: ClientRequest }).request, ['finish', 'error', 'close']);
// undici's requests are no event emitters: held from one channel to the next.
const undiciHolds = new WeakMap<object, Array<() => void>>();
const onUndiciCreate = (message: unknown) =>
  undiciHolds.set(
    (message as { request: object }).request,
    [...watchers].map((clock) => clock.hold()),
  );
const onUndiciSent = (message: unknown) => {
  const request = (message as { request: object }).request;
  for (const release of undiciHolds.get(request) ?? []) release();
  undiciHolds.delete(request);
};
const channels: Array<[string, (message: unknown) => void]> = [
  ['net.client.socket', onSocket],
  ['http.client.request.created', onRequest],
  ['undici:request:create', onUndiciCreate],
  ['undici:request:bodySent', onUndiciSent],
  ['undici:request:headers', onUndiciSent],
  ['undici:request:error', onUndiciSent],
];

function watchClientRequests(clock: DeterministicClock): void {
  if (watchers.size === 0) for (const [name, listener] of channels) diagnostics.subscribe(name, listener);
  watchers.add(clock);
}
function unwatchClientRequests(clock: DeterministicClock): void {
  watchers.delete(clock);
  if (watchers.size === 0) for (const [name, listener] of channels) diagnostics.unsubscribe(name, listener);
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
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && before(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && before(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === i) break;
      [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
      i = smallest;
    }
  }
  return top;
}
