import type { ExecutorEvent } from '@failover/core';

/** Shows a run's events: live on a terminal, as lines in a log, or as JSON lines. */
export interface ProgressRenderer {
  onEvent(event: ExecutorEvent): void;
  /** Stops redrawing, so a prompt can use the terminal. */
  pause(): void;
  resume(): void;
  /** Final redraw; stops timers. */
  close(): void;
}

/** `--json`: every event as one JSON object per line, and nothing else on stdout. */
export function jsonLinesRenderer(write: (text: string) => void): ProgressRenderer {
  return {
    onEvent: (event) => write(`${JSON.stringify(event)}\n`),
    pause() {},
    resume() {},
    close() {},
  };
}
