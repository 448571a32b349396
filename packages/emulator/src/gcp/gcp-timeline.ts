import type { EmulatorClock } from '../server/emulator-clock.js';

/** When a modelled operation starts running and finishes, on the emulator clock. */
export interface Timeline {
  startedAt: number;
  runningAt: number;
  /** Undefined for a `stuck` operation: it never finishes. */
  doneAt: number | undefined;
}

export type Phase = 'PENDING' | 'RUNNING' | 'DONE';

/** A timeline starting now: queued for a tenth of its duration (at most 2 s), then running. */
export function timeline(now: number, durationMs: number, stuck: boolean): Timeline {
  const duration = Math.max(0, durationMs);
  return {
    startedAt: now,
    runningAt: now + Math.min(2_000, Math.floor(duration / 10)),
    doneAt: stuck ? undefined : now + duration,
  };
}

/** The phase at `now`, derived at read time so a clock advanced by a client's sleep drives it. */
export function phaseAt(line: Timeline, now: number): Phase {
  if (line.doneAt !== undefined && now >= line.doneAt) return 'DONE';
  return now >= line.runningAt ? 'RUNNING' : 'PENDING';
}

/**
 * Effects of modelled operations that land when they finish. `settle()` runs
 * every effect due by now, in order, before a request reads or changes state.
 */
export class DueEffects {
  private readonly queue: Array<{ at: number; seq: number; apply: () => void }> = [];
  private seq = 0;

  constructor(private readonly clock: EmulatorClock) {}

  /** Runs `apply` once the clock reaches `at`; never when `at` is undefined (a stuck operation). */
  add(at: number | undefined, apply: () => void): void {
    if (at === undefined) return;
    this.queue.push({ at, seq: this.seq++, apply });
    this.queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
  }

  settle(): void {
    const now = this.clock.now();
    while (this.queue.length > 0 && this.queue[0]!.at <= now) this.queue.shift()!.apply();
  }
}
