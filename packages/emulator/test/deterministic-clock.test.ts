import { request as request_ } from 'node:http';
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createDeterministicClock,
  type DeterministicClock,
  type Emulator,
  type EmulatorService,
  startEmulator,
} from '../src/index.js';

const start = Date.UTC(2026, 0, 1);

/** Lets `count` event-loop turns pass: long enough for an idle clock to jump many times over. */
async function turns(count: number): Promise<void> {
  for (let i = 0; i < count; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** A service whose one operation answers only when the test lets it. */
function gatedService(gate: { entered: () => void; release: Promise<void> }) {
  return (): EmulatorService => ({
    id: 'test.gated',
    cloud: 'aws',
    mount: '/test/gated',
    route: () => ({
      operation: 'Slow',
      mutating: false,
      handle: async () => {
        gate.entered();
        await gate.release;
        return { status: 200, body: { ok: true } };
      },
    }),
    errorResponse: (kind, detail) => ({ status: 400, body: { kind, message: detail.message } }),
  });
}

let emulator: Emulator | undefined;
let clock: DeterministicClock | undefined;
afterEach(async () => {
  await emulator?.stop();
  clock?.dispose();
  emulator = undefined;
  clock = undefined;
});

describe('createDeterministicClock', () => {
  it('jumps straight to each next sleeper; sleepers due together wake in the order they slept', async () => {
    clock = createDeterministicClock({ startAt: start });
    const woken: string[] = [];
    const sleep = (name: string, ms: number) =>
      clock!.sleep(ms).then(() => woken.push(`${name}@${clock!.now() - start}`));
    const started = performance.now();
    await Promise.all([sleep('b', 3_600_000), sleep('a', 60_000), sleep('c', 3_600_000), sleep('d', 0)]);
    expect(woken).toEqual(['d@0', 'a@60000', 'b@3600000', 'c@3600000']);
    // An hour of clock time, no real waiting.
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(clock.pendingSleeps).toBe(0);
  });

  it('stands still while held, however many turns pass, and moves once released', async () => {
    clock = createDeterministicClock({ startAt: start });
    const release = clock.hold();
    let woke = false;
    const sleeping = clock.sleep(5_000).then(() => {
      woke = true;
    });
    await turns(500);
    expect(clock.now()).toBe(start);
    expect(woke).toBe(false);
    release();
    release(); // a second call releases nothing more
    expect(clock.holds).toBe(0);
    await sleeping;
    expect(clock.now()).toBe(start + 5_000);
  });

  it('an aborted sleeper resolves at once and no longer pulls time forward', async () => {
    clock = createDeterministicClock({ startAt: start });
    const controller = new AbortController();
    const long = clock.sleep(3_600_000, controller.signal);
    controller.abort();
    await long;
    await clock.sleep(1_000);
    expect(clock.now()).toBe(start + 1_000);
    expect(clock.pendingSleeps).toBe(0);
  });
});

describe('an emulator on a deterministic clock', () => {
  it('holds the clock while a request is in flight: a slow handler lets no time pass', async () => {
    clock = createDeterministicClock({ startAt: start });
    let entered!: () => void;
    const inHandler = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let release!: () => void;
    const gate = {
      entered: () => entered(),
      release: new Promise<void>((resolve) => {
        release = resolve;
      }),
    };
    emulator = await startEmulator({ clock, extraServices: [gatedService(gate)] });
    // Another actor asleep for a minute: on an idle clock it would wake at once.
    let sleeperWokeAt: number | undefined;
    const sleeper = clock.sleep(60_000).then(() => {
      sleeperWokeAt = clock!.now();
    });

    const answer = fetch(`${emulator.endpoint('test.gated')}/slow`);
    await inHandler;
    await turns(500);
    expect(clock.holds).toBe(1);
    expect(clock.now()).toBe(start);
    expect(sleeperWokeAt).toBeUndefined();

    release();
    const response = await answer;
    expect(await response.json()).toEqual({ ok: true });
    await sleeper;
    expect(sleeperWokeAt).toBe(start + 60_000);
    expect(emulator.requests.list({ operation: 'Slow' })).toMatchObject([{ at: start, status: 200 }]);
  });

  it('a latency spike waits on the clock without holding it (no deadlock)', async () => {
    clock = createDeterministicClock({ startAt: start });
    const gate = { entered: () => {}, release: Promise.resolve() };
    emulator = await startEmulator({ clock, extraServices: [gatedService(gate)] });
    emulator.faults.add({ fault: 'spike', operation: 'Slow', times: 1, delayMs: 3_000 });
    const response = await fetch(`${emulator.endpoint('test.gated')}/slow`);
    expect(response.status).toBe(200);
    await response.body?.cancel();
    expect(clock.now()).toBe(start + 3_000);
    expect(clock.holds).toBe(0);
  });

  it('a dropped connection (a reset, a dark region) releases its holds: the clock goes on', async () => {
    clock = createDeterministicClock({ startAt: start, watchProcess: true });
    const gate = { entered: () => {}, release: Promise.resolve() };
    emulator = await startEmulator({ clock, extraServices: [gatedService(gate)] });
    emulator.faults.add({ fault: 'drop', operation: 'Slow', times: 1 });
    await expect(fetch(`${emulator.endpoint('test.gated')}/slow`)).rejects.toThrow();
    await clock.sleep(30_000);
    expect(clock.now()).toBe(start + 30_000);
    expect(clock.holds).toBe(0);
  });

  it('with watchProcess, stands still while this process awaits another thread (an off-thread module load)', async () => {
    clock = createDeterministicClock({ startAt: start, watchProcess: true });
    // What a loader hook thread leaves while it resolves a module: a port awaiting its answer.
    const { port1, port2 } = new MessageChannel();
    const answered = new Promise((resolve) => port1.once('message', resolve));
    let woke = false;
    const sleeper = clock.sleep(1_000).then(() => {
      woke = true;
    });
    await turns(300);
    expect(woke).toBe(false);
    expect(clock.now()).toBe(start);
    port2.postMessage('loaded');
    await answered;
    port1.close();
    await sleeper;
    expect(clock.now()).toBe(start + 1_000);
  });

  it('with watchProcess, a request of this process holds the clock from its creation (its connection being set up)', async () => {
    clock = createDeterministicClock({ startAt: start, watchProcess: true });
    emulator = await startEmulator({ clock });
    const sleeper = clock.sleep(1_000);
    const request = request_(`${emulator.url}/_emulator/clock`);
    // Held before any I/O: the connection is being made.
    expect(clock.holds).toBeGreaterThan(0);
    const answered = new Promise<string>((resolve, reject) => {
      request.once('error', reject);
      request.once('response', (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (chunk: string) => {
          body += chunk;
        });
        response.once('end', () => resolve(body));
      });
    });
    request.end();
    // Answered at the instant it was sent: nothing moved the clock while it was in flight.
    expect(JSON.parse(await answered)).toMatchObject({ now: start, timeScale: 0 });
    await sleeper;
    expect(clock.now()).toBe(start + 1_000);
    expect(clock.holds).toBe(0);
  });
});
